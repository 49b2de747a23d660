"""Statements in time: an actor's timeline, a claim's timeline of assertions and denials, "as of" a day.

Each statement's day is its `cg:statedOn` (the day the text gives, else its article's; `basis` says
which). A statement from an article without a date has no day: it is listed under `undated`, never
placed on the timeline by a guess, and an `as_of` question leaves it out and says how many it left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import ClaimgraphError, NotFound
from ..rdf.nodeid import node_id
from ..rdf.vocab import CG, entity_iri
from ..store.base import KnowledgeStore
from .catalog import local, side, stance_sides

_STATEMENTS = """
SELECT DISTINCT ?st ?day ?basis ?stance ?quote ?start ?source ?headline ?url ?claim ?claimText ?speaker ?speakerName
WHERE {
  GRAPH ?g {
    ?st cg:stance ?stance ; cg:evidence ?span ; schema:isPartOf ?article .
    ?article cg:sourceId ?source .
    ?span oa:hasSelector ?pos . ?pos oa:start ?start .
    ?span oa:hasSelector ?sel . ?sel oa:exact ?quote .
    OPTIONAL { ?st cg:statedOn ?day }
    OPTIONAL { ?st cg:dateBasis ?basis }
    OPTIONAL { ?article schema:headline ?headline }
    OPTIONAL { ?article schema:url ?url }
    OPTIONAL { ?st cg:about ?claim } BIND(COALESCE(?claim, "") AS ?c)
    OPTIONAL { ?c schema:text ?claimText }
    OPTIONAL { ?st cg:speaker ?speaker } BIND(COALESCE(?speaker, "") AS ?sp)
    OPTIONAL { ?sp schema:name ?speakerName }
  }
}
"""
_EXISTS = "ASK { GRAPH ?g { ?node ?p ?o } }"
_BASIS = {str(CG.TextDate): "text", str(CG.ArticleDate): "article"}
UNDATED_NOTE = "from articles without a date: claimgraph does not guess when they were said"


def _day(as_of: str | dt.date | None) -> dt.date | None:
    if as_of is None or isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise ClaimgraphError(f"as_of {as_of!r} is not a day (YYYY-MM-DD)") from None


def actor_timeline(store: KnowledgeStore, actor_id: str, as_of: str | dt.date | None = None) -> dict[str, Any]:
    """What an actor said, in time order: each statement with its day, stance, side, claims and quote."""
    slug = actor_id.removeprefix("actor/")
    return _timeline(store, "actor", slug, "speaker", as_of)


def claim_timeline(store: KnowledgeStore, claim_id: str, as_of: str | dt.date | None = None) -> dict[str, Any]:
    """A claim's assertions and denials in time order, and whether it was contested as of each day."""
    slug = claim_id.removeprefix("claim/")
    out = _timeline(store, "claim", slug, "claim", as_of)
    seen: set[str] = set()
    for item in out["items"]:  # contested from the first day both sides have spoken
        seen.add(item["side"])
        item["contested_so_far"] = {"supports", "opposes"} <= seen
    out["contested"] = {"supports", "opposes"} <= seen
    return out


def _timeline(store: KnowledgeStore, kind: str, slug: str, var: str, as_of: str | dt.date | None) -> dict[str, Any]:
    iri = entity_iri(kind, slug)
    day = _day(as_of)
    if not store.query(_EXISTS, {"node": iri}):
        raise NotFound(f"{kind} {slug!r} not found in the store")
    sides = stance_sides(store)
    by_statement: dict[str, dict[str, Any]] = {}
    for r in store.select(_STATEMENTS, {var: iri}).dicts():
        item = by_statement.setdefault(r["st"], {
            "statement": node_id(r["st"]), "day": r["day"].isoformat() if r["day"] else None,
            "date_basis": _BASIS.get(r["basis"] or ""), "stance": local(r["stance"]),
            "side": side(sides.get(r["stance"])), "quote": r["quote"], "start": r["start"],
            "source": r["source"], "headline": r["headline"], "url": r["url"], "claims": {}, "speakers": {}})
        if r["claim"]:
            item["claims"][node_id(r["claim"])] = r["claimText"]
        if r["speaker"]:
            item["speakers"][node_id(r["speaker"])] = r["speakerName"]
    items = []
    for item in by_statement.values():
        item["claims"] = [{"id": k, "text": v} for k, v in sorted(item["claims"].items())]
        item["speakers"] = [{"id": k, "name": v} for k, v in sorted(item["speakers"].items())]
        items.append(item)
    dated = sorted((i for i in items if i["day"]), key=lambda i: (i["day"], i["source"], i["start"]))
    undated = sorted((i for i in items if not i["day"]), key=lambda i: (i["source"], i["start"]))
    out: dict[str, Any] = {"id": f"{kind}/{slug}", "as_of": day.isoformat() if day else None}
    if day is not None:
        later = [i for i in dated if i["day"] > day.isoformat()]
        dated = [i for i in dated if i["day"] <= day.isoformat()]
        out["left_out"] = {"later": len(later), "undated": len(undated)}
        undated = []
    out["items"] = dated
    out["undated"] = undated
    if undated or (day is not None and out["left_out"]["undated"]):
        out["undated_note"] = UNDATED_NOTE
    out["first"] = {s: next((i for i in dated if i["side"] == s), None) for s in ("supports", "opposes")}
    return out
