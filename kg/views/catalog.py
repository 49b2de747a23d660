"""Listings and detail views of actors, claims and sources, as plain dicts for the API and notebooks.

Every function takes a `KnowledgeStore`, binds ids as IRIs (never pasted) and raises `NotFound`
for an id that is not in the store.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import URIRef

from ..errors import ClaimgraphError, NotFound
from ..model import ActorType
from ..rdf.mapper import ACTOR_CLASS, RELATION_CLASS
from ..rdf.nodeid import is_node_id, node_id
from ..rdf.terms import nt
from ..rdf.vocab import CG, CG_NS, entity_iri
from ..store import summary
from ..store.base import KnowledgeStore

MAX_LIMIT = 1000
_RELATION_CLASSES = {str(v) for v in RELATION_CLASS.values()}
_TYPE_OF = {str(v): k.value for k, v in ACTOR_CLASS.items()}
ONTOLOGY_GRAPH = URIRef(CG_NS.rstrip("#"))
"""The named graph holding the ontology (the cg: namespace IRI without its '#')."""
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


def values_block(var: str, iris: list[str]) -> str:
    """`VALUES ?var { <iri> ... }` of escaped IRIs: values bound, never pasted as text."""
    return f"VALUES ?{var} {{ {' '.join(nt(URIRef(i)) for i in iris)} }}"


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ClaimgraphError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _slug(iri: str, kind: str) -> str:
    return iri[len(str(entity_iri(kind, ""))):]


def check_cursor(cursor: str | None, kind: str) -> None:
    """A listing's cursor is the `kind/slug` id of the last item of the previous page; anything else
    is a mistake to report (a 400 over HTTP), not an empty or restarted page."""
    if cursor and not is_node_id(cursor, kind):
        raise ClaimgraphError(f"invalid cursor {cursor[:80]!r}: pass the `next` value of the previous page "
                              f"(an id such as {kind}/<slug>), or no cursor for the first page")


def _page(items: list[dict[str, Any]], limit: int, cursor: str | None, kind: str) -> dict[str, Any]:
    # keyset pagination on the (sorted, unique) id: stable under inserts elsewhere in the list
    check_cursor(cursor, kind)
    if cursor:
        items = [i for i in items if i["id"] > cursor]
    page = items[:limit]
    more = len(items) > limit
    return {"items": page, "next": page[-1]["id"] if more and page else None, "total_after_cursor": len(items)}


# ------------------------------------------------------------------ actors

_ACTORS = """
SELECT DISTINCT ?a ?t ?name WHERE {
  VALUES ?t { cg:Person cg:ArmedGroup cg:Government cg:GovernmentAgency cg:State cg:MediaOrganisation
              cg:Organisation cg:Collective cg:UnnamedSource }
  GRAPH ?g { ?a a ?t ; schema:name ?name }
} ORDER BY ?a
"""
_SAID = "SELECT ?a (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st cg:speaker ?a } } GROUP BY ?a"


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
    said = {r["a"]: int(r["n"]) for r in store.select(_SAID).dicts()}
    aliases: dict[str, list[str]] = {}
    if prefix:
        for r in store.select("SELECT DISTINCT ?a ?n WHERE { GRAPH ?g { ?a schema:alternateName ?n } }").dicts():
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
        items.append({"id": nid, "name": r["name"], "type": t, "statements": said.get(r["a"], 0)})
    return _page(items, limit, cursor, "actor")


_ACTOR_TYPES = "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?a a ?t } }"
_ACTOR_NAMES = "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?a schema:name ?name } }"
_ACTOR_ALIASES = "SELECT DISTINCT ?alias WHERE { GRAPH ?g { ?a schema:alternateName ?alias } }"
_ACTOR_ROLES = """SELECT DISTINCT ?roleName ?roleIn WHERE {
  GRAPH ?g { ?a cg:hasRole ?role . ?role schema:roleName ?roleName . OPTIONAL { ?role cg:roleIn ?roleIn } } }"""
_ACTOR_AFFS = "SELECT DISTINCT ?aff WHERE { GRAPH ?g { ?a cg:affiliatedWith ?aff } }"

# statements live in one article graph each: their patterns join inside GRAPH ?g
_BY = """
SELECT DISTINCT ?st ?stance ?sideClass ?claim ?src WHERE {
  GRAPH ?g { ?st cg:speaker ?a ; schema:isPartOf ?src ; cg:stance ?stance . OPTIONAL { ?st cg:about ?claim } }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
} ORDER BY ?st
"""

_ABOUT = """
SELECT DISTINCT ?st ?stance ?sideClass ?speaker ?claim ?how WHERE {
  { { SELECT DISTINCT ?claim WHERE { GRAPH ?h { ?claim cg:concerns ?a } } }
    GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance . OPTIONAL { ?st cg:speaker ?speaker } }
    BIND("concerns" AS ?how) }
  UNION { GRAPH ?g { ?st cg:recipient ?a ; cg:stance ?stance . OPTIONAL { ?st cg:about ?claim }
                     OPTIONAL { ?st cg:speaker ?speaker } } BIND("recipient" AS ?how) }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
} ORDER BY ?st
"""

_RELATIONS = """
SELECT DISTINCT ?rel ?cls ?sign ?role ?other WHERE {
  { GRAPH ?g { ?rel cg:actor ?a ; cg:counterpart ?other ; a ?cls } BIND("actor" AS ?role) }
  UNION { GRAPH ?g { ?rel cg:counterpart ?a ; cg:actor ?other ; a ?cls } BIND("counterpart" AS ?role) }
  ?cls cg:sign ?sign .
} ORDER BY ?rel
"""

_REL_CLAIMS = """
SELECT DISTINCT ?claim ?st ?speaker ?stance ?sideClass WHERE {
  { SELECT DISTINCT ?claim WHERE { GRAPH ?h { ?claim cg:proposes ?rel } } }
  GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance ; cg:speaker ?speaker }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
} ORDER BY ?claim ?st
"""
_REL_CLAIM_IDS = "SELECT DISTINCT ?claim WHERE { GRAPH ?h { ?claim cg:proposes ?rel } } ORDER BY ?claim"

_REL_EVIDENCE = """
SELECT DISTINCT ?exact ?start ?end ?src WHERE {
  GRAPH ?g { ?rel cg:evidence ?ev . ?ev oa:hasSource ?src ; oa:hasSelector ?q, ?p .
             ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end . }
} ORDER BY ?src ?start
"""
_NAMES = "SELECT DISTINCT ?x ?v WHERE {{ {values} GRAPH ?g {{ ?x schema:name ?v }} }}"
_TEXTS = "SELECT DISTINCT ?x ?v WHERE {{ {values} GRAPH ?g {{ ?x schema:text ?v }} }}"


def _nid(iri: str | None) -> str | None:
    return node_id(iri) if iri else None


def lookup(store: KnowledgeStore, query: str, iris: set[str]) -> dict[str, Any]:
    """IRI -> one value (a name or a text) for many IRIs, 500 per query."""
    out: dict[str, Any] = {}
    ordered = sorted(i for i in iris if i)
    for i in range(0, len(ordered), 500):
        for r in store.select(query.format(values=values_block("x", ordered[i:i + 500]))).dicts():
            out.setdefault(r["x"], r["v"])
    return out


def actor(store: KnowledgeStore, id: str) -> dict[str, Any]:  # noqa: A002 - the API's word
    """An actor: names, aliases, roles, affiliations, statements by and about it, and its relations
    with who asserted or denied each one (statements about the claims that propose it) and the
    narration evidence for it."""
    slug = id.removeprefix("actor/")
    a = entity_iri("actor", slug)
    b = {"a": a}
    types = {r["t"] for r in store.select(_ACTOR_TYPES, b).dicts()} & set(_TYPE_OF)
    if not types:
        raise NotFound(f"actor {slug!r} not found in the store")
    names = [r["name"] for r in store.select(_ACTOR_NAMES, b).dicts()]
    roles = {(r["roleName"], _nid(r["roleIn"])) for r in store.select(_ACTOR_ROLES, b).dicts()}
    out: dict[str, Any] = {
        "id": f"actor/{slug}", "iri": str(a), "type": _TYPE_OF[sorted(types)[0]],
        "name": sorted(names)[0] if names else slug,
        "aliases": sorted({r["alias"] for r in store.select(_ACTOR_ALIASES, b).dicts()}),
        "roles": [{"title": t, "in": o} for t, o in sorted(roles, key=lambda x: (x[0], x[1] or ""))],
        "affiliations": sorted({_nid(r["aff"]) for r in store.select(_ACTOR_AFFS, b).dicts()}),
    }
    by = store.select(_BY, b).dicts()
    about = store.select(_ABOUT, b).dicts()
    rels: dict[str, dict[str, Any]] = {}
    for r in store.select(_RELATIONS, b).dicts():
        rels.setdefault(r["rel"], {
            "id": _nid(r["rel"]), "type": local(r["cls"]), "sign": r["sign"], "role": r["role"],
            "other": _nid(r["other"]), "other_name": None, "claims": [], "evidence": []})
    rel_rows = {iri: store.select(_REL_CLAIMS, {"rel": URIRef(iri)}).dicts() for iri in rels}
    rel_claims = {iri: [r["claim"] for r in store.select(_REL_CLAIM_IDS, {"rel": URIRef(iri)}).dicts()]
                  for iri in rels}
    texts = lookup(store, _TEXTS, {r["claim"] for r in by + about if r["claim"]}
                   | {c for cs in rel_claims.values() for c in cs})
    who = lookup(store, _NAMES, {str(entity_iri("actor", (x or "actor/").split("/", 1)[1])) for x in
                                 (rel["other"] for rel in rels.values())}
                 | {r["speaker"] for rows in rel_rows.values() for r in rows})
    out["statements_by"] = [
        {"statement": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
         "claim": _nid(r["claim"]), "claim_text": texts.get(r["claim"]), "source": _nid(r["src"])} for r in by]
    out["statements_about"] = [
        {"statement": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
         "speaker": _nid(r["speaker"]), "claim": _nid(r["claim"]), "claim_text": texts.get(r["claim"]),
         "as": r["how"]} for r in about]
    for iri, rel in rels.items():
        rel["other_name"] = who.get(str(entity_iri("actor", rel["other"].split("/", 1)[1]))) if rel["other"] else None
        claims: dict[str, dict[str, Any]] = {
            c: {"claim": _nid(c), "text": texts.get(c), "asserted_by": [], "denied_by": [], "other": []}
            for c in rel_claims[iri]}
        for r in rel_rows[iri]:
            key = {"supports": "asserted_by", "opposes": "denied_by"}.get(side(r["sideClass"]), "other")
            entry = {"actor": _nid(r["speaker"]), "name": who.get(r["speaker"]), "statement": _nid(r["st"]),
                     "stance": local(r["stance"])}
            if r["claim"] in claims and entry not in claims[r["claim"]][key]:
                claims[r["claim"]][key].append(entry)
        rel["claims"] = list(claims.values())
        rel["evidence"] = [{"exact": r["exact"], "start": r["start"], "end": r["end"], "source": _nid(r["src"])}
                           for r in store.select(_REL_EVIDENCE, {"rel": URIRef(iri)}).dicts()]
    out["relations"] = list(rels.values())
    return out


# ------------------------------------------------------------------ claims

_CLAIM_TEXTS = "SELECT DISTINCT ?claim ?text WHERE { GRAPH ?g { ?claim a cg:Claim ; schema:text ?text } } ORDER BY ?claim"
_CLAIM_RELS = "SELECT DISTINCT ?claim ?rel WHERE { GRAPH ?g { ?claim cg:proposes ?rel } }"
_CLAIM_SIDES = """SELECT ?claim ?sideClass (COUNT(DISTINCT ?st) AS ?n) WHERE {
  GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance }
} GROUP BY ?claim ?sideClass"""
_ABOUT_ACTOR = "SELECT DISTINCT ?claim WHERE { GRAPH ?g { ?claim cg:concerns ?about } }"


def claims(store: KnowledgeStore, contested: bool | None = None, about: str | None = None,
           limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """Claims sorted by id with counts of supporting and opposing statements; `contested=True` keeps
    those both asserted and denied, `about='actor/taliban'` those concerning an actor."""
    check_limit(limit)
    keep: set[str] | None = None
    if about is not None:
        slug = about.removeprefix("actor/")
        keep = {r["claim"] for r in store.select(_ABOUT_ACTOR, {"about": entity_iri("actor", slug)}).dicts()}
    if summary.kept(store):
        return _kept_claims(store, contested, keep, limit, cursor)
    rels = {r["claim"]: r["rel"] for r in store.select(_CLAIM_RELS).dicts()}
    counts: dict[tuple[str, str], int] = {(r["claim"], side(r["sideClass"])): int(r["n"])
                                          for r in store.select(_CLAIM_SIDES).dicts()}
    texts = _least_texts(store.select(_CLAIM_TEXTS).dicts())
    items = []
    for c, text in sorted(texts.items()):
        if keep is not None and c not in keep:
            continue
        sup, opp = counts.get((c, "supports"), 0), counts.get((c, "opposes"), 0)
        is_contested = sup > 0 and opp > 0
        if contested is not None and is_contested != contested:
            continue
        items.append({"id": _nid(c), "text": text, "relation": _nid(rels.get(c)),
                      "supports": sup, "opposes": opp, "contested": is_contested})
    return _page(items, limit, cursor, "claim")


def _least_texts(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Claim -> its text; a claim given other words in another article shows the least of them, so
    that every path (counted, kept) names it alike."""
    out: dict[str, str] = {}
    for r in rows:
        if r["claim"] not in out or r["text"] < out[r["claim"]]:
            out[r["claim"]] = r["text"]
    return out


