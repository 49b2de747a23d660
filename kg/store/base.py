"""The store interface every backend implements, and the neutral result types it returns.

Two backends: the embedded Oxigraph store (`claimgraph.store.embedded.OxigraphStore`, the default)
and a remote SPARQL 1.1 store over the protocol. Everything above this interface (trace,
neighbourhood, named queries, analytics, the API) uses only these methods.

Query semantics, decided once: the default graph of a query is the union of all article graphs
(every triple lives in its article's named graph). A fact stated by two articles is therefore
seen twice through the default graph: use DISTINCT or COUNT(DISTINCT ...).
"""

from __future__ import annotations

import abc
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..errors import StoreError
from ..model import Document
from ..rdf.terms import OxTerm, to_python

DEFAULT_DATA_DIR = Path(os.environ.get("CLAIMGRAPH_DATA", "data"))
"""`./data` unless CLAIMGRAPH_DATA says otherwise (the CLI's --data overrides both)."""

EXPORT_FORMATS = {"trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"}


@dataclass(slots=True)
class Rows:
    """SELECT results: variable names in SELECT order and rows of pyoxigraph terms (None = unbound)."""

    variables: list[str]
    rows: list[list[OxTerm | None]]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, OxTerm | None]]:
        for r in self.rows:
            yield dict(zip(self.variables, r, strict=True))

    def dicts(self, python: bool = True) -> list[dict[str, Any]]:
        """Rows as dicts; with `python`, IRIs as str and literals as Python values."""
        if not python:
            return list(self)
        return [{v: to_python(t) for v, t in zip(self.variables, r, strict=True)} for r in self.rows]

    def column(self, var: str) -> list[OxTerm | None]:
        i = self.variables.index(var)
        return [r[i] for r in self.rows]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: per source id 'added', 'replaced' or 'unchanged', and triple counts."""

    outcome: dict[str, str] = field(default_factory=dict)
    triples: int = 0

    def merge(self, other: IngestReport) -> None:
        self.outcome.update(other.outcome)
        self.triples += other.triples


@dataclass(slots=True)
class ArticleGraph:
    """An article already mapped and validated (e.g. by a corpus worker): its N-Quads lines, all in
    `graph_iri(source_id)`. What `KnowledgeStore.write_articles` takes."""

    source_id: str
    nquads: str

    def lines(self) -> list[str]:
        return self.nquads.splitlines(keepends=True)


@dataclass(slots=True)
class Stats:
    quads: int
    articles: int
    actors: int
    statements: int
    claims: int
    relations: int
    contested_claims: int

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}


QueryResult = Rows | bool | list[ox.Triple]


class KnowledgeStore(abc.ABC):
    """A claimgraph store: articles in, SPARQL out."""

    #: True when writes are possible through this handle
    writable: bool = True
    #: True when the backend keeps the summary graph at every write (claimgraph.store.summary)
    keeps_summary: bool = False

    def _write_summary(self, update: str) -> None:
        """Run claimgraph's own update of the summary graph (the caller holds the writer lock)."""
        raise StoreError(f"{type(self).__name__} keeps no summary graph")

    def on_change(self, listener: Callable[[str | None], None]) -> None:
        """Call `listener(source_id)` after an article is written or dropped (None: anything may
        have changed, e.g. after a bulk load or a SPARQL update). Used to keep indexes fresh."""
        self.__dict__.setdefault("_listeners", []).append(listener)

    def _changed(self, source_id: str | None) -> None:
        for listener in self.__dict__.get("_listeners", []):
            listener(source_id)

    @contextmanager
    def writing(self, *, notify: bool = True) -> Iterator[None]:
        """The one write path: every change (ingest, drop, SPARQL Update, Graph Store writes) runs
        inside this block, one writer at a time per store handle (re-entrant), and with `notify`
        listeners hear None (anything may have changed) when the block ends, failed or not (a failed
        write may still have changed something). Writes that notify per article pass notify=False."""
        lock: threading.RLock = self.__dict__.setdefault("_write_lock", threading.RLock())
        with lock:
            try:
                yield
            finally:
                if notify:
                    self._changed(None)

    def update(self, sparql: str, base_iri: str | None = None, *, union: bool = False,
               using: list[str] | None = None, using_named: list[str] | None = None) -> None:
        """Run a SPARQL Update (the caller has checked its shape and graphs).

        The dataset of each WHERE, as for queries: the operation's own USING / USING NAMED / WITH;
        else `using` / `using_named` when given (the protocol's using-graph-uri and
        using-named-graph-uri); else with `union` the union of all graphs; else the store's default
        graph and all named graphs. Templates without GRAPH always write the store's default graph."""
        raise StoreError(f"{type(self).__name__} does not take SPARQL Update through the library")

    def replace_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        """Graph Store PUT: the graph becomes exactly these triples, in one transaction."""
        raise StoreError("the Graph Store Protocol needs the embedded store")

    def add_to_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        """Graph Store POST: add these triples to the graph (created if new), in one transaction."""
        raise StoreError("the Graph Store Protocol needs the embedded store")

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        """Graph Store DELETE: remove a named graph, or empty the default graph."""
        raise StoreError("the Graph Store Protocol needs the embedded store")

    @abc.abstractmethod
    def ingest(self, doc: Document, validate: bool = True) -> IngestReport:
        """Replace the article's graph with this document, atomically; unchanged if identical."""

    def ingest_many(self, docs: Iterable[Document], validate: bool = True,
                    progress: Any = None) -> IngestReport:
        """Ingest many documents; each lands whole or not at all."""
        report = IngestReport()
        for doc in docs:
            report.merge(self.ingest(doc, validate=validate))
            if progress is not None:
                progress(doc)
        return report

    def write_articles(self, articles: Sequence[ArticleGraph]) -> IngestReport:
        """The bulk path of corpus ingest: write a batch of mapped, validated articles, each whole
        or not at all (new ones in as few requests as the backend allows, known ones replaced as
        `ingest` does); listeners hear each article that changed."""
        raise StoreError(f"{type(self).__name__} has no bulk write path")

    @abc.abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              limit: int | None = None) -> QueryResult:
        """Run a SPARQL query; `bindings` pre-bind variables to values (never pasted as text)."""

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None, **kw: Any) -> Rows:
        res = self.query(sparql, bindings, **kw)
        if not isinstance(res, Rows):
            raise TypeError("select() needs a SELECT query")
        return res

    @abc.abstractmethod
    def drop(self, source_id: str) -> bool:
        """Remove an article's graph; True if it was there."""

    @abc.abstractmethod
    def sources(self) -> list[str]:
        """The ids of the articles in the store."""

    @abc.abstractmethod
    def export(self, out: IO[bytes], fmt: str = "trig", source_id: str | None = None) -> None:
        """Write the store (or one article) in an RDF format."""

    @abc.abstractmethod
    def load_nquads(self, data: bytes | IO[bytes] | str | Path) -> int:
        """Bulk-load N-Quads (a backup or a generated corpus); returns the number of quads after."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def stats(self) -> Stats:
        from .queries_builtin import STATS

        row = self.select(STATS).dicts()[0]
        return Stats(quads=len(self), **{k: int(row[k] or 0) for k in
                                          ("articles", "actors", "statements", "claims", "relations",
                                           "contested_claims")})

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release the store."""

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
