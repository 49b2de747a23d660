"""Running user SPARQL safely: checks before parsing, a worker pool with a real timeout, capped results.

This is the engine of the HTTP endpoint but knows nothing of HTTP: it takes query text, a dataset
and wanted formats, and returns serialised bytes or raises a ClaimgraphError subclass that says
what to do. Why worker processes: pyoxigraph cannot cancel a running query, so for an on-disk store
each query runs in a child process (`Store.read_only(path)`) that is killed and replaced when it
overruns; other clients keep being served by the other workers. In-memory and remote stores have no
path a child could open, so they run in-process (no hard timeout there).
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..errors import ClaimgraphError, QueryError
from ..rdf.vocab import PREFIXES, XSD
from .base import KnowledgeStore, Rows
from .sparql_text import dataset_clauses, keywords, operations_with_dataset, shape_problem, tokens

RESULT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = str(XSD.string)
MAX_OPERATORS = 2000
"""pyoxigraph's parser overflows its stack at several thousand chained operators."""
MAX_PATTERNS = 128
"""OPTIONAL/UNION/MINUS/BIND/FILTER/GRAPH keywords in one text (see sparql_text.shape_problem)."""
TRUNCATED_LINK = "https://claimgraph.org/ns#truncated"
"""The `link` a cut result carries in its head (SPARQL JSON `head.link`, XML `<link href>`)."""


class QueryRefused(ClaimgraphError):
    """The query uses a feature this server refuses (SERVICE, LOAD, unknown graphs) or is too big."""


class QueryTimeout(ClaimgraphError):
    """The query ran past the time limit and was stopped (or no worker was free in time)."""


class StoreReadError(QueryError):
    """The store files changed under a read-only handle (a write compacted them): reopen and retry.

    Raised to the caller only when reopening did not help for about two seconds: the server
    answers it as 503 with Retry-After, since the query itself is fine."""


class NotAcceptable(ClaimgraphError):
    """None of the formats the client accepts can carry this kind of result."""


@dataclass(slots=True)
class Limits:
    max_query_bytes: int = 16384
    max_update_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    max_rows: int = 10000
    timeout: float = 10.0
    allow_service: bool = False
    allow_load: bool = False
    union_default_graph: bool = True


@dataclass(slots=True)
class Answer:
    """A serialised query result."""

    media_type: str
    body: bytes
    truncated: bool = False
    kind: str = "select"


@dataclass(slots=True)
class Dataset:
    """The protocol's default-graph-uri / named-graph-uri (empty: the query's own or the server's)."""

    default: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- checks before parsing

def query_form(text: str) -> str:
    """'select', 'ask', 'construct' or 'describe' from the lexer (the first form keyword at depth 0)."""
    depth = 0
    for t in tokens(text):
        if t.kind == "punct":
            depth += 1 if t.text in "{([" else -1
        elif t.kind == "word" and depth == 0:
            up = t.text.upper()
            if up in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return up.lower()
    return "select"