# the page's claims come from the summary, which counts only claims typed cg:Claim: no type pattern
# here (Oxigraph joined it through every typed copy: 120 ms for a page at 10M, 5 ms without)
_PAGE_TEXTS = "SELECT DISTINCT ?claim ?text WHERE {{ {values} GRAPH ?g {{ ?claim schema:text ?text }} }}"
_PAGE_RELS = "SELECT DISTINCT ?claim ?rel WHERE {{ {values} GRAPH ?g {{ ?claim cg:proposes ?rel }} }}"


def _kept_claims(store: KnowledgeStore, contested: bool | None, keep: set[str] | None, limit: int,
                 cursor: str | None) -> dict[str, Any]:
    """`claims` from the summary graph: the counts of every claim in one read, then the text and
    relation of the page's claims only (the same items and order as counting them all)."""
    check_cursor(cursor, "claim")
    ids = []
    for iri in summary.claim_ids(store, contested):
        nid = _nid(iri)
        if nid is not None and (keep is None or iri in keep):
            ids.append((nid, iri))
    ids.sort()
    after = [x for x in ids if x[0] > cursor] if cursor else ids
    page = after[:limit]
    iris = [iri for _, iri in page]
    table = summary.claim_counts(store, iris)
    texts: dict[str, str] = {}
    rels: dict[str, str] = {}
    for i in range(0, len(iris), 500):
        values = values_block("claim", iris[i:i + 500])
        texts.update(_least_texts(store.select(_PAGE_TEXTS.format(values=values)).dicts()))
        rels.update({r["claim"]: r["rel"] for r in store.select(_PAGE_RELS.format(values=values)).dicts()})
    items = []
    for nid, iri in page:
        sup, opp = table.get(iri, (0, 0))
        items.append({"id": nid, "text": texts.get(iri), "relation": _nid(rels.get(iri)),
                      "supports": sup, "opposes": opp, "contested": sup > 0 and opp > 0})
    more = len(after) > limit
    return {"items": items, "next": items[-1]["id"] if more and items else None, "total_after_cursor": len(after)}


