"""Trace a claim back to the words: every statement about it, pinned to its quote in the article.

The quote is given the way a Web Annotation client re-anchors it (TextQuoteSelector exact, prefix,
suffix) and by offsets (TextPositionSelector start/end) into the article's schema:text.
"""

from __future__ import annotations

from typing import Any

from .catalog import claim, local, side, sources_meta, values_block
from .nodeid import node_id
from .store import KnowledgeStore
from .vocab import entity_iri

# Straight patterns from the bound claim, one attribute per query: Oxigraph evaluates an OPTIONAL's
# right side on its own (over the whole store) and joins over the union default graph multiply
# by the number of graphs holding a shared node, so both are kept out of the hot path.
_CORE = """
SELECT DISTINCT ?st ?stance ?sideClass ?kind ?src ?exact ?start ?end WHERE {
  GRAPH ?g { ?st cg:about ?claim ; cg:evidence ?ev ; schema:isPartOf ?src ; cg:kind ?kind ; cg:stance ?stance .
             ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end . }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
} ORDER BY ?src ?start ?st
"""
_ATTRS = {
    "prefix": "SELECT DISTINCT ?st ?prefix WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:evidence/oa:hasSelector/oa:prefix ?prefix } }",
    "suffix": "SELECT DISTINCT ?st ?suffix WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:evidence/oa:hasSelector/oa:suffix ?suffix } }",
    "sentence": """SELECT DISTINCT ?st ?sentence ?sentStart ?sentEnd WHERE { GRAPH ?g {
        ?st cg:about ?claim ; cg:evidence/cg:sentence ?sen . ?sen oa:hasSelector ?sq, ?sp .
        ?sq oa:exact ?sentence . ?sp oa:start ?sentStart ; oa:end ?sentEnd } }""",
    "speaker": "SELECT DISTINCT ?st ?speaker WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:speaker ?speaker } }",
    "cue": "SELECT DISTINCT ?st ?cue WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:cueText ?cue } }",
    "rec": "SELECT DISTINCT ?st ?rec WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:recipient ?rec } }",
}
_NAMES = "SELECT DISTINCT ?a ?name WHERE {{ {values} GRAPH ?g {{ ?a schema:name ?name }} }}"
_ROLES = "SELECT DISTINCT ?a ?roleName WHERE {{ {values} GRAPH ?g {{ ?a cg:hasRole ?r . ?r schema:roleName ?roleName }} }}"

_RELATED = """
SELECT ?other (MAX(?sameRel) AS ?sharesRelation) (COUNT(DISTINCT ?shared) AS ?sharedActors) WHERE {
  { SELECT DISTINCT ?rel WHERE { ?claim cg:proposes ?rel } } ?other cg:proposes ?rel . BIND(1 AS ?sameRel)
  FILTER(?other != ?claim)
} GROUP BY ?other ORDER BY ?other LIMIT 200
"""
_RELATED_ACTORS = """
SELECT ?other (COUNT(DISTINCT ?shared) AS ?sharedActors) WHERE {
  { SELECT DISTINCT ?shared WHERE { ?claim cg:concerns ?shared } } ?other cg:concerns ?shared .
  FILTER(?other != ?claim)
} GROUP BY ?other ORDER BY DESC(?sharedActors) ?other LIMIT 200
"""
_TEXTS = "SELECT DISTINCT ?c ?text WHERE {{ {values} GRAPH ?g {{ ?c schema:text ?text }} }}"


def _labels(store: KnowledgeStore, query: str, iris: set[str], var: str, key: str = "a") -> dict[str, list[str]]:
    """key IRI -> values of `var`, for a few hundred IRIs at a time."""
    out: dict[str, list[str]] = {}
    ordered = sorted(iris)
    for i in range(0, len(ordered), 500):
        for r in store.select(query.format(values=values_block(key, ordered[i:i + 500]))).dicts():
            out.setdefault(r[key], []).append(r[var])
    return out


def _nid(iri: str | None) -> str | None:
    return node_id(iri) if iri else None


def trace(store: KnowledgeStore, claim_id: str) -> dict[str, Any]:
    """The claim, each statement about it (stance and side, speaker with role, cue, recipient, quote
    with selectors and sentence, source article), counts per stance and related claims.
    NotFound when the claim is not in the store."""
    head = claim(store, claim_id)  # raises NotFound
    c = entity_iri("claim", head["id"].removeprefix("claim/"))
    b = {"claim": c}
    stmts: dict[str, dict[str, Any]] = {}
    core = store.select(_CORE, b).dicts()
    sources = sources_meta(store, sorted({r["src"] for r in core}))
    for r in core:
        if r["st"] in stmts:
            continue
        stmts[r["st"]] = {
            "id": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
            "kind": local(r["kind"]), "speakers": [], "cue": None, "recipient": None,
            "quote": {"exact": r["exact"], "prefix": "", "suffix": "", "start": r["start"], "end": r["end"],
                      "sentence": r["exact"], "sentence_start": r["start"], "sentence_end": r["end"]},
            "source": sources.get(r["src"]),
        }
    attrs = {k: store.select(q, b).dicts() for k, q in _ATTRS.items()}
    actors = {r["speaker"] for r in attrs["speaker"]} | {r["rec"] for r in attrs["rec"]}
    names = _labels(store, _NAMES, actors, "name")
    roles = _labels(store, _ROLES, {r["speaker"] for r in attrs["speaker"]}, "roleName")
    for kind, rows in attrs.items():
        for r in rows:
            s = stmts.get(r["st"])
            if s is None:
                continue
            q = s["quote"]
            if kind in ("prefix", "suffix"):
                q[kind] = r[kind]
            elif kind == "sentence":
                q.update(sentence=r["sentence"], sentence_start=r["sentStart"], sentence_end=r["sentEnd"])
            elif kind == "cue":
                s["cue"] = r["cue"]
            elif kind == "rec":
                s["recipient"] = {"id": _nid(r["rec"]), "label": (names.get(r["rec"]) or [None])[0]}
            elif kind == "speaker" and _nid(r["speaker"]) not in {x["id"] for x in s["speakers"]}:
                s["speakers"].append({"id": _nid(r["speaker"]), "label": (names.get(r["speaker"]) or [None])[0],
                                      "roles": sorted(set(roles.get(r["speaker"], [])))})
    statements = list(stmts.values())
    for s in statements:
        s["speakers"].sort(key=lambda x: x["id"])
        # the first speaker in the singular, for clients that show one name per quote
        s["speaker"] = ({**s["speakers"][0], "role": (s["speakers"][0]["roles"] or [None])[0]}
                        if s["speakers"] else None)
    rel: dict[str, dict[str, Any]] = {}
    for r in store.select(_RELATED, b).dicts():
        rel[r["other"]] = {"shares_relation": True, "shared_actors": 0}
    for r in store.select(_RELATED_ACTORS, b).dicts():
        rel.setdefault(r["other"], {"shares_relation": False, "shared_actors": 0})["shared_actors"] = int(r["sharedActors"])
    best = sorted(rel.items(), key=lambda kv: (not kv[1]["shares_relation"], -kv[1]["shared_actors"], kv[0]))[:20]
    texts = _labels(store, _TEXTS, {k for k, _ in best}, "text", key="c")
    related = [{"id": _nid(k), "text": (texts.get(k) or [None])[0], **v} for k, v in best]
    return {"claim": head, "statements": statements, "counts": head["stances"], "sides": head["sides"],
            "related": related}
