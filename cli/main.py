"""The `claimgraph` command: a thin face over the library in `claimgraph` (kg/).

Each subcommand parses options, calls one library function and prints. Errors from the
library (ClaimgraphError) become one line on stderr and exit code 1; bad usage exits 2.
The app and its shared options live in `cli/app.py`; each module below registers its commands.
"""

from __future__ import annotations

import sys
from typing import Any


def _full_app() -> Any:
    from . import analyze, commands, extract, queries, serve  # noqa: F401 - each registers its commands
    from .app import app

    return app


def __getattr__(name: str) -> Any:
    # `from claimgraph.cli.main import app`: the app with every command
    if name == "app":
        return _full_app()
    raise AttributeError(name)


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        # start-up time is part of serving (docs/performance.md, cold start): register only `serve`,
        # so the other commands' imports (networkx for analyze, spaCy's loader...) never run
        from . import serve  # noqa: F401 - registers the command
        from .app import app

        # one command alone would make Typer drop the subcommand name; a callback keeps it a group
        app.callback()(lambda: None)
        app()
        return
    _full_app()()