# Joins over shared nodes (claims, actors, relations appear in many article graphs) stay inside one
# GRAPH: over the union default graph each joined pattern multiplies by the graphs holding it.
_CLAIM = "SELECT DISTINCT ?text WHERE { GRAPH ?g { ?claim a cg:Claim ; schema:text ?text } } LIMIT 1"
_CLAIM_REL = """SELECT DISTINCT ?rel ?cls ?ra ?rc WHERE {
  GRAPH ?g { ?claim cg:proposes ?rel . ?rel a ?cls ; cg:actor ?ra ; cg:counterpart ?rc } } """
CLAIM_CONCERNS = "SELECT DISTINCT ?concerns WHERE { GRAPH ?g { ?claim cg:concerns ?concerns } }"
# one name per actor, read in Oxigraph (a hub actor's name is stored once per article naming it)
_SAMPLE_NAMES = "SELECT ?x (SAMPLE(?n) AS ?v) WHERE {{ {values} GRAPH ?g {{ ?x schema:name ?n }} }} GROUP BY ?x"
# counted inside each statement's graph; the stance's side comes from the ontology graph apart
# (joined here, the side pattern would be read once per statement)
_CLAIM_STANCES = """SELECT ?stance (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance } }
GROUP BY ?stance ORDER BY ?stance"""
_STANCE_SIDES = """SELECT ?stance ?sideClass WHERE { GRAPH ?o { ?stance a ?sideClass }
  VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance } }"""


