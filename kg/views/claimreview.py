"""schema.org `Claim` and `ClaimReview` JSON-LD, built from the store: what fact-checking tools exchange.

Each claim becomes a `schema:Claim` with its `appearance`s: every statement about it, as a
`schema:Quotation` (the exact quoted words, `spokenByCharacter` the speakers, `dateCreated` the day it
was made, `isPartOf` the `NewsArticle`, and `cg:stance` saying whether it asserts, denies...).
`firstAppearance` is the earliest dated statement, `author` the speakers who support the claim and
`dateCreated` the day of the earliest supporting statement. A curator's review in the annotation
(`claims[].review`) becomes a `schema:ClaimReview` with its `Rating`.

The document carries its own `@context` (a dict, not the URL https://schema.org), so reading it
back never fetches anything: the terms are schema.org's, `@vocab` https://schema.org/.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..errors import NotFound
from ..model import ActorType
from ..rdf.mapper import ACTOR_CLASS, claim_iri, graph_iri
from ..rdf.nodeid import node_iri
from ..rdf.vocab import CG_NS, SCHEMA, XSD
from ..store.base import KnowledgeStore
from . import catalog
from .catalog import stance_sides, values_block

CONTEXT: dict[str, Any] = {
    "@vocab": str(SCHEMA),
    "cg": CG_NS,
    "xsd": str(XSD),
    "url": {"@type": "@id"},
    "cg:stance": {"@type": "@id"},
}
"""The inline JSON-LD context of every export: schema.org terms, cg: for the stance, urls as IRIs."""

_SCHEMA_TYPE = {
    ActorType.PERSON: "Person",
    ActorType.GOVERNMENT: "GovernmentOrganization",
    ActorType.GOVERNMENT_AGENCY: "GovernmentOrganization",
    ActorType.MEDIA: "NewsMediaOrganization",
}
"""schema.org's type for an actor; every other kind (armed groups, states as actors, collectives) is
an `Organization`, the range `spokenByCharacter` and `author` accept besides `Person`."""
_ACTOR_TYPE = {str(v): k for k, v in ACTOR_CLASS.items()}

_APPEARANCES = """
SELECT ?claim ?claimText ?st ?stance ?quote ?day ?article ?url ?headline ?published ?publisher ?speaker
WHERE {
  GRAPH ?g {
    ?st cg:about ?claim ; cg:stance ?stance ; cg:evidence ?span ; schema:isPartOf ?article .
    ?claim schema:text ?claimText .
    ?span oa:hasSelector ?sel . ?sel oa:exact ?quote .
    OPTIONAL { ?st cg:statedOn ?day }
    OPTIONAL { ?article schema:url ?url }
    OPTIONAL { ?article schema:headline ?headline }
    OPTIONAL { ?article schema:datePublished ?published }
    OPTIONAL { ?article schema:publisher ?publisher }
    OPTIONAL { ?st cg:speaker ?speaker }
  }
}
"""
_CONCERNS = "SELECT DISTINCT ?claim ?actor WHERE { GRAPH ?g { ?claim a cg:Claim ; cg:concerns ?actor } }"
_ACTORS = "SELECT DISTINCT ?actor ?name ?type WHERE { GRAPH ?g { ?actor schema:name ?name ; a ?type } }"
_REVIEWS = """
SELECT ?review ?claim ?claimText ?author ?date ?url ?value ?best ?worst ?verdict WHERE {
  GRAPH ?g {
    ?review a schema:ClaimReview ; schema:itemReviewed ?claim ; schema:claimReviewed ?claimText ;
            schema:author ?author ; schema:reviewRating ?rating .
    OPTIONAL { ?review schema:datePublished ?date }
    OPTIONAL { ?review schema:url ?url }
    OPTIONAL { ?rating schema:ratingValue ?value }
    OPTIONAL { ?rating schema:bestRating ?best }
    OPTIONAL { ?rating schema:worstRating ?worst }
    OPTIONAL { ?rating schema:alternateName ?verdict }
  }
}
"""
_IN_SOURCE = "SELECT DISTINCT ?claim WHERE { GRAPH ?g { ?st cg:about ?claim } }"


def claim_review(store: KnowledgeStore, claim_id: str) -> dict[str, Any]:
    """One claim (an id such as `ceasefire-agreed` or `claim/ceasefire-agreed`) as schema.org JSON-LD."""
    slug = claim_id.removeprefix("claim/")
    node_iri(f"claim/{slug}")  # NotFound, with the accepted shape, for what cannot be a claim id
    doc = _document(store, [str(claim_iri(slug))])
    if not doc["@graph"]:
        raise NotFound(f"claim {slug!r} not found in the store")
    return doc


def export_claimreview(store: KnowledgeStore, source_id: str | None = None) -> dict[str, Any]:
    """Every claim (or those a source's statements are about) as one schema.org JSON-LD document."""
    if source_id is None:
        return _document(store, None)
    rows = store.select(_IN_SOURCE, {"g": graph_iri(source_id)}).dicts()
    if not rows and source_id not in store.sources():
        raise NotFound(f"article {source_id!r} not found in the store")
    return _document(store, sorted({r["claim"] for r in rows}))


def _restrict(query: str, claims: list[str] | None) -> str:
    if claims is None:
        return query
    at = query.index("GRAPH ?g {")  # the claims as a VALUES block of escaped IRIs, never pasted text
    return f"{query[:at]}{values_block('claim', claims)}\n  {query[at:]}"


def _document(store: KnowledgeStore, claims: list[str] | None) -> dict[str, Any]:
    if claims == []:
        return {"@context": CONTEXT, "@graph": []}
    sides = stance_sides(store)
    statements: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    texts: dict[str, str] = {}
    actors: set[str] = set()
    for r in store.select(_restrict(_APPEARANCES, claims)).dicts():
        texts[r["claim"]] = r["claimText"]
        st = statements[r["claim"]].setdefault(r["st"], {**r, "speakers": set()})
        if r["speaker"]:
            st["speakers"].add(r["speaker"])
            actors.add(r["speaker"])
        if r["publisher"]:
            actors.add(r["publisher"])
    concerns: dict[str, set[str]] = defaultdict(set)
    for r in store.select(_restrict(_CONCERNS, claims)).dicts():
        concerns[r["claim"]].add(r["actor"])
        actors.add(r["actor"])
    reviews = [r for r in store.select(_restrict(_REVIEWS, claims)).dicts()]
    actors |= {r["author"] for r in reviews}
    people = _actors(store, actors)

    graph: list[dict[str, Any]] = []
    for claim in sorted(texts):
        apps = sorted(statements[claim].values(), key=lambda s: (s["day"] is None, str(s["day"] or ""), s["st"]))
        supporting = [s for s in apps if side_of(sides, s["stance"]) == "supports"]
        node: dict[str, Any] = {"@id": claim, "@type": "Claim", "text": texts[claim]}
        if concerns[claim]:
            node["about"] = [people[a] for a in sorted(concerns[claim]) if a in people]
        authors = sorted({a for s in supporting for a in s["speakers"]})
        if authors:
            node["author"] = [people[a] for a in authors if a in people]
        dated = [s for s in apps if s["day"] is not None]
        if dated:
            node["firstAppearance"] = {"@id": dated[0]["st"]}
        first_support = next((s for s in supporting if s["day"] is not None), None)
        if first_support is not None:
            node["dateCreated"] = str(first_support["day"])
        node["appearance"] = [_quotation(s, people) for s in apps]
        graph.append(node)
    for r in sorted(reviews, key=lambda r: r["review"]):
        graph.append(_review(r, people))
    return {"@context": CONTEXT, "@graph": graph}


def side_of(sides: dict[str, str], stance: str) -> str:
    """'supports', 'opposes' or 'neutral' for a stance IRI (`sides` from `catalog.stance_sides`)."""
    return catalog.side(sides.get(stance))


def _quotation(s: dict[str, Any], people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    q: dict[str, Any] = {"@id": s["st"], "@type": "Quotation", "text": s["quote"], "cg:stance": s["stance"]}
    speakers = [people[a] for a in sorted(s["speakers"]) if a in people]
    if speakers:
        q["spokenByCharacter"] = speakers
    if s["day"] is not None:
        q["dateCreated"] = str(s["day"])
    article: dict[str, Any] = {"@id": s["article"], "@type": "NewsArticle"}
    for key, prop in (("url", "url"), ("headline", "headline"), ("published", "datePublished")):
        if s[key] is not None:
            article[prop] = str(s[key])
    if s["publisher"] and s["publisher"] in people:
        article["publisher"] = people[s["publisher"]]
    q["isPartOf"] = article
    return q


def _review(r: dict[str, Any], people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating"}
    for key, prop in (("value", "ratingValue"), ("best", "bestRating"), ("worst", "worstRating"),
                      ("verdict", "alternateName")):
        if r[key] is not None:
            rating[prop] = float(r[key]) if hasattr(r[key], "as_tuple") else r[key]  # Decimal: JSON has no type
    node: dict[str, Any] = {"@id": r["review"], "@type": "ClaimReview", "claimReviewed": r["claimText"],
                            "itemReviewed": {"@id": r["claim"]}, "reviewRating": rating}
    if r["author"] in people:
        node["author"] = people[r["author"]]
    if r["date"] is not None:
        node["datePublished"] = str(r["date"])
    if r["url"] is not None:
        node["url"] = r["url"]
    return node


def _actors(store: KnowledgeStore, iris: set[str]) -> dict[str, dict[str, Any]]:
    if not iris:
        return {}
    out: dict[str, dict[str, Any]] = {}
    at = _ACTORS.index("GRAPH ?g {")
    query = f"{_ACTORS[:at]}{values_block('actor', sorted(iris))} {_ACTORS[at:]}"
    for r in store.select(query).dicts():
        kind = _ACTOR_TYPE.get(r["type"])
        if kind is None:
            continue  # another type of the same node (e.g. prov:Agent): the actor class decides
        out[r["actor"]] = {"@id": r["actor"], "@type": _SCHEMA_TYPE.get(kind, "Organization"), "name": r["name"]}
    return out
