"""A claimgraph store on a remote SPARQL 1.1 server (Protocol, Update and Graph Store Protocol).

    >>> from claimgraph.store import open_store
    >>> kg = open_store("http://127.0.0.1:7878")      # doctest: +SKIP  (Oxigraph server defaults)

Same semantics as the embedded store: one named graph per article, the ontology in its own
graph. The library's queries name their graphs (`GRAPH ?g`), so the server needs no special
configuration (a stock `oxigraph serve`, Fuseki, GraphDB, Virtuoso); `union_default_graph`
says whether its default graph is also the union of all graphs (as `oxigraph serve
--union-default-graph`, Fuseki `unionDefaultGraph` and Virtuoso make it), which user queries
written without GRAPH rely on. Each article is written by
one update request (`DROP SILENT GRAPH` + `INSERT DATA`), which a transactional server such as
Oxigraph applies whole or not at all. Endpoint paths are options, so the same class talks to
Oxigraph (`/query`, `/update`, `/store`), Fuseki (`/ds/sparql`, `/ds/update`, `/ds/data`) or
Virtuoso (`/sparql` for all three, no Graph Store Protocol needed: see docs/remote.md). A URL
with a path (`http://127.0.0.1:8890/sparql`) is one endpoint for queries and updates, which is
how `claimgraph serve --data URL` reaches Virtuoso.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..model import Document
from ..rdf.mapper import graph_iri, nquads, to_triples
from ..rdf.validate import check
from ..rdf.vocab import ID_BASE, PREFIXES, sparql_prefixes
from . import summary
from .base import ArticleGraph, IngestReport, KnowledgeStore, QueryResult
from .common import ONTOLOGY_GRAPH, RDF_FORMATS, graph_body, materialise, ontology_update
from .sparql_service import query_form
from .sparql_text import bind, keywords

_GRAPH_PREFIX = f"{ID_BASE}graph/"
# by query form: offered results formats for a CONSTRUCT, Virtuoso sends its triples as s/p/o rows
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.5"
_SOURCES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?prefix)) }"
# claimgraph's graphs only: a shared server (Virtuoso ships its own schema graphs) holds others
_COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
          "FILTER(?g = ?ontology || ?g = ?summary || STRSTARTS(STR(?g), ?prefix)) }")
_HAS_GRAPH = "ASK WHERE { GRAPH ?g { ?s ?p ?o } }"
# Words that only occur in SPARQL Update. Virtuoso runs an update sent as `query=`, so a query
# handle that forwarded them would be a write path around read_only and the server's token.
_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "LOAD", "COPY", "MOVE", "ADD", "WITH"})
_UNSET: Any = object()
_BUSY = frozenset({429, 503})  # "too many requests", "service unavailable": try again later
_MAX_PAUSE = 30.0


def _pause(resp: httpx.Response, default: float) -> float:
    """Seconds to wait before asking a busy server again: its Retry-After (seconds), else `default`."""
    try:
        return min(_MAX_PAUSE, max(0.0, float(resp.headers.get("retry-after", ""))))
    except ValueError:  # absent, or an HTTP date: back off on our own schedule
        return min(_MAX_PAUSE, default)


def _graph_term(source_id: str) -> ox.NamedNode:
    # pyoxigraph refuses what is not an IRI, so a source id can never break out of <...> in an update
    return ox.NamedNode(str(graph_iri(source_id)))


class RemoteStore(KnowledgeStore):
    """claimgraph over a SPARQL 1.1 endpoint, e.g. ``RemoteStore("http://127.0.0.1:7878")``.

    `query_path`, `update_path` and `store_path` are joined to the base URL (absolute URLs are
    used as they are). Without them, a URL with no path gets Oxigraph's `/query`, `/update` and
    `/store`, and a URL with a path (`http://host:8890/sparql`) is itself the endpoint for
    queries and updates, with no Graph Store Protocol. `store_path=None` means the server has no
    Graph Store Protocol, and exports and loads go through CONSTRUCT and INSERT DATA instead.
    `query_params` are added to every query request (e.g. a server-specific switch); `auth` is a
    (user, password) pair for basic auth or any httpx auth, e.g. ``httpx.DigestAuth`` for
    Virtuoso's /sparql-auth.
    """

    keeps_summary = True

    def __init__(self, url: str, *, query_path: str = _UNSET, update_path: str = _UNSET,
                 store_path: str | None = _UNSET, timeout: float = 60.0,
                 headers: Mapping[str, str] | None = None, auth: tuple[str, str] | httpx.Auth | None = None,
                 query_params: Mapping[str, str] | None = None, read_only: bool = False,
                 load_batch_quads: int = 20_000, insert_data_triples: int = 500, retries: int = 5,
                 backoff: float = 0.5) -> None:
        self.url = url.rstrip("/")
        endpoint = urlsplit(self.url).path not in ("", "/")
        if query_path is _UNSET:
            query_path = "" if endpoint else "/query"
        if update_path is _UNSET:
            update_path = "" if endpoint else "/update"
        if store_path is _UNSET:
            store_path = None if endpoint else "/store"
        self.query_url = self._join(query_path)
        self.update_url = self._join(update_path)
        self.store_url = self._join(store_path) if store_path is not None else None
        self.query_params = dict(query_params or {})
        self.writable = not read_only
        self.load_batch_quads = load_batch_quads
        self.retries = retries
        self.backoff = backoff
        self.insert_data_triples = insert_data_triples
        self._client = httpx.Client(timeout=timeout, headers=dict(headers or {}), auth=auth)
        self._prefixes = sparql_prefixes()
        if self.writable:
            self._ensure_ontology()
            if not summary.is_fresh(self):  # a new server, or one written around claimgraph
                with self.writing(notify=False):
                    summary.rebuild(self)
        self._check_union()

    def _join(self, path: str) -> str:
        if not path:
            return self.url
        return path if path.startswith(("http://", "https://")) else f"{self.url}/{path.lstrip('/')}"

    # ------------------------------------------------------------------ HTTP

    def _send(self, method: str, url: str, **kw: Any) -> httpx.Response:
        # a busy server (429, 503) is asked again after a growing pause, or the pause its
        # Retry-After names; every claimgraph request is safe to repeat (queries; writes that
        # replace a whole graph or add the triples of a graph that was not there)
        for attempt in range(self.retries + 1):
            try:
                resp = self._client.request(method, url, **kw)
            except httpx.HTTPError as e:
                raise StoreError(f"cannot reach the SPARQL server at {url}: {e}") from None
            if resp.status_code not in _BUSY or attempt == self.retries:
                return resp
            time.sleep(_pause(resp, self.backoff * 2 ** attempt))
        raise AssertionError("unreachable")  # the loop returns on its last attempt

    def _post_query(self, text: str) -> httpx.Response:
        accept = _ACCEPT_GRAPH if query_form(text) in ("construct", "describe") else _ACCEPT_RESULTS
        # form-encoded, the one POST form every server takes: Virtuoso 7.2 never answers a
        # query POSTed as application/sparql-query (it waits for more of the body)
        resp = self._send("POST", self.query_url, data={"query": text}, params=self.query_params,
                          headers={"Accept": accept})
        if resp.status_code >= 500:
            raise StoreError(f"the SPARQL server failed on a query ({resp.status_code}): {_msg(resp)}")
        if resp.status_code >= 400:
            raise QueryError(f"the SPARQL server rejected the query ({resp.status_code}): {_msg(resp)}")
        return resp

    def _update(self, text: str) -> None:
        self._require_writable()
        resp = self._send("POST", self.update_url, content=text.encode(),
                          headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        if resp.status_code >= 300:
            raise StoreError(f"the SPARQL server rejected an update ({resp.status_code}): {_msg(resp)}")

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError("this store was opened read-only")

    def _write_summary(self, update: str) -> None:
        self._update(update)

    # ------------------------------------------------------------------ setup

    def _ensure_ontology(self) -> None:
        marker, update = ontology_update()
        probe = f"ASK WHERE {{ GRAPH {marker.graph_name} {{ {marker.triple} }} }}"
        if not self._ask(probe):
            self._update(update)

    def _check_union(self) -> None:
        # claimgraph's own queries name their graphs (GRAPH ?g), so any SPARQL 1.1 store works as it
        # comes; whether the default graph is the union is only recorded, for users' own queries
        # (a server without it answers `?s ?p ?o` outside GRAPH with its default graph only)
        marker, _ = ontology_update()
        self.union_default_graph = self._ask(f"ASK WHERE {{ {marker.triple} }}")

    def _ask(self, text: str) -> bool:
        res = self._parse(self._post_query(text), None)
        if not isinstance(res, bool):
            raise StoreError(f"the SPARQL server answered an ASK with {type(res).__name__}")
        return res

    # ------------------------------------------------------------------ reads

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              limit: int | None = None) -> QueryResult:
        text = self._prefixes + bind(sparql, bindings)
        update = keywords(text) & _UPDATE_WORDS
        if update:
            raise QueryError(f"this is an update ({', '.join(sorted(update))}), not a query; "
                             "ingest, drop or load_nquads write to the store")
        return self._parse(self._post_query(text), limit)

    def _parse(self, resp: httpx.Response, limit: int | None) -> QueryResult:
        media = resp.headers.get("content-type", "").split(";")[0].strip()
        rf = ox.QueryResultsFormat.from_media_type(media) if media else None
        if rf is not None:
            return materialise(ox.parse_query_results(resp.content, rf), limit)
        graph_format = ox.RdfFormat.from_media_type(media) if media else None
        if graph_format is None:
            raise StoreError(f"the SPARQL server answered with an unknown content type {media!r}")
        return materialise((q.triple for q in ox.parse(resp.content, graph_format)), limit)

    def sources(self) -> list[str]:
        rows = self.select(_SOURCES, {"prefix": _GRAPH_PREFIX})
        return sorted(str(g.value)[len(_GRAPH_PREFIX):] for g in rows.column("g") if g is not None)

    def _has_graph(self, g: ox.NamedNode) -> bool:
        return self._ask(bind(_HAS_GRAPH, {"g": g}))

    def _graph_triples(self, g: ox.NamedNode) -> set[ox.Triple] | None:
        """The triples in graph `g`, or None if there is no such graph."""
        if self.store_url is not None:
            resp = self._send("GET", self.store_url, params={"graph": g.value},
                              headers={"Accept": "application/n-triples"})
            if resp.status_code == 404:
                return None
            if resp.status_code >= 300:
                raise StoreError(f"the SPARQL server refused the graph {g} ({resp.status_code}): {_msg(resp)}")
            return {q.triple for q in ox.parse(resp.content, ox.RdfFormat.N_TRIPLES)}
        if not self._has_graph(g):
            return None
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": g})
        return set(res) if isinstance(res, list) else set()

    def export(self, out: IO[bytes], fmt: str = "trig", source_id: str | None = None) -> None:
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; choose one of {sorted(RDF_FORMATS)}")
        rf = RDF_FORMATS[fmt]
        buf = io.BytesIO()
        if source_id is not None:
            triples = self._graph_triples(_graph_term(source_id))
            if triples is None:
                raise StoreError(f"no article {source_id!r} in the store")
            ox.serialize(triples, buf, rf, prefixes=PREFIXES)
        elif rf.supports_datasets:
            ox.serialize(self._all_quads(), buf, rf, prefixes=PREFIXES)
        else:  # triple formats: every graph merged, duplicates removed (not the summary, as embedded)
            kept = ox.NamedNode(str(summary.SUMMARY_GRAPH))
            ox.serialize({q.triple for q in self._all_quads() if q.graph_name != kept}, buf, rf, prefixes=PREFIXES)
        out.write(buf.getvalue())

    def _all_quads(self) -> list[ox.Quad]:
        if self.store_url is not None:
            resp = self._send("GET", self.store_url, headers={"Accept": "application/n-quads"})
            if resp.status_code < 300:
                return list(ox.parse(resp.content, ox.RdfFormat.N_QUADS))
        # no dataset GET: one CONSTRUCT per graph keeps the graph names
        quads: list[ox.Quad] = []
        graphs = [ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(summary.SUMMARY_GRAPH))] + \
            [_graph_term(s) for s in self.sources()]
        for g in graphs:
            quads += [ox.Quad(t.subject, t.predicate, t.object, g) for t in self._graph_triples(g) or ()]
        return quads

    def __len__(self) -> int:
        row = self.select(_COUNT, {"ontology": ox.NamedNode(str(ONTOLOGY_GRAPH)), "prefix": _GRAPH_PREFIX,
                                   "summary": ox.NamedNode(str(summary.SUMMARY_GRAPH))}).rows[0]
        return int(row[0].value) if row[0] is not None else 0

    # ------------------------------------------------------------------ writes

    def ingest(self, doc: Document, validate: bool = True) -> IngestReport:
        self._require_writable()
        triples = to_triples(doc)
        if validate:
            check(triples, f"source {doc.source.id}")
        return self._write(doc.source.id, list(nquads(triples, graph_iri(doc.source.id))))

    def _write(self, source_id: str, lines: list[str]) -> IngestReport:
        with self.writing(notify=False):  # notifies below, only when the article changed
            return self._write_graph(source_id, lines)

    def _write_graph(self, source_id: str, lines: list[str]) -> IngestReport:
        g = _graph_term(source_id)
        current = self._graph_triples(g)
        if current is not None:
            new = {q.triple for q in ox.parse("".join(lines), ox.RdfFormat.N_QUADS)}
            if new == current:
                return IngestReport({source_id: "unchanged"}, len(lines))
        # still one request: the INSERT DATA is split into operations of a few hundred triples,
        # because Virtuoso refuses a larger one ("generated SQL text has exceeded 10000 lines")
        n = self.insert_data_triples
        inserts = [f"INSERT DATA {{ GRAPH {g} {{\n{graph_body(lines[i:i + n])}}} }}"
                   for i in range(0, len(lines), n)]
        with summary.keeping(self, [g.value], before=current is not None):
            # marked stale in the same request, until keeping() refreshes the summary
            self._update(" ;\n".join([f"DROP SILENT GRAPH {g}", *inserts, summary.STALE]))
        self._changed(source_id)
        return IngestReport({source_id: "added" if current is None else "replaced"}, len(lines))

    def ingest_many(self, docs: Iterable[Document], validate: bool = True,
                    progress: Any = None) -> IngestReport:
        """Each document in its own update request; with `validate`, all are checked first,
        so one invalid document stops the run before anything is written."""
        self._require_writable()
        docs = list(docs)
        mapped = [to_triples(d) for d in docs]
        if validate:
            for d, triples in zip(docs, mapped, strict=True):
                check(triples, f"source {d.source.id}")
        report = IngestReport()
        for d, triples in zip(docs, mapped, strict=True):
            report.merge(self._write(d.source.id, list(nquads(triples, graph_iri(d.source.id)))))
            if progress is not None:
                progress(d)
        return report

    def write_articles(self, articles: Sequence[ArticleGraph]) -> IngestReport:
        """New articles in one request: a Graph Store POST of their N-Quads where the server has
        /store, else one update of INSERT DATA operations; if it fails, their graphs are dropped
        again, so none stays half-written. Known articles are compared and replaced one request each."""
        self._require_writable()
        report = IngestReport()
        with self.writing(notify=False):
            known = self._existing({a.source_id for a in articles})
            new: list[ArticleGraph] = []
            for a in articles:
                if a.source_id in {n.source_id for n in new}:  # twice in one batch: in order, later wins
                    self._write_new(new, report)
                    new = []
                    known.add(a.source_id)
                if a.source_id in known:
                    report.merge(self._write_graph(a.source_id, a.lines()))
                else:
                    new.append(a)
            self._write_new(new, report)
        return report

    def _existing(self, source_ids: set[str]) -> set[str]:
        if not source_ids:
            return set()
        values = " ".join(str(_graph_term(s)) for s in sorted(source_ids))
        rows = self.select(f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
        return {str(g.value)[len(_GRAPH_PREFIX):] for g in rows.column("g") if g is not None}

    def _write_new(self, articles: list[ArticleGraph], report: IngestReport) -> None:
        if not articles:
            return
        with summary.keeping(self, [_graph_term(a.source_id).value for a in articles], before=False):
            self._post_new(articles)
        for a in articles:
            report.outcome[a.source_id] = "added"
            report.triples += a.nquads.count("\n")
            self._changed(a.source_id)

    def _post_new(self, articles: list[ArticleGraph]) -> None:
        self._update(summary.STALE)  # a Graph Store POST cannot carry it: stale first
        try:
            if self.store_url is not None:
                resp = self._send("POST", self.store_url, content="".join(a.nquads for a in articles).encode(),
                                  headers={"Content-Type": "application/n-quads"})
                if resp.status_code >= 300:
                    raise StoreError(f"the SPARQL server refused the N-Quads ({resp.status_code}): {_msg(resp)}")
            else:
                n = self.insert_data_triples
                ops = []
                for a in articles:
                    lines, g = a.lines(), _graph_term(a.source_id)
                    ops += [f"INSERT DATA {{ GRAPH {g} {{\n{graph_body(lines[i:i + n])}}} }}"
                            for i in range(0, len(lines), n)]
                self._update(" ;\n".join(ops))
        except BaseException:
            # a server that applied part of the request (Virtuoso does not roll back) or a client
            # interrupted after sending: take the batch's new graphs back, best effort
            with contextlib.suppress(StoreError):
                self._update(" ;\n".join(f"DROP SILENT GRAPH {_graph_term(a.source_id)}" for a in articles))
            raise

    def drop(self, source_id: str) -> bool:
        self._require_writable()
        g = _graph_term(source_id)
        with self.writing(notify=False):
            if not self._has_graph(g):
                return False
            # SILENT: Virtuoso refuses DROP GRAPH of a graph that INSERT DATA made, not CREATE GRAPH
            with summary.keeping(self, [g.value]):
                self._update(f"DROP SILENT GRAPH {g} ;\n{summary.STALE}")
            self._changed(source_id)
        return True

    def load_nquads(self, data: bytes | IO[bytes] | str | Path) -> int:
        self._require_writable()
        with self.writing():
            self._update(summary.STALE)  # any graph may change: recounted whole below
            try:
                self._load_nquads(data)
            finally:  # a refused or partial load too: the summary is again what the graphs say
                summary.rebuild(self)
        return len(self)

    # SPARQL Update and Graph Store writes through the library, as on the embedded store: one update
    # request each (the server applies it whole), inside the writer lock

    def update(self, sparql: str, base_iri: str | None = None, *, union: bool = False,
               using: list[str] | None = None, using_named: list[str] | None = None) -> None:
        """Send a SPARQL Update to the server; `using` / `using_named` go as the protocol's
        using-graph-uri / using-named-graph-uri. `base_iri` and `union` are the server's business
        (its own base and default graph). The summary is marked stale and rebuilt before it is
        next read: an update may change any graph."""
        self._require_writable()
        params = [("using-graph-uri", g) for g in using or []] + [("using-named-graph-uri", g) for g in using_named or []]
        with self.writing():
            fresh = summary.is_fresh(self)
            self._update(summary.STALE)
            resp = self._send("POST", self.update_url, content=sparql.encode(), params=params,
                              headers={"Content-Type": "application/sparql-update; charset=utf-8"})
            if resp.status_code >= 300:
                if fresh:  # the server refused it whole: nothing changed
                    self._update(summary.fresh_update())
                raise QueryError(f"the SPARQL server rejected the update ({resp.status_code}): {_msg(resp)}")

    def _graph_write(self, graph: ox.NamedNode | ox.DefaultGraph, ops: list[str]) -> None:
        if not ops:
            return
        with self.writing():
            if isinstance(graph, ox.DefaultGraph):  # no article graph: no count reads it
                self._update(" ;\n".join(ops))
            elif graph.value in (str(summary.SUMMARY_GRAPH), str(ONTOLOGY_GRAPH)):
                self._update(" ;\n".join([*ops, summary.STALE]))
            else:
                with summary.keeping(self, [graph.value]):
                    self._update(" ;\n".join([*ops, summary.STALE]))

    def _insert_ops(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> list[str]:
        n = self.insert_data_triples
        body = [f"{t} .\n" for t in triples]
        wrap = (lambda b: f"INSERT DATA {{ GRAPH {graph} {{\n{b}}} }}") if isinstance(graph, ox.NamedNode) \
            else (lambda b: f"INSERT DATA {{\n{b}}}")
        return [wrap("".join(body[i:i + n])) for i in range(0, len(body), n)]

    def replace_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        self._require_writable()
        clear = "CLEAR SILENT DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"DROP SILENT GRAPH {graph}"
        self._graph_write(graph, [clear, *self._insert_ops(graph, triples)])

    def add_to_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]) -> None:
        self._require_writable()
        ops = self._insert_ops(graph, triples)
        self._graph_write(graph, ops or [f"CREATE SILENT GRAPH {graph}"] if isinstance(graph, ox.NamedNode) else ops)

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        self._require_writable()
        self._graph_write(graph, ["CLEAR SILENT DEFAULT" if isinstance(graph, ox.DefaultGraph)
                                  else f"DROP SILENT GRAPH {graph}"])

    def _load_nquads(self, data: bytes | IO[bytes] | str | Path) -> None:
        if isinstance(data, (str, Path)):
            payload = Path(data).read_bytes()
        else:
            payload = data if isinstance(data, bytes) else data.read()
        if self.store_url is not None:
            resp = self._send("POST", self.store_url, content=payload,
                              headers={"Content-Type": "application/n-quads"})
            if resp.status_code >= 300:
                raise StoreError(f"the SPARQL server refused the N-Quads ({resp.status_code}): {_msg(resp)}")
        else:
            self._insert_quads(ox.parse(payload, ox.RdfFormat.N_QUADS))
        self._ensure_ontology()

    def _insert_quads(self, quads: Iterable[ox.Quad]) -> None:
        # batched INSERT DATA for servers without the Graph Store Protocol: one request per
        # `load_batch_quads`, split into operations of `insert_data_triples` (see _write)
        batch: list[str] = []

        def flush() -> None:
            n = self.insert_data_triples
            self._update(" ;\n".join("INSERT DATA {\n" + "\n".join(batch[i:i + n]) + "\n}"
                                     for i in range(0, len(batch), n)))
            batch.clear()

        for q in quads:
            batch.append(f"GRAPH {q.graph_name} {{ {q.triple} }}" if isinstance(q.graph_name, ox.NamedNode)
                         else f"{q.triple} .")
            if len(batch) >= self.load_batch_quads:
                flush()
        if batch:
            flush()

    def close(self) -> None:
        self._client.close()


def _msg(resp: httpx.Response) -> str:
    text = resp.text.strip()
    return text[:500] if text else resp.reason_phrase
