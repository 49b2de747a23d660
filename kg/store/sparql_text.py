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


# ---------------------------------------------------------------------------- datasets

def dataset_clauses(text: str) -> bool:
    """True when a query names its dataset (FROM / FROM NAMED) or an update does (USING / WITH).

    FROM, USING and WITH are reserved words that occur only in dataset clauses (a sub-select has
    none), so a bare word is enough; in strings, IRIs and comments the lexer does not see them."""
    return bool({"FROM", "USING", "WITH"} & keywords(text))


@dataclass(frozen=True, slots=True)
class _Op:
    start: int  # offset of the operation's first keyword (after its prologue)
    end: int  # offset just past the operation (its ';' or the end of the text)
    where: int | None  # offset of the WHERE of a DELETE/INSERT ... WHERE, or None
    short: tuple[int, int] | None  # DELETE WHERE { ... }: offsets of the group's braces
    named_dataset: bool  # the operation has its own USING or WITH


def _operations(update: str) -> list[_Op]:
    """The operations of an update request, from the lexer (';' at depth 0 separates them)."""
    ops: list[_Op] = []
    toks = list(tokens(update))
    depth = 0
    start: int | None = None
    kind: str | None = None
    where: int | None = None
    short_open: int | None = None
    short: tuple[int, int] | None = None
    named = False
    prev_word = ""

    def close(end: int) -> None:
        nonlocal start, kind, where, short, short_open, named
        if start is not None:
            ops.append(_Op(start, end, where if kind == "modify" else None, short, named))
        start, kind, where, short, short_open, named = None, None, None, None, None, False

    for t in toks:
        if t.kind == "punct":
            prev_word = ""  # DELETE { ... } WHERE is a Modify, not DELETE WHERE
            if t.text in "{([":
                if depth == 0 and kind == "short" and short_open is None:
                    short_open = t.pos
                depth += 1
            else:
                depth -= 1
                if depth == 0 and kind == "short" and short_open is not None and short is None:
                    short = (short_open, t.pos)
            continue
        if depth != 0:
            continue
        if t.kind == "other" and t.text == ";":
            close(t.pos)
            prev_word = ""
            continue
        if t.kind != "word" or ":" in t.text:
            prev_word = ""
            continue
        up = t.text.upper()
        if start is None and up not in ("PREFIX", "BASE"):
            start = t.pos
            kind = "modify" if up in ("WITH", "DELETE", "INSERT") else "other"
        if up in ("USING", "WITH"):
            named = True
        elif up == "DATA" and prev_word in ("INSERT", "DELETE") and kind == "modify":
            kind = "data"
        elif up == "WHERE" and kind == "modify":
            if prev_word == "DELETE":
                kind = "short"  # DELETE WHERE { pattern }: the pattern is the template too
            elif where is None:
                where = t.pos
        prev_word = up
    close(len(update))
    return ops


def with_using(update: str, default: list[str], named: list[str], *, copy_default_to: str | None = None) -> str:
    """The update with every DELETE/INSERT ... WHERE that names no dataset of its own evaluated
    over `default` (USING) and `named` (USING NAMED), as SPARQL 1.1 Update section 3.1.3 defines.

    `DELETE WHERE { P }` becomes `DELETE { P } USING ... WHERE { P }` (the same operation with an
    explicit template). With `copy_default_to`, the store's own default graph joins the WHERE's
    default graph: each rewritten operation is preceded by `ADD SILENT DEFAULT TO <that graph>`
    and followed by `DROP SILENT GRAPH <that graph>`, inside the same request, so one transaction
    (a USING clause cannot name the default graph). Operations with USING or WITH are left alone.
    IRIs must be absolute and come from the store, not from a client's text.
    """
    graphs = list(default) + ([copy_default_to] if copy_default_to else [])
    clause = "".join(f" USING <{g}>" for g in graphs) + "".join(f" USING NAMED <{g}>" for g in named) + " "
    out: list[str] = []
    at = 0
    for op in _operations(update):
        if op.named_dataset or (op.where is None and op.short is None):
            continue
        out.append(update[at:op.start])
        if copy_default_to:
            out.append(f"ADD SILENT DEFAULT TO <{copy_default_to}> ;\n")
        if op.short is not None:
            o, c = op.short
            group = update[o:c + 1]
            out.append(f"DELETE {group}{clause}WHERE {group}{update[c + 1:op.end]}")
        else:
            assert op.where is not None
            out.append(update[op.start:op.where] + clause + update[op.where:op.end])
        if copy_default_to:
            out.append(f" ;\nDROP SILENT GRAPH <{copy_default_to}>")
        at = op.end
    out.append(update[at:])
    return "".join(out)


def has_where_operation(update: str) -> bool:
    """True when some operation reads a WHERE pattern (DELETE/INSERT ... WHERE, DELETE WHERE)."""
    return any(op.where is not None or op.short is not None for op in _operations(update))


def operations_with_dataset(update: str) -> bool:
    """True when some operation names its own dataset (USING / USING NAMED / WITH)."""
    return any(op.named_dataset for op in _operations(update))


def mentioned_iris(text: str, base_iri: str | None, prefixes: Mapping[str, str]) -> set[str]:
    """Every IRI a SPARQL text spells out (`<...>` resolved against BASE / `base_iri`, and prefixed
    names), so that an update's later operations see graphs its earlier ones create."""
    from urllib.parse import urljoin

    toks = list(tokens(text))
    known = dict(prefixes)
    out: set[str] = set()
    base = base_iri or ""
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() in ("PREFIX", "BASE") and i + 1 < len(toks):
            nxt = toks[i + 1:i + 3]
            if t.text.upper() == "BASE" and nxt and nxt[0].kind == "iri":
                base = urljoin(base, nxt[0].text[1:-1])
            elif len(nxt) == 2 and nxt[1].kind == "iri":
                known[nxt[0].text.rstrip(":")] = urljoin(base, nxt[1].text[1:-1])
        elif t.kind == "iri":
            out.add(urljoin(base, t.text[1:-1]))
        elif t.kind == "word" and ":" in t.text:
            p, local = t.text.split(":", 1)
            if p in known:
                out.add(known[p] + local.replace("\\", ""))
    return {i for i in out if ":" in i}


def where_queries(update: str) -> list[str]:
    """One `SELECT (COUNT(*) AS ?n) WHERE { P }` per operation that reads a pattern P, with the
    update's PREFIX/BASE declarations: what evaluating the update's WHERE clauses costs, as queries
    that can run (and be killed) in a query worker before the update itself runs in-process."""
    toks = list(tokens(update))
    prologue: list[str] = []
    depth = 0
    for i, t in enumerate(toks):
        if t.kind == "punct":
            depth += 1 if t.text in "{([" else -1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "BASE" and i + 1 < len(toks):
            prologue.append(f"BASE {toks[i + 1].text}")
        elif depth == 0 and t.kind == "word" and t.text.upper() == "PREFIX" and i + 2 < len(toks):
            prologue.append(f"PREFIX {toks[i + 1].text} {toks[i + 2].text}")
    head = "\n".join(prologue) + "\n"
    out: list[str] = []
    for op in _operations(update):
        if op.short is not None:
            o, c = op.short
            out.append(f"{head}SELECT (COUNT(*) AS ?n) WHERE {update[o:c + 1]}")
        elif op.where is not None:
            out.append(f"{head}SELECT (COUNT(*) AS ?n) WHERE {update[op.where + len('WHERE'):op.end].strip()}")
    return out
