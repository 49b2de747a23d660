"""The explorer's first page: what the store holds, the contested claims with both sides, the
most quoted actors and the latest sources, so a newcomer sees the graph before typing anything."""

from __future__ import annotations

from typing import Any

from ..store.base import KnowledgeStore
from . import catalog
from .trace import trace

# one row per article (its own graph): the article and its day, no join across graphs
_SOURCES = """SELECT ?src (MIN(STR(?d)) AS ?date) WHERE {
  GRAPH ?g { ?src a schema:NewsArticle . OPTIONAL { ?src schema:datePublished ?d } } } GROUP BY ?src"""


def _sides(store: KnowledgeStore, claim_id: str) -> dict[str, list[dict[str, Any]]]:
    """Speakers on each side of a claim, most statements first (one trace page is enough here)."""
    t = trace(store, claim_id, limit=200)
    out: dict[str, dict[str, dict[str, Any]]] = {"supports": {}, "opposes": {}}
    for s in t["statements"]:
        if s["side"] not in out:
            continue
        for p in s["speakers"] or [{"id": None, "label": "the article"}]:
            who = out[s["side"]].setdefault(p["id"] or p["label"], {"id": p["id"], "name": p["label"],
                                                                      "statements": 0, "stance": s["stance"]})
            who["statements"] += 1
    return {k: sorted(v.values(), key=lambda w: (-w["statements"], w["name"])) for k, v in out.items()}


def overview(store: KnowledgeStore, claims: int = 6, actors: int = 10, sources: int = 6) -> dict[str, Any]:
    """Counts, the most disputed claims with their two sides, the most quoted actors, recent sources."""
    all_actors = catalog.actors(store, limit=catalog.MAX_LIMIT)
    all_claims = catalog.claims(store, limit=catalog.MAX_LIMIT)
    contested = [c for c in all_claims["items"] if c["contested"]]
    contested.sort(key=lambda c: (-(c["supports"] + c["opposes"]), c["id"]))
    top = [{**c, "sides": _sides(store, c["id"])} for c in contested[:claims]]
    quoted = sorted(all_actors["items"], key=lambda a: (-a["statements"], a["name"]))[:actors]
    srcs = store.select(_SOURCES).dicts()
    # newest first; undated articles last (never guessed)
    dated = sorted((r for r in srcs if r["date"]), key=lambda r: r["date"], reverse=True)
    ordered = [r["src"] for r in dated + [r for r in srcs if not r["date"]]][:sources]
    meta = catalog.sources_meta(store, ordered)
    n_statements = store.select("SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st a cg:Statement } }").rows
    return {
        "counts": {"sources": len(srcs), "actors": all_actors["total_after_cursor"],
                   "claims": all_claims["total_after_cursor"], "contested": len(contested),
                   "statements": int(n_statements[0][0].value) if n_statements and n_statements[0][0] else 0},
        "contested": top,
        "actors": quoted,
        "sources": [meta[s] for s in ordered if s in meta],
    }
