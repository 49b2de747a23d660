"""The ontology stays inside OWL Lite, is documented, and every cg: term the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from claimgraph.rdf.vocab import CG_NS, ontology_graph, shapes_path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = [OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.hasValue, OWL.disjointWith,
             OWL.disjointUnionOf, OWL.propertyChainAxiom, OWL.hasSelf, OWL.qualifiedCardinality,
             OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality]
CARDINALITIES = [OWL.cardinality, OWL.minCardinality, OWL.maxCardinality]


def test_owl_lite() -> None:
    g = ontology_graph()
    for p in FORBIDDEN:
        assert not list(g.triples((None, p, None))), f"{p} is outside OWL Lite"
    for p in CARDINALITIES:
        for _, _, n in g.triples((None, p, None)):
            assert int(n) in (0, 1), f"{p} {n}: OWL Lite allows cardinality 0 or 1 only"
    for _, _, members in g.triples((None, OWL.intersectionOf, None)):
        for m in g.items(members):
            assert isinstance(m, URIRef) or (m, RDF.type, OWL.Restriction) in g


def test_owl_lite_check_catches_a_union() -> None:
    g = Graph().parse(data="""@prefix owl: <http://www.w3.org/2002/07/owl#> .
        <http://x/A> owl:unionOf ( <http://x/B> <http://x/C> ) .""", format="turtle")
    assert list(g.triples((None, OWL.unionOf, None)))


def test_every_term_is_labelled_and_commented() -> None:
    g = ontology_graph()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(CG_NS)}
    assert len(terms) > 60
    for t in terms:
        assert isinstance(g.value(t, RDFS.label), Literal), f"{t} has no rdfs:label"
        assert isinstance(g.value(t, RDFS.comment), Literal), f"{t} has no rdfs:comment"


def test_code_uses_only_terms_the_ontology_defines() -> None:
    g = ontology_graph()
    defined = {str(s)[len(CG_NS):] for s in g.subjects() if str(s).startswith(CG_NS)}
    used: set[str] = set()
    for d in ("kg", "api", "cli", "queries"):
        for f in (ROOT / d).rglob("*"):
            if f.suffix in (".py", ".rq"):
                used |= set(re.findall(r"\bCG\.([A-Za-z]+)", f.read_text()))
                used |= set(re.findall(r"\bcg:([A-Za-z]+)", f.read_text()))
    assert used - defined == set()


def test_shapes_parse() -> None:
    g = Graph().parse(shapes_path(), format="turtle")
    assert len(g) > 100
