"""`claimgraph queries`: list the named queries with their parameters."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from claimgraph.views.named import named_queries

from .app import app, friendly

out = Console()


@app.command("queries")
@friendly
def list_queries(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """List the named queries; run one with  claimgraph query --named NAME --param key=value

    Example:  claimgraph query --named statements-by-actor --param actor=yonus-fakur
    """
    qs = list(named_queries().values())
    if fmt == "json":
        print(json.dumps([q.as_dict() for q in qs], ensure_ascii=False, indent=2))
        return
    table = Table("name", "title", "parameters", show_lines=True)
    for q in qs:
        params = "\n".join(f"{p.name} ({p.type}{'' if p.required else ', optional'}): {p.description}"
                           for p in q.params)
        table.add_row(q.name, f"{q.title}\n[dim]{q.description}[/dim]", params or "-")
    out.print(table)
