"""What the ontology implies about one article: RDFS or OWL 2 RL closure with `owlrl` over rdflib.

`infer(triples, regime)` gives only the new, article-specific triples: the closure of the article's
triples plus the ontology, minus what was asserted and minus what the ontology implies on its own
(`ontology_closure`, stored once). Trivial entailments every resource gets (`a rdfs:Resource`,
`a owl:Thing`, `x owl:sameAs x`, the datatype of each literal) are left out: they would double the
store and answer no question.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .vocab import ID_BASE, OWL, RDF, RDFS, ontology_graph

REGIMES = ("rdfs", "owl-rl")
Triple = tuple[Node, Node, Node]

_SEMANTICS = {"rdfs": owlrl.RDFS_Semantics, "owl-rl": owlrl.OWLRL_Semantics}
_TRIVIAL_TYPES = {RDFS.Resource, OWL.Thing, RDFS.Class, OWL.Class, RDF.Property}
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}


def check_regime(regime: str) -> str:
    if regime not in REGIMES:
        raise ValueError(f"reasoning {regime!r} is not one of {', '.join(REGIMES)}")
    return regime


def _closure(triples: Iterable[Triple], regime: str) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    owlrl.DeductiveClosure(_SEMANTICS[check_regime(regime)], axiomatic_triples=False,
                           datatype_axioms=False).expand(g)
    return g


def _useful(t: Triple) -> bool:
    s, p, o = t
    if not isinstance(s, URIRef) or isinstance(p, Literal):
        return False
    if p == RDF.type and (o in _TRIVIAL_TYPES or str(o).startswith(str(RDFS)) or "XMLSchema#" in str(o)):
        return False
    return not (p in _REFLEXIVE and s == o)


@cache
def ontology_closure(regime: str) -> frozenset[Triple]:
    """What the ontology implies about itself (subclass chains...), without the ontology's own triples."""
    onto = set(ontology_graph())
    return frozenset(t for t in _closure(onto, regime) if t not in onto and _useful(t))


def infer(triples: Iterable[Triple], regime: str) -> list[Triple]:
    """The triples the ontology adds to one article's, in a stable order; subjects are the article's
    own entities (minted under the claimgraph id base)."""
    asserted = set(triples)
    onto = set(ontology_graph())
    known = asserted | onto | ontology_closure(regime)
    new = (t for t in _closure(asserted | onto, regime) if t not in known and _useful(t))
    return sorted((t for t in new if str(t[0]).startswith(ID_BASE)), key=lambda t: tuple(map(str, t)))
