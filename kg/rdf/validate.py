"""SHACL validation of an article's triples (pyshacl) before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import Graph
from rdflib.term import Node

from ..errors import ValidationError
from .vocab import SH, ontology_graph, shapes_path


@cache
def shapes_graph() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def violations(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """One readable line per SHACL violation: the focus node, the property and the rule's message."""
    from pyshacl import validate

    data = Graph()
    for t in triples:
        data.add(t)
    conforms, report, _ = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        abort_on_first=False, allow_warnings=True,
    )
    if conforms:
        return []
    lines = []
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        focus, path, msg = report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.resultMessage)
        value = report.value(r, SH.value)
        where = f"<{focus}>" + (f" {path.n3(data.namespace_manager)}" if path is not None and hasattr(path, "n3") else "")
        lines.append(f"{where}: {msg}" + (f" (value {value.n3()})" if value is not None else ""))
    return sorted(set(lines))


def check(triples: list[tuple[Node, Node, Node]], name: str) -> None:
    """Raise ValidationError naming the first violation (and how many more) if any shape fails."""
    found = violations(triples)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ValidationError(f"{name}: SHACL: {found[0]}{more}; nothing was written", found)
