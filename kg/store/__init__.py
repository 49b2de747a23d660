"""The store: the interface every backend implements, the embedded (Oxigraph) and remote (SPARQL
1.1 protocol) backends, the SPARQL text gate and the safe query service.

Owns: `base` (KnowledgeStore, Rows, Stats, IngestReport), `common` (what both backends share),
`embedded`, `remote`, `sparql_text` (lexer, shape limits, value binding), `sparql_service` (the
read-only endpoint's workers, timeouts, caps), `queries_builtin` (the library's own SPARQL).
May import: `claimgraph.errors`, `claimgraph.model`, `claimgraph.rdf`. Never a view, the client or HTTP.

    >>> from claimgraph.store import open_store
    >>> store = open_store()            # in memory; open_store("data") or open_store("http://...")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import (
    DEFAULT_DATA_DIR,
    EXPORT_FORMATS,
    ArticleGraph,
    IngestReport,
    KnowledgeStore,
    QueryResult,
    Rows,
    Stats,
)


def open_store(location: str | Path | None = None, *, read_only: bool = False, **options: Any) -> KnowledgeStore:
    """Open a store: an http(s) URL is a remote SPARQL store, anything else a data directory.

    `None` opens an in-memory store (for tests and one-off work).
    """
    loc = str(location) if location is not None else None
    if loc and loc.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(loc, **options)
    from .embedded import OxigraphStore

    return OxigraphStore(location, read_only=read_only)


__all__ = ["DEFAULT_DATA_DIR", "ArticleGraph", "EXPORT_FORMATS", "IngestReport", "KnowledgeStore", "QueryResult", "Rows",
           "Stats", "open_store"]
