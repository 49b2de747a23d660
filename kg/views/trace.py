"""Trace a claim back to the words: every statement about it, pinned to its quote in the article.

The quote is given the way a Web Annotation client re-anchors it (TextQuoteSelector exact, prefix,
suffix) and by offsets (TextPositionSelector start/end) into the article's schema:text.

A claim quoted in thousands of articles is answered a page at a time: counts per stance cover
every statement, `statements` holds those of the first articles (in source order, whole
articles only) up to `limit`, and `next` is the cursor for the following page.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from ..errors import ClaimgraphError
from ..rdf.nodeid import is_node_id, node_id
from ..rdf.terms import nt
from ..rdf.vocab import ID_BASE, OA, entity_iri
from ..store.base import KnowledgeStore
from .catalog import CLAIM_CONCERNS, claim_counted, local, side, sources_meta, stance_sides, values_block

# Every statement lives in its article's graph. The ids come first (one index range, no sort in
# SPARQL: Oxigraph's ORDER BY costs ~0.2 ms a row), then the details of one page are read with each
# statement bound to its own graph, one straight pattern per field: no OPTIONAL (Oxigraph reads an
# OPTIONAL's right side over the whole store) and no shared node joined over the union graph.
# articles quoting the claim, with how many statements each: the page is cut from this list
_GRAPHS = "SELECT ?g (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st cg:about ?claim } } GROUP BY ?g"
_TOTAL = "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st cg:about ?claim } }"
_IDS = "SELECT ?st ?g WHERE {{ {values} GRAPH ?g {{ ?st cg:about ?claim }} }}"
_DETAILS = {
    "core": "SELECT ?st ?stance ?kind ?src WHERE {{ {values} GRAPH ?g {{ ?st cg:stance ?stance ; cg:kind ?kind ; schema:isPartOf ?src }} }}",
    "cue": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:cueText ?v }} }}",
    "speaker": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:speaker ?v }} }}",
    "rec": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:recipient ?v }} }}",
    "quote": "SELECT ?st ?p ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:evidence ?e . ?e oa:hasSelector ?s . ?s ?p ?v }} }}",
    "sentence": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:evidence/cg:sentence/oa:hasSelector ?s . ?s oa:exact ?v }} }}",
    "sentpos": "SELECT ?st ?a ?b WHERE {{ {values} GRAPH ?g {{ ?st cg:evidence/cg:sentence/oa:hasSelector ?s . ?s oa:start ?a ; oa:end ?b }} }}",
}
# speakers' and recipients' names and roles as the quoting article gives them
_ACTORS = """
SELECT ?a ?g ?f ?v WHERE {{ {values} GRAPH ?g {{
  {{ ?a schema:name ?v BIND("name" AS ?f) }} UNION {{ ?a cg:hasRole ?r . ?r schema:roleName ?v BIND("role" AS ?f) }}
}} }}"""
# related claims: distinct claims per shared relation / actor, capped so that a hub actor (whose
# claims are stored once per quoting article) costs a bounded read
_SHARING = "SELECT DISTINCT ?other WHERE {{ GRAPH ?h {{ ?other {pred} {node} }} }} LIMIT {cap}"
_RELS = "SELECT DISTINCT ?rel WHERE { GRAPH ?g { ?claim cg:proposes ?rel } }"
_TEXTS = "SELECT ?c (SAMPLE(?t) AS ?text) WHERE {{ {values} GRAPH ?g {{ ?c schema:text ?t }} }} GROUP BY ?c"
RELATED_CAP = 500
"""Claims read per shared relation or actor when ranking related claims."""
_OA = {str(OA.exact): "exact", str(OA.prefix): "prefix", str(OA.suffix): "suffix", str(OA.start): "start",
       str(OA.end): "end"}
_GRAPH = f"{ID_BASE}graph/"


def _nid(iri: str | None) -> str | None:
    return node_id(iri) if iri else None


def _pairs(a: str, b: str, rows: list[tuple[str, str]]) -> str:
    return f"VALUES (?{a} ?{b}) {{ {' '.join(f'({nt(URIRef(x))} {nt(URIRef(y))})' for x, y in rows)} }}"


def _page(store: KnowledgeStore, c: URIRef, limit: int | None, cursor: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """(statement, graph) pairs of one page, whole articles only, and the cursor after it."""
    sizes = {r[0].value: int(r[1].value) for r in store.select(_GRAPHS, {"claim": c}).rows if r[0] is not None and r[1] is not None}
    graphs = sorted(sizes)
    if cursor:
        if not is_node_id(cursor, "source"):
            raise ClaimgraphError(f"invalid cursor {cursor[:80]!r}: pass the `next` value of the previous page "
                                  "(a source id such as source/<slug>), or no cursor for the first page")
        after = _GRAPH + cursor.removeprefix("source/")
        graphs = [g for g in graphs if g > after]
    chosen: list[str] = []
    n = 0
    nxt = None
    for g in graphs:
        if limit is not None and chosen and n + sizes[g] > limit:
            nxt = f"source/{chosen[-1][len(_GRAPH):]}"
            break
        chosen.append(g)
        n += sizes[g]
    page: list[tuple[str, str]] = []
    for i in range(0, len(chosen), 500):
        rows = store.select(_IDS.format(values=values_block("g", chosen[i:i + 500])), {"claim": c}).rows
        page += [(r[0].value, r[1].value) for r in rows if r[0] is not None and r[1] is not None]
    return sorted(set(page)), nxt


def _statements(store: KnowledgeStore, page: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    fields: dict[str, dict[str, list[Any]]] = {}
    for i in range(0, len(page), 300):
        values = _pairs("st", "g", page[i:i + 300])
        for kind, q in _DETAILS.items():
            for r in store.select(q.format(values=values)).dicts():
                f = fields.setdefault(r["st"], {})
                if kind == "core":
                    for k in ("stance", "kind", "src"):
                        f.setdefault(k, []).append(r[k])
                elif kind == "quote":
                    if r["p"] in _OA:
                        f.setdefault(_OA[r["p"]], []).append(r["v"])
                elif kind == "sentpos":
                    f.setdefault("sentence_start", []).append(r["a"])
                    f.setdefault("sentence_end", []).append(r["b"])
                else:
                    f.setdefault(kind, []).append(r["v"])
    graph_of = dict(page)
    actors = sorted({(a, graph_of[st]) for st, f in fields.items() for a in f.get("speaker", []) + f.get("rec", [])})
    names: dict[tuple[str, str], list[str]] = {}
    roles: dict[tuple[str, str], set[str]] = {}
    for i in range(0, len(actors), 300):
        chunk = actors[i:i + 300]
        for r in store.select(_ACTORS.format(values=_pairs("a", "g", chunk))).dicts():
            key = (r["a"], r["g"])
            if r["f"] == "name":
                names.setdefault(key, []).append(r["v"])
            else:
                roles.setdefault(key, set()).add(r["v"])
    classes = stance_sides(store)
    out: dict[str, dict[str, Any]] = {}
    for st, f in fields.items():
        one = {k: sorted(v, key=str)[0] for k, v in f.items()}
        if not {"stance", "kind", "src", "exact", "start", "end"} <= one.keys() or one["stance"] not in classes:
            continue  # not a complete statement: the trace shows quotes it can pin to the text
        g = graph_of[st]
        q = one
        quote = {"exact": q["exact"], "prefix": q.get("prefix", ""), "suffix": q.get("suffix", ""),
                 "start": q["start"], "end": q["end"], "sentence": q["exact"], "sentence_start": q["start"],
                 "sentence_end": q["end"]}
        s_ex, s_st, s_en = one.get("sentence"), one.get("sentence_start"), one.get("sentence_end")
        if s_ex is not None and s_st is not None and s_en is not None:
            quote.update(sentence=s_ex, sentence_start=s_st, sentence_end=s_en)
        speakers = [{"id": _nid(a), "label": (sorted(names.get((a, g), [])) or [None])[0],
                     "roles": sorted(roles.get((a, g), set()))} for a in sorted(set(f.get("speaker", [])))]
        rec = one.get("rec")
        out[st] = {
            "id": _nid(st), "stance": local(one["stance"]), "side": side(classes[one["stance"]]),
            "kind": local(one["kind"]), "speakers": sorted(speakers, key=lambda x: x["id"] or ""),
            "cue": one.get("cue"),
            "recipient": {"id": _nid(rec), "label": (sorted(names.get((rec, g), [])) or [None])[0]} if rec else None,
            "quote": quote, "src": one["src"],
        }
    return out


def _related(store: KnowledgeStore, c: URIRef, concerns: list[str]) -> list[dict[str, Any]]:
    rel: dict[str, dict[str, Any]] = {}
    for r in store.select(_RELS, {"claim": c}).dicts():
        q = _SHARING.format(pred="cg:proposes", node=nt(URIRef(r["rel"])), cap=RELATED_CAP)
        for o in store.select(q).dicts():
            rel.setdefault(o["other"], {"shares_relation": True, "shared_actors": 0})
    for a in concerns:
        q = _SHARING.format(pred="cg:concerns", node=nt(URIRef(a)), cap=RELATED_CAP)
        for o in store.select(q).dicts():
            rel.setdefault(o["other"], {"shares_relation": False, "shared_actors": 0})["shared_actors"] += 1
    rel.pop(str(c), None)
    best = sorted(rel.items(), key=lambda kv: (not kv[1]["shares_relation"], -kv[1]["shared_actors"], kv[0]))[:20]
    texts: dict[str, str] = {}
    if best:
        for r in store.select(_TEXTS.format(values=values_block("c", [k for k, _ in best]))).dicts():
            texts[r["c"]] = r["text"]
    return [{"id": _nid(k), "text": texts.get(k), **v} for k, v in best]


def trace(store: KnowledgeStore, claim_id: str, limit: int | None = None, cursor: str | None = None) -> dict[str, Any]:
    """The claim, each statement about it (stance and side, speaker with role, cue, recipient, quote
    with selectors and sentence, source article), counts per stance and related claims.

    `limit` cuts the statements to a page (whole articles, at least one) and `next` is then the
    cursor (`source/...`) to pass for the following page; `related` comes with the first page only.
    Names and roles of speakers are those the quoting article gives. NotFound when the claim is
    not in the store."""
    if limit is not None and limit < 1:
        raise ClaimgraphError(f"limit must be at least 1, got {limit}")
    head, kept = claim_counted(store, claim_id)  # raises NotFound; counts from the summary when kept
    c = entity_iri("claim", head["id"].removeprefix("claim/"))
    page, nxt = _page(store, c, limit, cursor)
    stmts = _statements(store, page)
    sources = sources_meta(store, sorted({s["src"] for s in stmts.values()}))
    statements = sorted(stmts.values(), key=lambda s: (s["src"], s["quote"]["start"], s["id"] or ""))
    for s in statements:
        s["source"] = sources.get(s.pop("src"))
        # the first speaker in the singular, for clients that show one name per quote
        s["speaker"] = ({**s["speakers"][0], "role": (s["speakers"][0]["roles"] or [None])[0]}
                        if s["speakers"] else None)
    related = []
    if not cursor:
        concerns = sorted({r["concerns"] for r in store.select(CLAIM_CONCERNS, {"claim": c}).dicts()})
        related = _related(store, c, concerns)
    return {"claim": head, "statements": statements, "counts": head["stances"], "sides": head["sides"],
            "related": related,
            "total": kept["statements"] if kept is not None else int(store.select(_TOTAL, {"claim": c}).rows[0][0].value),
            "next": nxt}


__all__ = ["trace"]
