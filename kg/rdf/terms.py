"""Conversions between Python values, rdflib terms and pyoxigraph terms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .vocab import XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_XSD_STRING, _XSD_INTEGER = str(XSD.string), str(XSD.integer)
_INT = re.compile(r"[+-]?[0-9]+")


def to_ox(value: Any) -> OxTerm:
    """A bindable pyoxigraph term from a Python value, an rdflib term or a pyoxigraph term.

    Plain `str` becomes a string literal; pass `rdflib.URIRef` (or `ox.NamedNode`) for an IRI.
    """
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or XSD.string)))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(str(XSD.double)))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(str(XSD.dateTime)))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(str(XSD.date)))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} as an RDF term")


def to_rdflib(term: OxTerm | None) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_python(term: OxTerm | None) -> Any:
    """A plain Python value: IRIs as str, literals through rdflib's datatype mapping."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term.value
    # the two datatypes of almost every value read (texts, offsets) skip rdflib's Literal, which
    # costs ~20 us a term: a trace or a listing reads thousands of them
    if isinstance(term, ox.Literal) and not term.language:
        dtype = term.datatype.value
        if dtype == _XSD_STRING:
            return term.value
        if dtype == _XSD_INTEGER and _INT.fullmatch(term.value):
            return int(term.value)
    return to_rdflib(term).toPython()


def nt(term: OxTerm) -> str:
    """The term in N-Triples syntax, escaped: safe to place in SPARQL text (e.g. a VALUES block)."""
    return str(to_ox(term))
