"""The embedded default store: Oxigraph on disk (`pyoxigraph.Store(path)`), or in memory.

Writes of one article are one Oxigraph transaction (a single SPARQL update that drops the old
graph and inserts the new one), so an ingest lands whole or not at all. Large loads of new
articles use `bulk_load`, which is not transactional; a marker file names the graphs being
bulk-loaded, and opening the store after a crash drops those graphs again.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..model import Document
from ..rdf.mapper import graph_iri, nquads, to_triples
from ..rdf.validate import check
from ..rdf.vocab import ID_BASE, PREFIXES
from . import summary
from .base import ArticleGraph, IngestReport, KnowledgeStore, QueryResult
from .common import ONTOLOGY_GRAPH, RDF_FORMATS, graph_body, materialise, ontology_update
from .sparql_text import bind, has_where_operation, keywords, mentioned_iris, shape_problem, with_using

_GRAPH_PREFIX = f"{ID_BASE}graph/"
_PENDING = "claimgraph-bulk-pending.json"
LIBRARY_MAX_DEPTH = 256
"""Nesting the library accepts (the server is stricter); the parser crashes near 2,500."""


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


class OxigraphStore(KnowledgeStore):
    """claimgraph over a pyoxigraph Store. `path=None` is in memory."""

    keeps_summary = True

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        # absolute: RocksDB keys its per-process lock and table files by the path string, so two
        # stores opened as "data" from different working directories collided (measured)
        self.path = Path(path).absolute() if path is not None else None
        self.writable = not read_only
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {self.path}: {e}") from None
        if self.writable:
            self._recover()
            self._ensure_ontology()
            self._ensure_summary()

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph Store (for bulk work and benchmarks)."""
        return self._store

    # ------------------------------------------------------------------ setup

    def _ensure_ontology(self) -> None:
        marker, update = ontology_update()
        if marker in self._store:
            return
        self._store.update(update)

    def _ensure_summary(self) -> None:
        # stale at open: a crash between a write and its refresh, a new ontology or summary layout,
        # or a store from before the summary; recounted once here rather than at a first request
        if not summary.is_fresh(self):
            with self.writing(notify=False):
                summary.rebuild(self)

    def _write_summary(self, update: str) -> None:
        self._store.update(update)

    def _recover(self) -> None:
        if self.path is None:
            return
        pending = self.path / _PENDING
        if pending.exists():
            try:
                graphs = json.loads(pending.read_text())
            except ValueError:
                # torn: killed while writing it, and bulk_load starts only after it is written
                # and fsynced, so nothing was loaded under it
                graphs = []
            for g in graphs:
                self._store.remove_graph(ox.NamedNode(g))
            self._store.flush()
            pending.unlink()

    # ------------------------------------------------------------------ writes

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError("this store was opened read-only")

    def ingest(self, doc: Document, validate: bool = True) -> IngestReport:
        self._require_writable()
        triples = to_triples(doc)
        if validate:
            check(triples, f"source {doc.source.id}")
        with self.writing(notify=False):  # _replace notifies only when the article changed
            return self._replace(doc, triples)

    def _replace(self, doc: Document, triples: list) -> IngestReport:
        """Write an article's (already mapped and checked) triples as one transaction."""
        return self._replace_lines(doc.source.id, list(nquads(triples, graph_iri(doc.source.id))))

    def _replace_lines(self, source_id: str, lines: list[str]) -> IngestReport:
        g = graph_iri(source_id)
        gnode = ox.NamedNode(str(g))
        existed = self._store.contains_named_graph(gnode)
        if existed and self._same_graph(gnode, lines):
            return IngestReport({source_id: "unchanged"}, len(lines))
        with summary.keeping(self, [str(g)], before=existed):
            # the summary is marked stale in the same transaction, until keeping() refreshes it
            self._store.update(f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{graph_body(lines)}}} }} ;\n"
                               f"{summary.STALE}")
        self._changed(source_id)
        return IngestReport({source_id: "replaced" if existed else "added"}, len(lines))

    def write_articles(self, articles: Sequence[ArticleGraph]) -> IngestReport:
        """New articles in one bulk_load (its pending-graphs marker makes a crash take them back
        at the next open, so none stays half-loaded); known ones replaced one transaction each."""
        self._require_writable()
        report = IngestReport()
        with self.writing(notify=False):
            batch: list[str] = []
            graphs: list[str] = []

            def flush() -> None:
                if graphs:
                    with summary.keeping(self, graphs, before=False):
                        self._bulk_write("".join(batch).encode(), graphs)
                    for g in graphs:
                        self._changed(g[len(_GRAPH_PREFIX):])
                    batch.clear()
                    graphs.clear()

            for a in articles:
                g = str(graph_iri(a.source_id))
                lines = a.lines()
                if g in graphs:  # the same article twice in one batch: the later one wins, in order
                    flush()
                if self._store.contains_named_graph(ox.NamedNode(g)):
                    report.merge(self._replace_lines(a.source_id, lines))
                    continue
                batch.extend(lines)
                graphs.append(g)
                report.outcome[a.source_id] = "added"
                report.triples += len(lines)
            flush()
        return report

    def _same_graph(self, g: ox.NamedNode, lines: list[str]) -> bool:
        current = {str(q) + " .\n" for q in self._store.quads_for_pattern(None, None, None, g)}
        if len(current) != len(set(lines)):
            return False
        new = {str(q) + " .\n" for q in ox.parse("".join(lines), ox.RdfFormat.N_QUADS)}
        return current == new

    def ingest_many(self, docs: Iterable[Document], validate: bool = True, progress: Any = None,
                    batch_triples: int = 200_000) -> IngestReport:
        """Ingest many documents, each whole or not at all; new articles go through bulk_load.

        With `validate`, every document is checked first, so one invalid document stops the run
        before anything is written. Articles already in the store are replaced one transaction each.
        """
        self._require_writable()
        docs = list(docs) if validate else docs
        mapped: dict[int, list] = {}  # by id(doc): two versions of one article may both be here
        if validate:
            for doc in docs:  # type: ignore[union-attr]
                triples = mapped[id(doc)] = to_triples(doc)
                check(triples, f"source {doc.source.id}")
        with self.writing(notify=False):  # each article notifies as it lands
            return self._ingest_batches(docs, mapped, progress, batch_triples)

    def _ingest_batches(self, docs: Iterable[Document], mapped: dict[int, list], progress: Any,
                        batch_triples: int) -> IngestReport:
        report = IngestReport()
        batch: list[str] = []
        graphs: list[str] = []
        # bulk_load releases the GIL, so one batch loads in a worker thread while this thread maps
        # the next: a load costs about max(mapping, loading) instead of their sum. One batch is in
        # flight at a time, so the pending-graphs marker and the take-back on failure still hold.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-bulk") as pool:
            inflight: Future[list[str]] | None = None
            loading: set[str] = set()  # graphs of the batch in flight: not visible in the store yet
            fresh = False  # the summary was consistent before the batch in flight

            def settle() -> None:
                nonlocal inflight
                if inflight is not None:
                    done, inflight = inflight, None
                    loading.clear()
                    landed = done.result()  # re-raises a failed batch's error here
                    if fresh:  # new graphs: their claims and actors are all that changed
                        summary.refresh(self, summary.touched(self, landed))
                    for g in landed:
                        self._changed(g[len(_GRAPH_PREFIX):])

            def flush_batch() -> None:
                nonlocal inflight, batch, graphs, fresh
                settle()
                fresh = summary.is_fresh(self)
                loading.update(graphs)
                inflight = pool.submit(self._bulk_write, "".join(batch).encode(), graphs)
                batch, graphs = [], []

            try:
                for doc in docs:
                    g = graph_iri(doc.source.id)
                    if (str(g) in graphs or str(g) in loading
                            or self._store.contains_named_graph(ox.NamedNode(str(g)))):
                        if batch:
                            flush_batch()
                        settle()
                        report.merge(self._replace(doc, mapped.pop(id(doc), None) or to_triples(doc)))
                    else:
                        triples = mapped.pop(id(doc), None) or to_triples(doc)
                        batch.extend(nquads(triples, g))
                        graphs.append(str(g))
                        report.outcome[doc.source.id] = "added"
                        report.triples += len(triples)
                        if len(batch) >= batch_triples:
                            flush_batch()
                    if progress is not None:
                        progress(doc)
                if batch:
                    flush_batch()
            finally:
                settle()
        return report

    def _bulk_write(self, data: bytes, graphs: list[str]) -> list[str]:
        # bulk_load is no transaction: the summary is marked stale before it starts
        self._store.update(summary.STALE)
        pending = self.path / _PENDING if self.path is not None else None
        if pending is not None:
            with open(pending, "w") as f:
                json.dump(graphs, f)
                f.flush()
                os.fsync(f.fileno())
        try:
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
        except BaseException:
            for g in graphs:  # bulk_load is not transactional: take back what it wrote
                self._store.remove_graph(ox.NamedNode(g))
            if pending is not None:
                pending.unlink()
            raise
        if pending is not None:
            self._store.flush()
            pending.unlink()
        return graphs

    def load_nquads(self, data: bytes | IO[bytes] | str | Path) -> int:
        self._require_writable()
        with self.writing():
            self._store.update(summary.STALE)  # any graph may change: recounted whole below
            try:
                try:
                    if isinstance(data, (str, Path)):
                        self._store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
                    else:
                        self._store.bulk_load(data if isinstance(data, bytes) else data.read(),
                                              ox.RdfFormat.N_QUADS)
                except SyntaxError as e:  # a broken line, bytes that are not UTF-8, a NUL in an IRI
                    raise StoreError(f"cannot load the N-Quads: {e}") from None
                self._store.flush()
                self._ensure_ontology()
            finally:
                # a failed load may have written part of the file (or nothing): recounted either way,
                # so the summary is again what the graphs say (the same triples when nothing landed)
                summary.rebuild(self)
        return len(self._store)

    def drop(self, source_id: str) -> bool:
        self._require_writable()
        g = ox.NamedNode(str(graph_iri(source_id)))
        with self.writing(notify=False):
            if not self._store.contains_named_graph(g):
                return False
            with summary.keeping(self, [g.value]):
                self._store.update(f"DROP GRAPH {g} ;\n{summary.STALE}")
            self._changed(source_id)
        return True

    def update(self, sparql: str, base_iri: str | None = None, *, union: bool = False,
               using: list[str] | None = None, using_named: list[str] | None = None) -> None:
        self._require_writable()
        with self.writing():
            if using is not None or using_named is not None:
                sparql = with_using(sparql, using or [], using_named or [])
            elif union and has_where_operation(sparql):
                sparql = self._union_where(sparql, base_iri)
            # an update may change any graph: the summary is only marked stale, and rebuilt before
            # it is next read (summary.kept); a failed update changed nothing, so it stays as it was
            fresh = summary.is_fresh(self)
            self._store.update(summary.STALE)
            try:
                self._store.update(sparql, base_iri=base_iri, prefixes=PREFIXES)
            except SyntaxError as e:
                self._unstale(fresh)
                raise QueryError(f"SPARQL syntax error: {e}") from None
            except (ValueError, OSError, RuntimeError) as e:
                self._unstale(fresh)
                raise QueryError(f"update failed: {e}") from None

    def _unstale(self, fresh: bool) -> None:
        if fresh:
            self._store.update(summary.fresh_update())

    @staticmethod
    def _derived(graph: ox.NamedNode) -> bool:
        """The summary graph itself, or the ontology (which says each stance's side)."""
        return graph.value in (str(summary.SUMMARY_GRAPH), str(ONTOLOGY_GRAPH))

    def _union_where(self, sparql: str, base_iri: str | None) -> str:
        """The update with each WHERE that names no dataset evaluated over the union of all graphs,
        as queries are: pyoxigraph's update() has no union option, so the graphs are listed as
        USING / USING NAMED (taken inside the writer lock, so the list is the store's), plus the
        graphs the text names (an earlier operation may create them), plus a copy of the default
        graph made and dropped inside the same transaction."""
        graphs = {g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        graphs |= mentioned_iris(sparql, base_iri, PREFIXES)
        ordered = sorted(g for g in graphs if _is_iri(g))
        return with_using(sparql, ordered, ordered, copy_default_to=f"urn:claimgraph:update-default:{uuid.uuid4()}")

    def replace_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        self._require_writable()
        # one update = one transaction: a crash between removing the old graph and adding the new
        # one must not lose it. The terms are the parser's own N-Triples forms, not client text.
        body = "".join(f"{t} .\n" for t in triples)
        with self.writing():
            # the default graph is no article graph: no count reads it
            if isinstance(graph, ox.DefaultGraph):
                self._store.update(f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}}}")
            elif self._derived(graph):
                self._store.update(f"DROP SILENT GRAPH {graph} ;\nCREATE SILENT GRAPH {graph} ;\n"
                                   f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }} ;\n{summary.STALE}")
            else:
                with summary.keeping(self, [graph.value]):
                    self._store.update(f"DROP SILENT GRAPH {graph} ;\nCREATE SILENT GRAPH {graph} ;\n"
                                       f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }} ;\n{summary.STALE}")

    def add_to_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        self._require_writable()
        with self.writing():
            if isinstance(graph, ox.DefaultGraph):
                self._store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
                return
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
            if self._derived(graph):
                self._store.add_graph(graph)
                self._store.extend(quads)
                self._store.update(summary.STALE)
                return
            with summary.keeping(self, [graph.value]):
                self._store.update(summary.STALE)  # extend() is its own transaction: stale first
                self._store.add_graph(graph)
                self._store.extend(quads)

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        self._require_writable()
        with self.writing():
            if isinstance(graph, ox.DefaultGraph):
                self._store.clear_graph(graph)
            elif self._derived(graph):
                self._store.remove_graph(graph)
                self._store.update(summary.STALE)
            else:
                with summary.keeping(self, [graph.value]):
                    self._store.update(f"DROP SILENT GRAPH {graph} ;\n{summary.STALE}")

    # ------------------------------------------------------------------ reads

    def sources(self) -> list[str]:
        return sorted(g.value[len(_GRAPH_PREFIX):] for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(_GRAPH_PREFIX))

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              limit: int | None = None, union: bool = True) -> QueryResult:
        # what would crash or hang pyoxigraph's parser, or make it open a connection, never reaches it
        problem = shape_problem(sparql, max_depth=LIBRARY_MAX_DEPTH)
        if problem:
            raise QueryError(problem)
        if "SERVICE" in keywords(sparql):
            raise QueryError("SERVICE (federated query) is not run by the embedded store: "
                             "claimgraph does not fetch data from other endpoints")
        try:
            res = self._store.query(bind(sparql, bindings), use_default_graph_as_union=union,
                                    prefixes=PREFIXES)
        except ValueError as e:
            raise QueryError(str(e)) from None
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except (OSError, RuntimeError) as e:
            raise QueryError(f"query failed: {e}") from None
        return materialise(res, limit)

    def export(self, out: IO[bytes], fmt: str = "trig", source_id: str | None = None) -> None:
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; choose one of {sorted(RDF_FORMATS)}")
        rf = RDF_FORMATS[fmt]
        g = ox.NamedNode(str(graph_iri(source_id))) if source_id else None
        if g is not None and not self._store.contains_named_graph(g):
            raise StoreError(f"no article {source_id!r} in the store")
        if rf.supports_datasets and g is None:  # the whole store, the summary graph included
            self._store.dump(out, rf)
            return
        # triple formats: one article's graph, or every article graph merged (duplicates removed;
        # not the summary, whose counts would read as if an article said them)
        kept = ox.NamedNode(str(summary.SUMMARY_GRAPH))
        quads = (self._store.quads_for_pattern(None, None, None, g) if g is not None else
                 (q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != kept))
        triples = {q.triple for q in quads}
        buf = io.BytesIO()
        ox.serialize(triples, buf, rf, prefixes=PREFIXES)
        out.write(buf.getvalue())

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.writable:
            self._store.flush()

    def close(self) -> None:
        if self.writable and self.path is not None:
            self._store.flush()
        del self._store
