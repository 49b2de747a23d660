"""claimgraph: a knowledge graph of actors, claims and sources built from news reporting.

    >>> import claimgraph
    >>> kg = claimgraph.open()                       # in memory; open("data") for a directory
    >>> kg.ingest(claimgraph.load_annotation("samples/dw-jawzjan.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _moved
from .errors import AnnotationError, ClaimgraphError, NotFound, QueryError, StoreError, ValidationError
from .model import (
    Actor,
    ActorType,
    Claim,
    Document,
    Relation,
    RelationType,
    Role,
    Source,
    Span,
    Stance,
    Statement,
    StatementKind,
)
from .model.annotation import dump_annotation, load_annotation
from .store import IngestReport, KnowledgeStore, Rows, Stats, open_store

if TYPE_CHECKING:  # for type checkers and IDEs; at run time they load on first use (below)
    from .client import connect, open

__version__ = "0.1.0"
_moved.install()


def __getattr__(name: str) -> object:
    # the notebook client pulls in networkx (a quarter of a second): the server and the CLI
    # import claimgraph without needing it
    if name in ("open", "connect"):
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")


__all__ = [
    "Actor", "ActorType", "AnnotationError", "Claim", "ClaimgraphError", "Document", "IngestReport",
    "KnowledgeStore", "NotFound", "QueryError", "Relation", "RelationType", "Role", "Rows", "Source",
    "Span", "Stance", "Statement", "StatementKind", "Stats", "StoreError", "ValidationError",
    "connect", "dump_annotation", "load_annotation", "open", "open_store", "__version__",
]
