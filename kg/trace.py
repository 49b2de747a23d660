"""Trace a claim back to the words: every statement about it, pinned to its quote in the article.

The quote is given the way a Web Annotation client re-anchors it (TextQuoteSelector exact, prefix,
suffix) and by offsets (TextPositionSelector start/end) into the article's schema:text.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from .catalog import STANCE_SIDE, claim, local, side, source_meta
from .nodeid import node_id
from .store import KnowledgeStore
from .vocab import entity_iri

_STATEMENTS = """
SELECT DISTINCT ?st ?stance ?sideClass ?kind ?speaker ?speakerName ?roleName ?cue ?rec ?recName
       ?exact ?prefix ?suffix ?start ?end ?sentence ?sentStart ?sentEnd ?src WHERE {
  ?st cg:about ?claim ; cg:evidence ?ev ; schema:isPartOf ?src ; cg:kind ?kind .
""" + STANCE_SIDE + """
  ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
  OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }
  OPTIONAL { ?ev cg:sentence ?sen . ?sen oa:hasSelector ?sq, ?sp . ?sq oa:exact ?sentence .
             ?sp oa:start ?sentStart ; oa:end ?sentEnd }
  OPTIONAL { ?st cg:speaker ?speaker . OPTIONAL { ?speaker schema:name ?speakerName }
             OPTIONAL { ?speaker cg:hasRole/schema:roleName ?roleName } }
  OPTIONAL { ?st cg:cueText ?cue }
  OPTIONAL { ?st cg:recipient ?rec . OPTIONAL { ?rec schema:name ?recName } }
} ORDER BY ?src ?start ?st
"""

_RELATED = """
SELECT ?other (SAMPLE(?t) AS ?text) (MAX(?sameRel) AS ?sharesRelation) (COUNT(DISTINCT ?shared) AS ?sharedActors)
WHERE {
  ?other a cg:Claim ; schema:text ?t . FILTER(?other != ?claim)
  { ?claim cg:proposes ?rel . ?other cg:proposes ?rel . BIND(1 AS ?sameRel) }
  UNION { ?claim cg:concerns ?shared . ?other cg:concerns ?shared . BIND(0 AS ?sameRel) }
} GROUP BY ?other ORDER BY DESC(?sharesRelation) DESC(?sharedActors) ?other LIMIT 20
"""


def _nid(iri: str | None) -> str | None:
    return node_id(iri) if iri else None


def trace(store: KnowledgeStore, claim_id: str) -> dict[str, Any]:
    """The claim, each statement about it (stance and side, speaker with role, cue, recipient, quote
    with selectors and sentence, source article), counts per stance and related claims.
    NotFound when the claim is not in the store."""
    head = claim(store, claim_id)  # raises NotFound
    c = entity_iri("claim", head["id"].removeprefix("claim/"))
    stmts: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, Any] | None] = {}
    for r in store.select(_STATEMENTS, {"claim": c}).dicts():
        s = stmts.get(r["st"])
        if s is None:
            if r["src"] not in sources:
                sources[r["src"]] = source_meta(store, URIRef(r["src"]), text=False)
            sentence = r["sentence"] if r["sentence"] is not None else r["exact"]
            s = stmts[r["st"]] = {
                "id": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
                "kind": local(r["kind"]), "speakers": [], "cue": r["cue"],
                "recipient": {"id": _nid(r["rec"]), "label": r["recName"]} if r["rec"] else None,
                "quote": {"exact": r["exact"], "prefix": r["prefix"] or "", "suffix": r["suffix"] or "",
                          "start": r["start"], "end": r["end"],
                          "sentence": sentence,
                          "sentence_start": r["sentStart"] if r["sentStart"] is not None else r["start"],
                          "sentence_end": r["sentEnd"] if r["sentEnd"] is not None else r["end"]},
                "source": sources[r["src"]],
            }
        if r["speaker"]:
            sp = next((x for x in s["speakers"] if x["id"] == _nid(r["speaker"])), None)
            if sp is None:
                sp = {"id": _nid(r["speaker"]), "label": r["speakerName"], "roles": []}
                s["speakers"].append(sp)
            if r["roleName"] and r["roleName"] not in sp["roles"]:
                sp["roles"].append(r["roleName"])
    statements = list(stmts.values())
    for s in statements:
        s["speakers"].sort(key=lambda x: x["id"])
        # the first speaker in the singular, for clients that show one name per quote
        s["speaker"] = ({**s["speakers"][0], "role": (s["speakers"][0]["roles"] or [None])[0]}
                        if s["speakers"] else None)
    related = [{"id": _nid(r["other"]), "text": r["text"], "shares_relation": bool(int(r["sharesRelation"] or 0)),
                "shared_actors": int(r["sharedActors"])}
               for r in store.select(_RELATED, {"claim": c}).dicts()]
    return {"claim": head, "statements": statements, "counts": head["stances"], "sides": head["sides"],
            "related": related}
