"""Opt-in inference: a reasoned view of the embedded store, kept in step through its one write path.

The asserted store is never touched: inferred triples live in a second Oxigraph store (the
directory `<data>/inferred-<regime>/`, in memory for an in-memory store) holding a copy of each
article graph `<g>` and, beside it, the article's inferred graph `<g>/inferred` (plus the ontology and
`<ontology>/inferred`). Queries with reasoning run there with the union default graph, so they see
asserted and inferred triples; queries without it run on the asserted store as always and cannot see
an inferred triple. (Keeping inferred graphs in the asserted store and leaving them out with a
dataset of the asserted graphs was measured: 311 graphs in the default-graph list made a two-pattern
join 175 times slower, 34.6 s against 0.2 s; docs/performance.md.)

In step: writes go to the asserted store through `writing()`; its change events re-copy and re-infer
the article (or drop it). At open, every article whose content digest differs from the one the view
last reasoned over is redone, so writes by other processes are caught up too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import StoreError
from ..model import Document
from ..rdf.inference import check_regime, infer, ontology_closure
from ..rdf.mapper import graph_iri, nquads
from ..rdf.vocab import inferred_graph_iri
from .base import IngestReport, KnowledgeStore, QueryResult
from .common import ONTOLOGY_GRAPH
from .embedded import OxigraphStore

_DIGESTS = "claimgraph-reasoned.json"


class ReasonedStore(KnowledgeStore):
    """Writes to `base`; queries see `base` plus what `regime` ('rdfs' or 'owl-rl') implies."""

    def __init__(self, base: KnowledgeStore, regime: str) -> None:
        if not isinstance(base, OxigraphStore):
            raise StoreError("reasoning needs the embedded store (a remote store has its own reasoner, if any)")
        self.base, self.regime = base, check_regime(regime)
        self.writable = base.writable
        where = base.path / f"inferred-{regime}" if base.path is not None else None
        try:
            self.view = OxigraphStore(where)
        except StoreError:  # another process (a reasoning server) keeps it: read what it keeps
            self.view = OxigraphStore(where, read_only=True)
        self._digests: dict[str, str] = self._read_digests()
        if self.view.writable:
            self._sync_ontology()
            self.sync()
        base.on_change(self._on_base_change)

    # ---------------------------------------------------------------- keeping in step

    def _read_digests(self) -> dict[str, str]:
        p = self._digest_file()
        if p is None or not p.exists():
            return {}
        try:
            return dict(json.loads(p.read_text()))
        except ValueError:
            return {}  # torn: every article is redone, which is slow but right

    def _digest_file(self) -> Path | None:
        return self.view.path / _DIGESTS if self.view.path is not None else None

    def _save_digests(self) -> None:
        p = self._digest_file()
        if p is not None:
            p.write_text(json.dumps(self._digests, sort_keys=True))

    def _sync_ontology(self) -> None:
        onto = [q.triple for q in self.base.raw.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH)))]
        key = "ontology:" + _digest(onto)
        if self._digests.get("ontology") == key:
            return
        closure = _to_ox(ontology_closure(self.regime))
        self._write(str(ONTOLOGY_GRAPH), onto, closure)
        self._digests["ontology"] = key
        self._save_digests()

    def sync(self, source_id: str | None = None) -> int:
        """Bring the view in step with the asserted store (one article, or all); returns articles redone."""
        if not self.view.writable:
            return 0
        ids = [source_id] if source_id is not None else sorted(set(self.base.sources()) | {
            k for k in self._digests if k != "ontology"})
        redone = 0
        for sid in ids:
            g = ox.NamedNode(str(graph_iri(sid)))
            triples = [q.triple for q in self.base.raw.quads_for_pattern(None, None, None, g)]
            if not triples:
                if sid in self._digests:
                    self.view.raw.update(f"DROP SILENT GRAPH {g} ; DROP SILENT GRAPH <{inferred_graph_iri(g.value)}>")
                    del self._digests[sid]
                    redone += 1
                continue
            key = _digest(triples)
            if self._digests.get(sid) == key:
                continue
            inferred = _to_ox(infer(_to_rdflib(triples), self.regime))
            self._write(g.value, triples, inferred)
            self._digests[sid] = key
            redone += 1
        if redone:
            self.view.flush()
            self._save_digests()
        return redone

    def _write(self, graph: str, asserted: list[ox.Triple], inferred: list[ox.Triple]) -> None:
        # one update: the copy and its inferred graph change together or not at all
        gi = inferred_graph_iri(graph)
        body_a = "".join(f"{t} .\n" for t in asserted)
        body_i = "".join(f"{t} .\n" for t in inferred)
        self.view.raw.update(f"DROP SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <{gi}> ;\n"
                             f"INSERT DATA {{ GRAPH <{graph}> {{\n{body_a}}} GRAPH <{gi}> {{\n{body_i}}} }}")

    def _on_base_change(self, source_id: str | None) -> None:
        if source_id is None:
            self._sync_ontology()
        self.sync(source_id)
        self._changed(source_id)

    # ---------------------------------------------------------------- writes: the asserted store's

    @contextmanager
    def writing(self, *, notify: bool = True) -> Iterator[None]:
        with self.base.writing(notify=notify):
            yield

    def ingest(self, doc: Document, validate: bool = True) -> IngestReport:
        return self.base.ingest(doc, validate)

    def ingest_many(self, docs: Iterable[Document], validate: bool = True, progress: Any = None) -> IngestReport:
        return self.base.ingest_many(docs, validate, progress)

    def drop(self, source_id: str) -> bool:
        return self.base.drop(source_id)

    def load_nquads(self, data: bytes | IO[bytes] | str | Path) -> int:
        return self.base.load_nquads(data)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self.base.update(sparql, base_iri)

    def replace_graph(self, graph: Any, triples: list[ox.Triple]) -> None:
        self.base.replace_graph(graph, triples)

    def add_to_graph(self, graph: Any, triples: list[ox.Triple]) -> None:
        self.base.add_to_graph(graph, triples)

    def drop_graph(self, graph: Any) -> None:
        self.base.drop_graph(graph)

    # ---------------------------------------------------------------- reads: the reasoned view's

    @property
    def raw(self) -> ox.Store:
        return self.view.raw

    @property
    def path(self) -> Path | None:
        return self.view.path

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *, limit: int | None = None) -> QueryResult:
        return self.view.query(sparql, bindings, limit=limit)

    def sources(self) -> list[str]:
        return self.base.sources()

    def export(self, out: IO[bytes], fmt: str = "trig", source_id: str | None = None) -> None:
        self.base.export(out, fmt, source_id)  # a backup holds what was asserted, never the inferences

    def __len__(self) -> int:
        return len(self.view)

    def close(self) -> None:
        self.view.close()
        self.base.close()


def _digest(triples: list[ox.Triple]) -> str:
    h = hashlib.sha256()
    for line in sorted(str(t) for t in triples):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


def _to_rdflib(triples: list[ox.Triple]) -> list[Any]:
    g = Graph().parse(data="".join(f"{t} .\n" for t in triples), format="nt")
    return list(g)


def _to_ox(triples: Iterable[Any]) -> list[ox.Triple]:
    lines = "".join(nquads(triples, graph_iri("x")))  # N-Quads of one graph, then read back as triples
    return [q.triple for q in ox.parse(lines, ox.RdfFormat.N_QUADS)]


def reasoned(store: KnowledgeStore, regime: str | None) -> KnowledgeStore:
    """`store` itself without a regime, else its reasoned view."""
    return store if not regime else ReasonedStore(store, regime)


