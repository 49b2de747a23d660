"""The `claimgraph` command: a thin face over the library in `claimgraph` (kg/).

Each subcommand parses options, calls one library function and prints. Errors from the
library (ClaimgraphError) become one line on stderr and exit code 1; bad usage exits 2.
The app and its shared options live in `cli/app.py`; each module below registers its commands.
"""

from __future__ import annotations

from . import analyze, commands, extract, queries, serve  # noqa: F401 - each registers its commands
from .app import app


def main() -> None:
    app()
