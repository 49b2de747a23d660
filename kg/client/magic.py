"""`%%sparql`, an IPython cell magic over the notebook client.

    %load_ext claimgraph.client.magic
    %%sparql data                     # a data directory, or http://host:8000, or nothing for ./data
    SELECT ?name WHERE { ?a a cg:Person ; schema:name ?name }

The cell's result (a DataFrame, a bool for ASK, an rdflib Graph for CONSTRUCT) is displayed;
`-o df` also stores it in the variable `df`. `$name` in the cell binds the notebook variable `name`
as a value (through `sparql_text.bind`, never pasted): `?x schema:name $who` with `who = "Taliban"`.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from ..store.base import DEFAULT_DATA_DIR
from ..store.sparql_text import tokens
from .notebook import Client, connect, open

_clients: dict[str, Client] = {}


def _client(location: str) -> Client:
    if location not in _clients:
        _clients[location] = connect(location) if location.startswith(("http://", "https://")) else open(
            location, read_only=True)
    return _clients[location]


def _parse(line: str) -> tuple[str, str | None]:
    args = shlex.split(line)
    out = None
    if "-o" in args:
        i = args.index("-o")
        if i + 1 >= len(args):
            raise ValueError("%%sparql -o needs a variable name")
        out = args[i + 1]
        del args[i:i + 2]
    return (args[0] if args else str(DEFAULT_DATA_DIR)), out


def run_cell(line: str, cell: str, user_ns: dict[str, Any]) -> Any:
    """What the magic does, without IPython: run `cell` on the store named by `line`."""
    location, out = _parse(line)
    # $name tokens (SPARQL's other variable sigil) name notebook variables to bind
    names = {t.text[1:] for t in tokens(cell) if t.kind == "var" and t.text.startswith("$")}
    missing = sorted(n for n in names if n not in user_ns)
    if missing:
        raise NameError(f"%%sparql: no notebook variable {', '.join(missing)}")
    bindings = {n: user_ns[n] for n in names}
    kg = _client(location)
    form = next((t.text.upper() for t in tokens(cell) if t.kind == "word"
                 and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "SELECT")
    if form == "ASK":
        res: Any = kg.ask(cell, **bindings)
    elif form in ("CONSTRUCT", "DESCRIBE"):
        res = kg.construct(cell, **bindings)
    else:
        res = kg.query(cell, **bindings)
    if out is not None:
        if not re.fullmatch(r"[A-Za-z_]\w*", out):
            raise ValueError(f"%%sparql -o {out!r}: not a variable name")
        user_ns[out] = res
    return res


def load_ipython_extension(ipython: Any) -> None:
    def sparql(line: str, cell: str) -> Any:
        return run_cell(line, cell, ipython.user_ns)

    ipython.register_magic_function(sparql, magic_kind="cell", magic_name="sparql")
