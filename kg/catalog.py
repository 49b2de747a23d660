"""Listings and detail views of actors, claims and sources, as plain dicts for the API and notebooks.

Every function takes a `KnowledgeStore`, binds ids as IRIs (never pasted) and raises `NotFound`
for an id that is not in the store.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import URIRef

from .errors import ClaimgraphError, NotFound
from .mapper import ACTOR_CLASS
from .model import ActorType
from .nodeid import node_id
from .store import KnowledgeStore
from .vocab import CG, CG_NS, entity_iri

MAX_LIMIT = 1000
_TYPE_OF = {str(v): k.value for k, v in ACTOR_CLASS.items()}
_SIDE = {str(CG.SupportingStance): "supports", str(CG.OpposingStance): "opposes", str(CG.NeutralStance): "neutral"}

STANCE_SIDE = """
  ?st cg:stance ?stance . ?stance a ?sideClass .
  VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
"""


def local(iri: str | None) -> str | None:
    """The snake-cased local name of a cg: term (cg:Alleges -> 'alleges', cg:ArmedGroup -> 'armed_group')."""
    if iri is None:
        return None
    if not iri.startswith(CG_NS):
        return iri
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", iri[len(CG_NS):]).lower()  # TacitCooperation -> tacit_cooperation


def side(side_class: str | None) -> str:
    return _SIDE.get(side_class or "", "neutral")


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ClaimgraphError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _slug(iri: str, kind: str) -> str:
    return iri[len(str(entity_iri(kind, ""))):]


def _page(items: list[dict[str, Any]], limit: int, cursor: str | None) -> dict[str, Any]:
    # keyset pagination on the (sorted, unique) id: stable under inserts elsewhere in the list
    if cursor:
        items = [i for i in items if i["id"] > cursor]
    page = items[:limit]
    more = len(items) > limit
    return {"items": page, "next": page[-1]["id"] if more and page else None, "total_after_cursor": len(items)}


# ------------------------------------------------------------------ actors

_ACTORS = """
SELECT ?a ?t (SAMPLE(?n) AS ?name) (COUNT(DISTINCT ?st) AS ?statements) WHERE {
  ?a a ?t ; schema:name ?n .
  VALUES ?t { cg:Person cg:ArmedGroup cg:Government cg:GovernmentAgency cg:State cg:MediaOrganisation
              cg:Organisation cg:Collective }
  OPTIONAL { ?st cg:speaker ?a }
} GROUP BY ?a ?t ORDER BY ?a
"""


def actors(store: KnowledgeStore, type: str | None = None, prefix: str | None = None,  # noqa: A002
           limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """Actors sorted by id, optionally of one type (`person`, `armed_group`, ...) and whose name or an
    alias starts with `prefix` (case-insensitive). `next` is the cursor for the following page."""
    check_limit(limit)
    if type is not None:
        try:
            ActorType(type)
        except ValueError:
            raise ClaimgraphError(f"unknown actor type {type!r}; one of {[t.value for t in ActorType]}") from None
    rows = store.select(_ACTORS).dicts()
    aliases: dict[str, list[str]] = {}
    if prefix:
        for r in store.select("SELECT DISTINCT ?a ?n WHERE { ?a schema:alternateName ?n }").dicts():
            aliases.setdefault(r["a"], []).append(r["n"])
    seen: set[str] = set()
    items = []
    for r in rows:
        nid = node_id(r["a"])
        if nid is None or nid in seen:
            continue
        t = _TYPE_OF.get(r["t"])
        if type is not None and t != type:
            continue
        if prefix:
            p = prefix.lower()
            names = [r["name"], *aliases.get(r["a"], [])]
            if not any(str(n).lower().startswith(p) for n in names):
                continue
        seen.add(nid)
        items.append({"id": nid, "name": r["name"], "type": t, "statements": int(r["statements"])})
    return _page(items, limit, cursor)


_ACTOR = """
SELECT DISTINCT ?t ?name ?alias ?role ?roleName ?roleIn ?aff WHERE {
  ?a a ?t . OPTIONAL { ?a schema:name ?name }
  OPTIONAL { ?a schema:alternateName ?alias }
  OPTIONAL { ?a cg:hasRole ?role . ?role schema:roleName ?roleName . OPTIONAL { ?role cg:roleIn ?roleIn } }
  OPTIONAL { ?a cg:affiliatedWith ?aff }
}
"""

_BY = """
SELECT DISTINCT ?st ?stance ?sideClass ?claim ?text ?src WHERE {
  ?st cg:speaker ?a ; schema:isPartOf ?src .
""" + STANCE_SIDE + """
  OPTIONAL { ?st cg:about ?claim . ?claim schema:text ?text }
} ORDER BY ?st
"""

_ABOUT = """
SELECT DISTINCT ?st ?stance ?sideClass ?speaker ?claim ?text ?how WHERE {
  { ?st cg:about ?claim . ?claim cg:concerns ?a . BIND("concerns" AS ?how) }
  UNION { ?st cg:recipient ?a . OPTIONAL { ?st cg:about ?claim } BIND("recipient" AS ?how) }
""" + STANCE_SIDE + """
  OPTIONAL { ?claim schema:text ?text }
  OPTIONAL { ?st cg:speaker ?speaker }
} ORDER BY ?st
"""

_RELATIONS = """
SELECT DISTINCT ?rel ?cls ?sign ?role ?other ?otherName WHERE {
  { ?rel cg:actor ?a ; cg:counterpart ?other . BIND("actor" AS ?role) }
  UNION { ?rel cg:counterpart ?a ; cg:actor ?other . BIND("counterpart" AS ?role) }
  ?rel a ?cls . ?cls rdfs:subClassOf* cg:ActorRelation . FILTER(?cls != cg:ActorRelation)
  OPTIONAL { ?cls cg:sign ?sign }
  OPTIONAL { ?other schema:name ?otherName }
} ORDER BY ?rel
"""

_REL_CLAIMS = """
SELECT DISTINCT ?claim ?text ?st ?speaker ?speakerName ?stance ?sideClass WHERE {
  ?claim cg:proposes ?rel ; schema:text ?text .
  OPTIONAL { ?st cg:about ?claim .
""" + STANCE_SIDE + """
    OPTIONAL { ?st cg:speaker ?speaker . OPTIONAL { ?speaker schema:name ?speakerName } } }
} ORDER BY ?claim ?st
"""

_REL_EVIDENCE = """
SELECT DISTINCT ?exact ?start ?end ?src WHERE {
  ?rel cg:evidence ?ev . ?ev oa:hasSource ?src ; oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
} ORDER BY ?src ?start
"""


def _nid(iri: str | None) -> str | None:
    return node_id(iri) if iri else None


def actor(store: KnowledgeStore, id: str) -> dict[str, Any]:  # noqa: A002 - the API's word
    """An actor: names, aliases, roles, affiliations, statements by and about it, and its relations
    with who asserted or denied each one (statements about the claims that propose it) and the
    narration evidence for it."""
    slug = id.removeprefix("actor/")
    a = entity_iri("actor", slug)
    b = {"a": a}
    rows = store.select(_ACTOR, b).dicts()
    types = {r["t"] for r in rows} & set(_TYPE_OF)
    if not types:
        raise NotFound(f"no actor {slug!r} in the store")
    roles = {(r["roleName"], _nid(r["roleIn"])) for r in rows if r["roleName"]}
    out: dict[str, Any] = {
        "id": f"actor/{slug}", "iri": str(a), "type": _TYPE_OF[sorted(types)[0]],
        "name": next((r["name"] for r in rows if r["name"]), slug),
        "aliases": sorted({r["alias"] for r in rows if r["alias"]}),
        "roles": [{"title": t, "in": o} for t, o in sorted(roles, key=lambda x: (x[0], x[1] or ""))],
        "affiliations": sorted({_nid(r["aff"]) for r in rows if r["aff"]}),
    }
    out["statements_by"] = [
        {"statement": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
         "claim": _nid(r["claim"]), "claim_text": r["text"], "source": _nid(r["src"])}
        for r in store.select(_BY, b).dicts()]
    out["statements_about"] = [
        {"statement": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
         "speaker": _nid(r["speaker"]), "claim": _nid(r["claim"]), "claim_text": r["text"], "as": r["how"]}
        for r in store.select(_ABOUT, b).dicts()]
    rels: dict[str, dict[str, Any]] = {}
    for r in store.select(_RELATIONS, b).dicts():
        rels.setdefault(r["rel"], {
            "id": _nid(r["rel"]), "type": local(r["cls"]), "sign": r["sign"], "role": r["role"],
            "other": _nid(r["other"]), "other_name": r["otherName"], "claims": [], "evidence": []})
    for iri, rel in rels.items():
        claims: dict[str, dict[str, Any]] = {}
        for r in store.select(_REL_CLAIMS, {"rel": URIRef(iri)}).dicts():
            c = claims.setdefault(r["claim"], {"claim": _nid(r["claim"]), "text": r["text"],
                                                "asserted_by": [], "denied_by": [], "other": []})
            if r["st"] and r["speaker"]:
                key = {"supports": "asserted_by", "opposes": "denied_by"}.get(side(r["sideClass"]), "other")
                entry = {"actor": _nid(r["speaker"]), "name": r["speakerName"], "statement": _nid(r["st"]),
                         "stance": local(r["stance"])}
                if entry not in c[key]:
                    c[key].append(entry)
        rel["claims"] = list(claims.values())
        rel["evidence"] = [{"exact": r["exact"], "start": r["start"], "end": r["end"], "source": _nid(r["src"])}
                           for r in store.select(_REL_EVIDENCE, {"rel": URIRef(iri)}).dicts()]
    out["relations"] = list(rels.values())
    return out


# ------------------------------------------------------------------ claims

_CLAIMS = """
SELECT ?claim (SAMPLE(?t) AS ?text) (SAMPLE(?r) AS ?rel)
       (COUNT(DISTINCT ?sup) AS ?supports) (COUNT(DISTINCT ?opp) AS ?opposes) WHERE {
  ?claim a cg:Claim ; schema:text ?t .
  OPTIONAL { ?claim cg:proposes ?r }
  OPTIONAL { ?sup cg:about ?claim ; cg:stance/a cg:SupportingStance }
  OPTIONAL { ?opp cg:about ?claim ; cg:stance/a cg:OpposingStance }
} GROUP BY ?claim ORDER BY ?claim
"""

_CLAIMS_ABOUT = _CLAIMS.replace("?claim a cg:Claim ;", "?claim a cg:Claim ; cg:concerns ?about ;")


def claims(store: KnowledgeStore, contested: bool | None = None, about: str | None = None,
           limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """Claims sorted by id with counts of supporting and opposing statements; `contested=True` keeps
    those both asserted and denied, `about='actor/taliban'` those concerning an actor."""
    check_limit(limit)
    if about is not None:
        slug = about.removeprefix("actor/")
        rows = store.select(_CLAIMS_ABOUT, {"about": entity_iri("actor", slug)}).dicts()
    else:
        rows = store.select(_CLAIMS).dicts()
    items = []
    for r in rows:
        sup, opp = int(r["supports"]), int(r["opposes"])
        is_contested = sup > 0 and opp > 0
        if contested is not None and is_contested != contested:
            continue
        items.append({"id": _nid(r["claim"]), "text": r["text"], "relation": _nid(r["rel"]),
                      "supports": sup, "opposes": opp, "contested": is_contested})
    return _page(items, limit, cursor)


_CLAIM = """
SELECT DISTINCT ?text ?rel ?cls ?ra ?rc ?concerns ?cname WHERE {
  ?claim a cg:Claim ; schema:text ?text .
  OPTIONAL { ?claim cg:proposes ?rel . ?rel cg:actor ?ra ; cg:counterpart ?rc .
             OPTIONAL { ?rel a ?cls . ?cls rdfs:subClassOf+ cg:ActorRelation } }
  OPTIONAL { ?claim cg:concerns ?concerns . OPTIONAL { ?concerns schema:name ?cname } }
}
"""

_CLAIM_STANCES = """
SELECT ?stance ?sideClass (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st cg:about ?claim .
""" + STANCE_SIDE + """
} GROUP BY ?stance ?sideClass ORDER BY ?stance
"""


def claim(store: KnowledgeStore, id: str) -> dict[str, Any]:  # noqa: A002
    """A claim: its text, the relation it proposes, the actors it concerns and statement counts."""
    slug = id.removeprefix("claim/")
    c = entity_iri("claim", slug)
    rows = store.select(_CLAIM, {"claim": c}).dicts()
    if not rows:
        raise NotFound(f"no claim {slug!r} in the store")
    r0 = rows[0]
    relation = None
    if r0["rel"]:
        relation = {"id": _nid(r0["rel"]), "type": local(next((r["cls"] for r in rows if r["cls"]), None)),
                    "actor": _nid(r0["ra"]), "counterpart": _nid(r0["rc"])}
    concerns = {r["concerns"]: r["cname"] for r in rows if r["concerns"]}
    counts: dict[str, int] = {}
    sides = {"supports": 0, "opposes": 0, "neutral": 0}
    for r in store.select(_CLAIM_STANCES, {"claim": c}).dicts():
        counts[local(r["stance"]) or ""] = int(r["n"])
        sides[side(r["sideClass"])] += int(r["n"])
    return {"id": f"claim/{slug}", "iri": str(c), "text": r0["text"], "relation": relation,
            "concerns": [{"id": _nid(k), "name": v} for k, v in sorted(concerns.items())],
            "stances": counts, "sides": sides, "contested": sides["supports"] > 0 and sides["opposes"] > 0}


# ------------------------------------------------------------------ sources

_SOURCE = """
SELECT ?sid ?title ?text ?url ?date ?pub ?pubName WHERE {
  ?src a schema:NewsArticle ; cg:sourceId ?sid ; schema:text ?text .
  OPTIONAL { ?src schema:headline ?title } OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?src schema:datePublished ?date }
  OPTIONAL { ?src schema:publisher ?pub . OPTIONAL { ?pub schema:name ?pubName } }
} LIMIT 1
"""

_SOURCE_STATEMENTS = """
SELECT DISTINCT ?st ?stance ?sideClass ?speaker ?claim ?exact ?start ?end WHERE {
  ?st schema:isPartOf ?src ; cg:evidence ?ev .
""" + STANCE_SIDE + """
  ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
  OPTIONAL { ?st cg:speaker ?speaker } OPTIONAL { ?st cg:about ?claim }
} ORDER BY ?start ?st
"""


def source_meta(store: KnowledgeStore, src: URIRef, text: bool = True) -> dict[str, Any] | None:
    rows = store.select(_SOURCE, {"src": src}).dicts()
    if not rows:
        return None
    r = rows[0]
    out = {"id": _nid(str(src)), "iri": str(src), "source_id": r["sid"], "title": r["title"], "url": r["url"],
           "date": None if r["date"] is None else str(r["date"]),
           "publisher": {"id": _nid(r["pub"]), "name": r["pubName"]} if r["pub"] else None}
    if text:
        out["text"] = r["text"]
    return out


def source(store: KnowledgeStore, id: str) -> dict[str, Any]:  # noqa: A002
    """An article: metadata, full text and its statements with quote offsets into that text."""
    slug = id.removeprefix("source/")
    src = entity_iri("source", slug)
    out = source_meta(store, src)
    if out is None:
        raise NotFound(f"no source {slug!r} in the store")
    stmts: dict[str, dict[str, Any]] = {}
    for r in store.select(_SOURCE_STATEMENTS, {"src": src}).dicts():
        s = stmts.setdefault(r["st"], {"id": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
                                       "exact": r["exact"], "start": r["start"], "end": r["end"],
                                       "speakers": [], "claims": []})
        for key, val in (("speakers", _nid(r["speaker"])), ("claims", _nid(r["claim"]))):
            if val and val not in s[key]:
                s[key].append(val)
    out["statements"] = list(stmts.values())
    return out