def _declared_prefixes(text: str) -> dict[str, str]:
    out = dict(PREFIXES)
    toks = list(tokens(text))
    for i, t in enumerate(toks[:-1]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            out[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return out


def from_graphs(text: str, base_iri: str | None) -> list[str]:
    """IRIs named by FROM / FROM NAMED clauses, or an update's USING / USING NAMED (relative ones
    resolved against the base)."""
    toks = list(tokens(text))
    prefixes: dict[str, str] | None = None
    out = []
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text.upper() == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base_iri = urljoin(base_iri or "", toks[i + 1].text[1:-1])
        if t.kind != "word" or t.text.upper() not in ("FROM", "USING"):
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "NAMED":
            j += 1
        if j >= len(toks):
            continue
        nxt = toks[j]
        if nxt.kind == "iri":
            out.append(urljoin(base_iri or "", nxt.text[1:-1]))
        elif nxt.kind == "word" and ":" in nxt.text:
            prefixes = prefixes or _declared_prefixes(text)
            p, local = nxt.text.split(":", 1)
            out.append(prefixes.get(p, "") + local)
    return out


def check_text(text: str, limits: Limits, *, update: bool = False) -> None:
    """Refuse, before the parser sees it, what is too big, too deep or reaches the network."""
    cap = limits.max_update_bytes if update else limits.max_query_bytes
    if len(text.encode("utf-8")) > cap:
        raise QueryRefused(f"the {'update' if update else 'query'} is longer than {cap} bytes "
                           "(CLAIMGRAPH_MAX_QUERY_BYTES / CLAIMGRAPH_MAX_UPDATE_BYTES)")
    # pyoxigraph's recursive parser takes the process down at a few thousand nested groups, long
    # operator chains or UNION/BIND chains; updates run in this process, where that is the server
    problem = shape_problem(text, limits.max_depth, MAX_OPERATORS, MAX_PATTERNS)
    if problem:
        raise QueryRefused(problem + (" (CLAIMGRAPH_MAX_DEPTH)" if "nests" in problem else ""))
    words = keywords(text)
    if "SERVICE" in words and not limits.allow_service:
        raise QueryRefused("SERVICE (federated query) is disabled on this server; "
                           "set CLAIMGRAPH_ALLOW_SERVICE=true to enable it")
    if "LOAD" in words and not limits.allow_load:
        raise QueryRefused("LOAD is disabled on this server; set CLAIMGRAPH_ALLOW_LOAD=true to enable it, "
                           "or send the data to /store")


def check_graphs(iris: Sequence[str], exists: Callable[[str], bool], what: str) -> None:
    missing = [g for g in iris if not exists(g)]
    if missing:
        raise QueryRefused(f"{what} names graph(s) not in this store: {', '.join(missing[:5])}; "
                           "this server does not fetch graphs from the web")


# ---------------------------------------------------------------------------- serialisers

def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_cell(t: Any) -> str:
    if t is None:
        return ""
    s = f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value if hasattr(t, "value") else str(t)
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def _tsv_cell(t: Any) -> str:
    if t is None:
        return ""
    return str(t)


def serialize_rows(rows: Rows, fmt: str, truncated: bool = False) -> bytes:
    """SELECT results in the SPARQL JSON / XML / CSV / TSV results format.

    A result cut at the row cap says so in the body too (the header is lost once a client has
    parsed the rows): JSON gets `head.link` and a top-level `"truncated": true`, XML a `<link>`.
    The key sits before "results": pyoxigraph's streaming parser refuses keys after it, and
    rdflib, SPARQLWrapper and pandas ignore keys they do not know."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(rows.variables, r, strict=True) if t is not None}
                    for r in rows.rows]
        head: dict[str, Any] = {"vars": rows.variables}
        doc: dict[str, Any] = {"head": head}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
            doc["truncated"] = True
        doc["results"] = {"bindings": bindings}
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in rows.variables]
        if truncated:
            out.append(f"<link href={quoteattr(TRUNCATED_LINK)}/>")
        out.append("</head>\n<results>")
        for r in rows.rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                             for v, t in zip(rows.variables, r, strict=True) if t is not None)
                       + "</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode()
    if fmt == "csv":
        lines = [",".join(rows.variables)] + [",".join(_csv_cell(t) for t in r) for r in rows.rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join(f"?{v}" for v in rows.variables)] + ["\t".join(_tsv_cell(t) for t in r) for r in rows.rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return ("_askResult\r\n" if fmt == "csv" else "?_askResult\n").encode() + (b"true" if value else b"false") + b"\n"


def serialize_triples(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    buf = io.BytesIO()
    ox.serialize(triples, buf, fmt, prefixes=PREFIXES if fmt is not ox.RdfFormat.N_TRIPLES else None)
    return buf.getvalue()


def _media(fmt: str) -> str:
    return next(m for m, f in RESULT_FORMATS.items() if f == fmt)


# ---------------------------------------------------------------------------- execution

@dataclass(slots=True)
class Job:
    query: str
    result_fmt: str | None
    graph_fmt: str | None  # a key of GRAPH_FORMATS
    base_iri: str | None
    union: bool
    default: list[str]
    named: list[str]
    max_rows: int
    generation: int = 0
    parse_only: bool = False  # check the text (on an empty store), run nothing


def dataset_options(job: Job) -> dict[str, Any]:
    """pyoxigraph's dataset arguments for a job: SPARQL 1.1 Query section 13 and Protocol 2.1.4.

    default-graph-uri / named-graph-uri, when given, are the whole dataset (they take precedence
    over FROM; only one kind given leaves the other empty). Otherwise a query with FROM / FROM
    NAMED gets exactly the dataset it names (pyoxigraph reads the clauses when no argument
    overrides them). Only a query that names no dataset at all gets the server's default: the
    union of all graphs, or with union off the store's own default graph and every named graph."""
    if job.default or job.named:
        return {"default_graph": [ox.NamedNode(g) for g in job.default],
                "named_graphs": [ox.NamedNode(g) for g in job.named]}
    if dataset_clauses(job.query):
        return {}
    return {"use_default_graph_as_union": True} if job.union else {}


def execute(store: ox.Store, job: Job) -> Answer:
    """Run one job on a pyoxigraph store and serialise the result (in a worker or in-process)."""
    kw: dict[str, Any] = {"base_iri": job.base_iri, "prefixes": PREFIXES, **dataset_options(job)}
    try:
        if job.parse_only:
            # an empty store: parse errors surface, and evaluation (ASK is eager) costs nothing
            ox.Store().query(job.query, **kw)
            return Answer("", b"", kind="parsed")
        res = store.query(job.query, **kw)
        return _serialise(res, job)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except ClaimgraphError:
        raise
    except OSError as e:
        raise StoreReadError(f"query failed: {e}") from None
    except Exception as e:  # noqa: BLE001 - pyoxigraph's storage errors come as several types
        if "Corruption" in str(e) or "IO error" in str(e):
            raise StoreReadError(f"query failed: {e}") from None
        raise QueryError(f"query failed: {e}") from None


def _serialise(res: Any, job: Job) -> Answer:
    if isinstance(res, ox.QueryBoolean):
        if job.result_fmt is None:
            raise NotAcceptable("an ASK result can be sent as " + ", ".join(RESULT_FORMATS))
        return Answer(_media(job.result_fmt), serialize_boolean(bool(res), job.result_fmt), kind="ask")
    if isinstance(res, ox.QuerySolutions):
        if job.result_fmt is None:
            raise NotAcceptable("SELECT results can be sent as " + ", ".join(RESULT_FORMATS))
        names = [v.value for v in res.variables]
        rows: list[list[Any]] = []
        truncated = False
        for sol in res:
            if len(rows) >= job.max_rows:
                truncated = True
                break
            rows.append([sol[i] for i in range(len(names))])
        return Answer(_media(job.result_fmt), serialize_rows(Rows(names, rows), job.result_fmt, truncated),
                      truncated)
    if job.graph_fmt is None:
        raise NotAcceptable("CONSTRUCT/DESCRIBE results can be sent as " + ", ".join(GRAPH_FORMATS))
    triples: list[ox.Triple] = []
    truncated = False
    for t in res:
        if len(triples) >= job.max_rows:
            truncated = True
            break
        triples.append(t)
    return Answer(job.graph_fmt, serialize_triples(triples, GRAPH_FORMATS[job.graph_fmt]), truncated,
                  kind="graph")


_REOPEN_ATTEMPTS = 9  # 0.05 + 0.10 + ... + 0.40 s = 1.8 s of waiting at most


def _worker_main(conn: Any, path: str) -> None:
    """A query worker: opens the store read-only, answers jobs until the pipe closes."""
    store: ox.Store | None = None
    generation = -1
    conn.send(("ready",))  # imports done: the pool starts a job's clock only after this
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            for attempt in range(_REOPEN_ATTEMPTS):
                try:
                    if store is None or generation != job.generation:
                        # a read-only handle sees the store as it was when opened: reopen after writes
                        try:
                            store = ox.Store.read_only(path)
                        except Exception as e:  # noqa: BLE001 - a compaction removed a file mid-open
                            raise StoreReadError(f"cannot open the store: {e}") from None
                        generation = job.generation
                    answer = execute(store, job)
                    break
                except (OSError, StoreReadError):
                    store = None
                    if attempt == _REOPEN_ATTEMPTS - 1:
                        raise
                    # a compaction that removed the files this handle read is over in well under
                    # a second: back off, then reopen
                    time.sleep(0.05 * (attempt + 1))
            conn.send(("ok", answer))
        except ClaimgraphError as e:
            conn.send(("error", type(e).__name__, str(e)))
        except Exception as e:  # noqa: BLE001 - the worker must answer, and reopen next time
            store = None
            conn.send(("error", "QueryError", f"query failed: {e}"))


class _Worker:
    def __init__(self, ctx: Any, path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, path), daemon=True, name="claimgraph-query")
        main = sys.modules.get("__main__")
        path = getattr(main, "__file__", None)
        # spawn re-runs the parent's main file in the child; a main read from stdin has none to run
        hide = path is not None and getattr(main, "__spec__", None) is None and not os.path.isfile(path)
        if hide:
            del main.__file__  # type: ignore[union-attr]
        try:
            self.proc.start()
        finally:
            if hide:
                main.__file__ = path  # type: ignore[union-attr]
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.ready:
            if not self.conn.poll(timeout):
                raise EOFError("query worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(2)
        self.conn.close()


_ERRORS: dict[str, type[ClaimgraphError]] = {c.__name__: c for c in (QueryError, QueryRefused, NotAcceptable,
                                                                                   StoreReadError)}


class WorkerPool:
    """`size` worker processes over the store at `path`; a job that overruns kills its worker."""

    def __init__(self, path: str, size: int = 2) -> None:
        self._ctx = mp.get_context("spawn")  # never fork a process holding RocksDB and threads
        self._path = path
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._free.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self._path)
        with self._lock:
            self._all.append(w)
        return w

    def _replace(self, w: _Worker) -> _Worker:
        w.kill()
        with self._lock:
            if w in self._all:
                self._all.remove(w)
        return self._spawn()

    def run(self, job: Job, timeout: float) -> Answer:
        try:
            w = self._free.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        try:
            if not w.proc.is_alive():  # died while idle (killed from outside): replace it first
                w = self._replace(w)
            w.wait_ready()
            deadline = time.monotonic() + timeout
            w.conn.send(job)
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                w = self._replace(w)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped "
                                   "(CLAIMGRAPH_QUERY_TIMEOUT); add LIMIT or narrow the patterns")
            reply = w.conn.recv()
        except (EOFError, OSError):
            w = self._replace(w)
            raise QueryError("the query engine stopped on this query; it was not run") from None
        finally:
            if not self._closed:
                self._free.put(w)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            for w in self._all:
                w.kill()
            self._all.clear()


