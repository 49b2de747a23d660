"""claimgraph: a knowledge graph of actors, claims and sources built from news reporting.

    >>> import claimgraph
    >>> kg = claimgraph.open()                       # in memory; open("data") for a directory
    >>> kg.ingest(claimgraph.load_annotation("samples/dw-jawzjan.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

from .annotation import dump_annotation, load_annotation
from .client import connect, open
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
from .store import IngestReport, KnowledgeStore, Rows, Stats, open_store

__version__ = "0.1.0"

__all__ = [
    "Actor", "ActorType", "AnnotationError", "Claim", "ClaimgraphError", "Document", "IngestReport",
    "KnowledgeStore", "NotFound", "QueryError", "Relation", "RelationType", "Role", "Rows", "Source",
    "Span", "Stance", "Statement", "StatementKind", "Stats", "StoreError", "ValidationError",
    "connect", "dump_annotation", "load_annotation", "open", "open_store", "__version__",
]
