"""A small SPARQL lexer and what is built on it: binding values into a query, nesting depth,
and which keywords a query uses (SERVICE, LOAD, FROM...) — all without pasting user strings.

The lexer knows strings, IRIs, comments (ended by a line feed or a carriage return, as SPARQL's
are), prefixed names (with backslash escapes in the local part, as in `ex:a\\#b`, where the `#` starts
no comment), variables and punctuation; that is
enough to find the top-level WHERE group and count brace/paren depth reliably, which regexes
over raw text cannot (a `#` or `{` inside a string or IRI is not a comment or a group).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..rdf.terms import nt

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*(?::(?:[^\s{}()\[\];,<>"'#\\]|\\.)*)?|:(?:[^\s{}()\[\];,<>"'#\\]|\\.)*)
  | (?P<punct>[{}()\[\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    pos: int


def tokens(query: str) -> Iterator[Token]:
    """Tokens of a SPARQL text, whitespace and comments dropped."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, m.group(), m.start())


def max_depth(query: str, limit: int | None = None) -> int:
    """Deepest nesting of {} [] () in the query; stops counting early past `limit`."""
    depth = deepest = 0
    for t in tokens(query):
        if t.kind != "punct":
            continue
        if t.text in "{([":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


# Oxigraph's parser and optimiser recurse over these: a long chain of them takes the process
# down (10,000 UNIONs or 4,000 BINDs segfault) or runs for minutes (400 OPTIONALs: 47 s, cubic)
CHAIN_WORDS = frozenset({"OPTIONAL", "UNION", "MINUS", "BIND", "FILTER", "EXISTS", "GRAPH", "SERVICE"})
CHAIN_OPERATORS = "+-*/!&|^"


def shape_problem(query: str, max_depth: int, max_operators: int = 2000, max_patterns: int = 128) -> str | None:
    """Why Oxigraph must not be given this text (too deep, too long a chain), or None.

    One pass of the lexer: nesting of {} [] (), operator chains (1+1+..., !!!...) and chains of
    pattern keywords. The parser would crash or hang on what this refuses, so it runs first.
    """
    depth = ops = patterns = 0
    for t in tokens(query):
        if t.kind == "punct":
            if t.text in "{([":
                depth += 1
                if depth > max_depth:
                    return f"the query nests groups deeper than {max_depth} levels"
            else:
                depth -= 1
        elif t.kind == "other" and t.text in CHAIN_OPERATORS:
            ops += 1
            if ops > max_operators:
                return f"the query has more than {max_operators} operators; split it up"
        elif t.kind == "word" and t.text.upper() in CHAIN_WORDS:
            patterns += 1
            if patterns > max_patterns:
                return (f"the query has more than {max_patterns} OPTIONAL/UNION/MINUS/BIND/FILTER/GRAPH "
                        "patterns; split it up")
    return None


def keywords(query: str) -> set[str]:
    """The upper-cased bare words of the query (keywords and function names, not strings/IRIs)."""
    return {t.text.upper() for t in tokens(query) if t.kind == "word" and ":" not in t.text}


def _where_brace(query: str) -> int | None:
    """Offset of the `{` that opens the query's top-level WHERE group (None if not found)."""
    depth = 0
    form: str | None = None
    seen_where = False
    for t in tokens(query):
        up = t.text.upper()
        if t.kind == "word" and depth == 0:
            if up in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE") and form is None:
                form = up
            elif up == "WHERE":
                seen_where = True
        if t.kind == "punct" and t.text == "{":
            if depth == 0 and form is not None:
                # CONSTRUCT { template } WHERE { ... }: the first group is the template
                if form == "CONSTRUCT" and not seen_where:
                    depth += 1
                    continue
                return t.pos
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth -= 1
    return None


def bind(query: str, bindings: Mapping[str, Any] | None) -> str:
    """The query with `bindings` (variable name -> value) bound by a VALUES block.

    Values are serialised as escaped RDF terms (see `claimgraph.rdf.terms.nt`), never as raw text,
    and placed first inside the top-level WHERE group, so FILTERs and OPTIONALs see them.
    """
    if not bindings:
        return query
    names = list(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise ValueError(f"{n!r} is not a SPARQL variable name")
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(
        nt(bindings[n]) for n in names) + ") }"
    at = _where_brace(query)
    if at is None:
        raise ValueError("cannot bind values: the query has no WHERE group")
    return f"{query[: at + 1]} {values}\n{query[at + 1:]}"