def stance_sides(store: KnowledgeStore) -> dict[str, str]:
    """Stance IRI -> its side class IRI (cg:SupportingStance...), as the ontology graph says."""
    return {r["stance"]: r["sideClass"] for r in store.select(_STANCE_SIDES, {"o": ONTOLOGY_GRAPH}).dicts()}


def claim(store: KnowledgeStore, id: str) -> dict[str, Any]:  # noqa: A002
    """A claim: its text, the relation it proposes, the actors it concerns and statement counts."""
    return claim_counted(store, id)[0]


def claim_counted(store: KnowledgeStore, id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:  # noqa: A002
    """`claim`, and its entry in the summary graph when the summary is kept (else None): the counts
    came from there, and the trace takes its total from it too."""
    slug = id.removeprefix("claim/")
    c = entity_iri("claim", slug)
    rows = store.select(_CLAIM, {"claim": c}).dicts()
    if not rows:
        raise NotFound(f"claim {slug!r} not found in the store")
    r0 = rows[0]
    relation = None
    for r in store.select(_CLAIM_REL, {"claim": c}).dicts():
        if r["cls"] in _RELATION_CLASSES:
            relation = {"id": _nid(r["rel"]), "type": local(r["cls"]), "actor": _nid(r["ra"]),
                        "counterpart": _nid(r["rc"])}
    ids = {r["concerns"] for r in store.select(CLAIM_CONCERNS, {"claim": c}).dicts()}
    concerns = sample_names(store, ids)
    counts: dict[str, int] = {}
    sides = {"supports": 0, "opposes": 0, "neutral": 0}
    classes = stance_sides(store)
    kept = summary.claim_entry(store, str(c)) if summary.kept(store) else None
    per_stance = (kept["stances"] if kept is not None else
                  {r["stance"]: int(r["n"]) for r in store.select(_CLAIM_STANCES, {"claim": c}).dicts()})
    for stance in sorted(per_stance):
        if stance not in classes:
            continue  # not a stance of the ontology: not counted (as before, when joined on its class)
        counts[local(stance) or ""] = per_stance[stance]
        sides[side(classes[stance])] += per_stance[stance]
    out = {"id": f"claim/{slug}", "iri": str(c), "text": r0["text"], "relation": relation,
           "concerns": [{"id": _nid(k), "name": v} for k, v in sorted(concerns.items())],
           "stances": counts, "sides": sides, "contested": sides["supports"] > 0 and sides["opposes"] > 0}
    return out, kept


def sample_names(store: KnowledgeStore, iris: set[str]) -> dict[str, str]:
    """IRI -> one of its schema:name values, for IRIs that have one."""
    out: dict[str, str] = {}
    ordered = sorted(i for i in iris if i)
    for i in range(0, len(ordered), 500):
        for r in store.select(_SAMPLE_NAMES.format(values=values_block("x", ordered[i:i + 500]))).dicts():
            if r["v"] is not None:
                out[r["x"]] = r["v"]
    return out


# ------------------------------------------------------------------ sources

_SOURCE = """
SELECT ?sid ?title ?text ?url ?date ?pub WHERE { GRAPH ?g {
  ?src a schema:NewsArticle ; cg:sourceId ?sid ; schema:text ?text .
  OPTIONAL { ?src schema:headline ?title } OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?src schema:datePublished ?date } OPTIONAL { ?src schema:publisher ?pub } }
} LIMIT 1
"""
_NAME = "SELECT ?name WHERE { GRAPH ?g { ?a schema:name ?name } } LIMIT 1"

_SOURCE_STATEMENTS = """
SELECT DISTINCT ?st ?stance ?sideClass ?speaker ?claim ?exact ?start ?end WHERE {
  GRAPH ?g { ?st schema:isPartOf ?src ; cg:evidence ?ev ; cg:stance ?stance .
    ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
    OPTIONAL { ?st cg:speaker ?speaker } OPTIONAL { ?st cg:about ?claim } }
  ?stance a ?sideClass . VALUES ?sideClass { cg:SupportingStance cg:OpposingStance cg:NeutralStance }
} ORDER BY ?start ?st
"""


# one straight pattern per field, bound to the article's own graph: no OPTIONAL (Oxigraph would
# read its right side over the whole store) and no shared node joined across graphs
_SOURCES = """
SELECT ?src ?f ?v WHERE {{ {values} GRAPH ?g {{
  {{ ?src cg:sourceId ?v BIND("sid" AS ?f) }} UNION {{ ?src schema:headline ?v BIND("title" AS ?f) }}
  UNION {{ ?src schema:url ?v BIND("url" AS ?f) }} UNION {{ ?src schema:datePublished ?v BIND("date" AS ?f) }}
  UNION {{ ?src schema:publisher ?v BIND("pub" AS ?f) }} UNION {{ ?src schema:publisher/schema:name ?v BIND("pubName" AS ?f) }}
}} }}"""


def sources_meta(store: KnowledgeStore, iris: list[str]) -> dict[str, dict[str, Any]]:
    """Metadata (no text) of many articles at once: IRI -> {id, title, url, date, publisher}."""
    from ..rdf.mapper import graph_iri

    base = len(str(entity_iri("source", "")))
    fields: dict[str, dict[str, Any]] = {}
    for i in range(0, len(iris), 500):
        pairs = " ".join(f"({nt(URIRef(s))} {nt(graph_iri(s[base:]))})" for s in iris[i:i + 500])
        for r in store.select(_SOURCES.format(values=f"VALUES (?src ?g) {{ {pairs} }}")).dicts():
            fields.setdefault(r["src"], {}).setdefault(r["f"], r["v"])
    out: dict[str, dict[str, Any]] = {}
    for src in iris:
        f = fields.get(src)
        if f is None or "sid" not in f:
            continue
        out[src] = {"id": _nid(src), "iri": src, "source_id": f["sid"], "title": f.get("title"),
                    "url": f.get("url"), "date": None if f.get("date") is None else str(f["date"]),
                    "publisher": {"id": _nid(f["pub"]), "name": f.get("pubName")} if f.get("pub") else None}
    return out


def source_meta(store: KnowledgeStore, src: URIRef, text: bool = True) -> dict[str, Any] | None:
    from ..rdf.mapper import graph_iri

    sid = str(src)[len(str(entity_iri("source", ""))):]
    # the article's own graph: its OPTIONALs then read one graph, not the store
    rows = store.select(_SOURCE, {"src": src, "g": graph_iri(sid)}).dicts()
    if not rows:
        return None
    r = rows[0]
    if r["pub"]:
        names = store.select(_NAME, {"a": URIRef(r["pub"])}).dicts()
        r["pubName"] = names[0]["name"] if names else None
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
        raise NotFound(f"source {slug!r} not found in the store")
    stmts: dict[str, dict[str, Any]] = {}
    from ..rdf.mapper import graph_iri

    for r in store.select(_SOURCE_STATEMENTS, {"src": src, "g": graph_iri(slug)}).dicts():
        s = stmts.setdefault(r["st"], {"id": _nid(r["st"]), "stance": local(r["stance"]), "side": side(r["sideClass"]),
                                       "exact": r["exact"], "start": r["start"], "end": r["end"],
                                       "speakers": [], "claims": []})
        for key, val in (("speakers", _nid(r["speaker"])), ("claims", _nid(r["claim"]))):
            if val and val not in s[key]:
                s[key].append(val)
    out["statements"] = list(stmts.values())
    return out