class SparqlService:
    """SPARQL over a KnowledgeStore with the server's limits: `query` and `update`."""

    def __init__(self, store: KnowledgeStore, limits: Limits, workers: int = 2) -> None:
        self.store = store
        self.limits = limits
        self.generation = 0
        raw = getattr(store, "raw", None)
        path = getattr(store, "path", None)
        self._raw: ox.Store | None = raw
        self._pool = WorkerPool(str(path), workers) if raw is not None and path is not None else None
        store.on_change(self._bump)

    def _bump(self, _source: str | None) -> None:
        if self._pool is not None and self._raw is not None:
            # workers reopen the store read-only after a write, and a read-only open replays the
            # write-ahead log written since the last flush: unflushed, 60 article writes made every
            # reopen take 1.3 s (past a low query timeout, so every query timed out). Flush first.
            self._raw.flush()
        self.generation += 1

    def has_graph(self, iri: str) -> bool:
        if self._raw is None:
            return True  # a remote store judges its own dataset
        try:
            return self._raw.contains_named_graph(ox.NamedNode(iri))
        except ValueError:
            return False

    def query(self, text: str, *, result_fmt: str | None, graph_fmt: str | None,
              dataset: Dataset | None = None, base_iri: str | None = None, parse_only: bool = False) -> Answer:
        """Run a query under the limits; with `parse_only`, only check it (the answer is empty):
        the endpoint does so before a 406, so that a broken query is told its parse error."""
        lim = self.limits
        check_text(text, lim)
        ds = dataset or Dataset()
        if self._raw is None and (ds.default or ds.named):
            raise QueryRefused("default-graph-uri / named-graph-uri need the embedded store; "
                               "this server forwards to a remote store, use FROM / GRAPH in the query")
        check_graphs(ds.default + ds.named, self.has_graph, "default-graph-uri/named-graph-uri")
        check_graphs(from_graphs(text, base_iri), self.has_graph, "FROM / FROM NAMED")
        job = Job(text, result_fmt, graph_fmt, base_iri, lim.union_default_graph, ds.default, ds.named,
                  lim.max_rows, self.generation, parse_only)
        if parse_only and self._raw is None:
            return execute(ox.Store(), job)  # a remote store: parse here, as the embedded one does
        if self._pool is not None:
            return self._pool.run(job, lim.timeout)
        if self._raw is not None:
            return execute(self._raw, job)
        return self._via_store(job)

    def _via_store(self, job: Job) -> Answer:
        # a store without a pyoxigraph handle (remote): its own query(), no dataset options
        res = self.store.query(job.query, limit=job.max_rows)
        if isinstance(res, bool):
            if job.result_fmt is None:
                raise NotAcceptable("an ASK result can be sent as " + ", ".join(RESULT_FORMATS))
            return Answer(_media(job.result_fmt), serialize_boolean(res, job.result_fmt), kind="ask")
        if isinstance(res, Rows):
            if job.result_fmt is None:
                raise NotAcceptable("SELECT results can be sent as " + ", ".join(RESULT_FORMATS))
            return Answer(_media(job.result_fmt), serialize_rows(res, job.result_fmt, res.truncated),
                          res.truncated)
        if job.graph_fmt is None:
            raise NotAcceptable("CONSTRUCT/DESCRIBE results can be sent as " + ", ".join(GRAPH_FORMATS))
        return Answer(job.graph_fmt, serialize_triples(res, GRAPH_FORMATS[job.graph_fmt]), kind="graph")

    def update(self, text: str, base_iri: str | None = None, dataset: Dataset | None = None) -> None:
        """SPARQL Update on the main store (workers reopen and see it on their next job).

        The WHERE of each operation reads the same dataset a query would: its own USING / USING
        NAMED / WITH; else `dataset` (the protocol's using-graph-uri / using-named-graph-uri);
        else the union of all graphs when the server's queries use it."""
        check_text(text, self.limits, update=True)
        if self._raw is None:
            raise QueryRefused("SPARQL Update needs the embedded store")
        ds = dataset or Dataset()
        if (ds.default or ds.named) and operations_with_dataset(text):
            # SPARQL 1.1 Protocol 2.2.3: a dataset in both places is an error
            raise QueryRefused("give the update's dataset either as using-graph-uri / using-named-graph-uri "
                               "or as USING / USING NAMED / WITH in the update, not both")
        check_graphs(ds.default + ds.named, self.has_graph, "using-graph-uri/using-named-graph-uri")
        check_graphs(from_graphs(text, base_iri), self.has_graph, "USING / USING NAMED")
        given = bool(ds.default or ds.named)
        self.store.update(text, base_iri=base_iri, union=self.limits.union_default_graph,  # the one write path
                          using=ds.default if given else None, using_named=ds.named if given else None)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
