"""What both backends share: the ontology graph and its loader, RDF formats, result materialising."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..rdf.vocab import CG_NS, ID_BASE, ontology_path
from .base import QueryResult, Rows

ONTOLOGY_GRAPH = URIRef(CG_NS.rstrip("#/"))

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def ontology_update() -> tuple[ox.Quad, str]:
    """The marker quad saying which ontology version is loaded, and the update that (re)loads it."""
    text = ontology_path().read_bytes()
    digest = hashlib.sha256(text).hexdigest()
    marker = ox.Quad(ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(f"{ID_BASE}ontology-sha256"),
                     ox.Literal(digest), ox.NamedNode(str(ONTOLOGY_GRAPH)))
    triples = [q.triple for q in ox.parse(text, ox.RdfFormat.TURTLE)] + [marker.triple]
    body = "".join(f"{t} .\n" for t in triples)
    return marker, (f"DROP SILENT GRAPH <{ONTOLOGY_GRAPH}> ;\n"
                    f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{\n{body}}} }}")


def graph_body(lines: Iterable[str]) -> str:
    # N-Quads line minus its graph term, which INSERT DATA { GRAPH <g> { ... } } supplies
    return "".join(line[: line.rindex(" <")] + " .\n" for line in lines)


def materialise(res: Any, limit: int | None = None) -> QueryResult:
    """pyoxigraph results -> Rows / bool / list of triples (capped at `limit` rows)."""
    if isinstance(res, ox.QueryBoolean):
        return bool(res)
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows: list[list[Any]] = []
        truncated = False
        for sol in res:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append([sol[i] for i in range(len(names))])
        return Rows(names, rows, truncated)
    out = []
    for t in res:
        if limit is not None and len(out) >= limit:
            break
        out.append(t)
    return out
