"""Named queries: the `.rq` files in queries/, each with a header of title, description, params.

Header format (comment lines at the top of the file)::

    # title: Contested claims
    # description: Claims that some statement supports and another opposes...
    #   (indented continuation lines are joined)
    # param: actor (actor, optional) Only claims that concern this actor.

Parameter types: actor, claim, statement, source, relation (an id, bound as the entity's IRI),
iri, string, integer, decimal, boolean, date. Values are validated and bound as RDF terms
(see `claimgraph.store.sparql_text.bind`), never pasted into the query text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ..errors import ClaimgraphError, NotFound
from ..model import SLUG_RE
from ..rdf.vocab import entity_iri

ENTITY_TYPES = ("actor", "claim", "statement", "source", "relation")
PARAM_TYPES = (*ENTITY_TYPES, "iri", "string", "integer", "decimal", "boolean", "date")


class ParameterError(ClaimgraphError):
    """A named query parameter is missing, unknown or of the wrong type."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    required: bool
    description: str
    default: str | None = None

    def convert(self, raw: Any) -> Any:
        v = str(raw).strip() if not isinstance(raw, (bool, int, float)) else raw
        try:
            if self.type in ENTITY_TYPES:
                if isinstance(v, str):
                    v = v.removeprefix(f"{self.type}/")  # the id as the API hands it out works too
                if not isinstance(v, str) or not SLUG_RE.match(v):
                    raise ValueError(f"expected a {self.type} id such as 'taliban' (lowercase, digits, . _ -)")
                return entity_iri(self.type, v)
            if self.type == "iri":
                if not isinstance(v, str) or not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*", v):
                    raise ValueError("expected an absolute IRI")
                return URIRef(v)
            if self.type == "integer":
                if isinstance(v, bool):
                    raise ValueError("expected an integer")
                return int(v)
            if self.type == "decimal":
                return float(v)
            if self.type == "boolean":
                if isinstance(v, bool):
                    return v
                if str(v).lower() in ("true", "1", "yes"):
                    return True
                if str(v).lower() in ("false", "0", "no"):
                    return False
                raise ValueError("expected true or false")
            if self.type == "date":
                return dt.date.fromisoformat(str(v))
            return str(v)
        except ValueError as e:
            msg = str(e) if "expected" in str(e) else f"expected a {self.type}"
            raise ParameterError(f"parameter {self.name!r}: {raw!r} is not valid: {msg}") from None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required,
                "description": self.description, "default": self.default}


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bind(self, values: dict[str, Any]) -> dict[str, Any]:
        """Validated, typed bindings for the query from raw parameter values."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {unknown} for query {self.name!r}; it takes "
                f"{sorted(known) or 'no parameters'}")
        out: dict[str, Any] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(f"query {self.name!r} needs parameter {p.name!r} ({p.type}): {p.description}")
                continue
            out[p.name] = p.convert(raw)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [p.as_dict() for p in self.params]}


_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?P<flags>[^)]*)\)\s*(?P<desc>.*)")


def parse(name: str, text: str) -> NamedQuery:
    header: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        m = re.match(r"\s*(title|description|param):\s*(.*)", body)
        if m:
            last = m.group(1)
            header[last].append(m.group(2).strip())
        elif last and body.startswith(("  ", "\t")) and header[last]:
            header[last][-1] += " " + body.strip()
    params = []
    for spec in header["param"]:
        m = _PARAM.fullmatch(spec)
        if not m or m.group("type") not in PARAM_TYPES:
            raise ClaimgraphError(f"queries/{name}.rq: bad param line {spec!r}; "
                                  f"expected 'name (type[, optional][, default=V]) description' with type in {PARAM_TYPES}")
        flags = [f.strip() for f in m.group("flags").split(",") if f.strip()]
        default = next((f.split("=", 1)[1].strip() for f in flags if f.startswith("default=")), None)
        params.append(Param(m.group("name"), m.group("type"), "optional" not in flags and default is None,
                            m.group("desc").strip(), default))
    return NamedQuery(name, " ".join(header["title"]) or name, " ".join(header["description"]), text,
                      tuple(params))


def queries_dir() -> Path:
    local = Path(__file__).resolve().parent.parent / "queries"
    if local.is_dir():
        return local
    return Path(str(files("claimgraph.queries")))


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without .rq)."""
    out = {}
    for p in sorted(queries_dir().glob("*.rq")):
        out[p.stem] = parse(p.stem, p.read_text(encoding="utf-8"))
    return out


def get_named_query(name: str) -> NamedQuery:
    qs = named_queries()
    if name not in qs:
        raise NotFound(f"no named query {name!r}; available: {', '.join(sorted(qs))}")
    return qs[name]
