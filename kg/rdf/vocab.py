"""Every IRI claimgraph writes or reads: the namespaces, and the cg: terms read from ontology/.

`CG` is a closed namespace built from ontology/claimgraph.ttl, so a term that is not in the
ontology is an AttributeError at import time of the code that uses it, never a silent new IRI.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef
from rdflib.namespace import PROV, SDO, ClosedNamespace, Namespace

CG_NS = "https://claimgraph.org/ns#"
ID_BASE = "https://claimgraph.org/id/"
"""Base of every minted entity IRI: ``{ID_BASE}{kind}/{slug}``; the server dereferences ``/id/...``."""

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = SDO
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

__all__ = ["CG", "CG_NS", "ID_BASE", "OA", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SH", "SKOS", "XSD",
           "PREFIXES", "ontology_path", "shapes_path", "ontology_graph", "entity_iri",
           "INFERRED_SUFFIX", "inferred_graph_iri", "SUMMARY_GRAPH", "summary_node"]


def _resource(name: str) -> Path:
    here = Path(__file__).resolve().parent
    local = here.parent / "ontology" / name
    if local.exists():  # running from a source checkout
        return local
    return Path(str(files("claimgraph.ontology") / name))


def ontology_path() -> Path:
    return _resource("claimgraph.ttl")


def shapes_path() -> Path:
    return _resource("shapes.ttl")


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def _cg_terms() -> list[str]:
    g = ontology_graph()
    return sorted({str(s)[len(CG_NS):] for s in g.subjects() if str(s).startswith(CG_NS)})


CG = ClosedNamespace(CG_NS, _cg_terms())

PREFIXES: dict[str, str] = {
    "cg": CG_NS,
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "owl": str(OWL),
}


INFERRED_SUFFIX = "/inferred"
"""An inferred graph's IRI is its asserted graph's plus this: `.../graph/dw-31lts/inferred`."""


def inferred_graph_iri(graph: str) -> URIRef:
    """The graph holding what reasoning adds to `graph` (kept apart: see claimgraph.store.reasoning)."""
    return URIRef(f"{graph}{INFERRED_SUFFIX}")


def entity_iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID_BASE}{kind}/{slug}")


SUMMARY_GRAPH = URIRef(f"{ID_BASE}summary")
"""The one named graph of kept counts (a cg:SummaryGraph; claimgraph.store.summary). Not under
`{ID_BASE}graph/`, so it is never taken for an article."""


def summary_node(entity: str, *parts: str) -> URIRef:
    """The deterministic IRI of a tally in the summary graph: `{ID_BASE}summary/{kind}/{slug}/{part}...`
    for the entity `{ID_BASE}{kind}/{slug}` (the same entity and parts always give the same IRI)."""
    # an entity minted elsewhere (written through SPARQL Update or the Graph Store) is named by a
    # digest of its IRI: its characters need not fit in a path segment
    rest = entity[len(ID_BASE):] if entity.startswith(ID_BASE) else "iri/" + hashlib.sha256(entity.encode()).hexdigest()[:32]
    return URIRef(f"{SUMMARY_GRAPH}/{rest}/{'/'.join(parts)}")


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
