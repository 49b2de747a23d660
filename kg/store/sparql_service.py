"""Running user SPARQL safely: checks before parsing, a worker pool with a real timeout, capped results.

This is the engine of the HTTP endpoint but knows nothing of HTTP: it takes query text, a dataset
and wanted formats, and returns serialised bytes or raises a ClaimgraphError subclass that says
what to do. Why worker processes: pyoxigraph cannot cancel a running query, so for an on-disk store
each query runs in a child process (`Store.read_only(path)`) that is killed and replaced when it
overruns; other clients keep being served by the other workers. In-memory and remote stores have no
path a child could open, so they run in-process (no hard timeout there).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import multiprocessing as mp
import os
import sys
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..errors import ClaimgraphError, QueryError
from ..rdf.vocab import PREFIXES, XSD
from .base import KnowledgeStore, Rows
from .sparql_text import (
    dataset_clauses,
    keywords,
    operations_with_dataset,
    shape_problem,
    tokens,
    where_queries,
)

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
    gzipped: bytes | None = None  # the body gzip-compressed, made once when a client first takes it

    def gzip(self) -> bytes:
        if self.gzipped is None:
            # level 5: most of level 9's ratio on SPARQL results at a third of its time
            self.gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self.gzipped


@dataclass(slots=True)
class Dataset:
    """The protocol's default-graph-uri / named-graph-uri (empty: the query's own or the server's)."""

    default: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- checks before parsing

@functools.lru_cache(maxsize=1024)
def query_form(text: str) -> str:
    """'select', 'ask', 'construct' or 'describe' from the lexer (the first form keyword at depth 0;
    kept per text: the endpoint asks for every request, and clients repeat their texts)."""
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
    whole: bool = False  # the text's own LIMIT keeps it within max_rows: no cap to apply


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
        native = _NATIVE.get(job.result_fmt)
        if job.whole and native is not None:
            # nothing to cut: pyoxigraph's own serialiser writes the bytes without a Python
            # object per term (the same documents: tests/test_sparql_cache.py compares them)
            return Answer(_media(job.result_fmt), res.serialize(format=native))
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


_NATIVE = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV}
"""Result formats whose pyoxigraph serialisation is the same document as serialize_rows' (TSV is
not: pyoxigraph writes numbers in their short Turtle form)."""


def top_limit(text: str) -> int | None:
    """The LIMIT of the query itself (not of a subquery), if it has one."""
    depth = 0
    toks = list(tokens(text))
    for i, t in enumerate(toks):
        if t.kind == "punct":
            depth += 1 if t.text in "{([" else -1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "LIMIT" and i + 1 < len(toks):
            return int(toks[i + 1].text) if toks[i + 1].text.isdigit() else None
    return None


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
        with _SPAWN_LOCK:  # several boot threads must not hide and restore __main__.__file__ at once
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


_SPAWN_LOCK = threading.Lock()
_ERRORS: dict[str, type[ClaimgraphError]] = {c.__name__: c for c in (QueryError, QueryRefused, NotAcceptable,
                                                                                   StoreReadError)}

SHORT, LONG = "short", "long"
_LONG_WORDS = frozenset({"ORDER", "GROUP", "HAVING", "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT",
                         "SAMPLE", "REGEX", "EXISTS", "MINUS", "SERVICE", "CONSTRUCT", "DESCRIBE"})
SHORT_LIMIT = 1000
"""A query with a top-level LIMIT at most this (and none of the words above) starts as short."""


def estimate_cost(text: str) -> str:
    """SHORT or LONG by the shape of the text alone, before anything ran (the pool then learns from
    what each text really took). Cheap: ASK or a LIMIT of at most SHORT_LIMIT without sorting,
    grouping, aggregates, regexes, negation or property paths; and any text without a variable."""
    toks = list(tokens(text))
    if not any(t.kind == "var" for t in toks):
        return SHORT  # ASK {}, ASK { <a> <b> <c> }, constant lookups: index hits at most
    depth = 0
    form = ""
    limit: int | None = None
    selects = 0
    for i, t in enumerate(toks):
        if t.kind == "punct":
            depth += 1 if t.text in "{([" else -1
            continue
        if t.kind == "other" and t.text in "*+" and i > 0 and (toks[i - 1].kind in ("iri", "word")
                                                             or toks[i - 1].text == ")") and depth > 0:
            return LONG  # a property path p* / p+ walks the graph
        if t.kind != "word":
            continue
        up = t.text.upper()
        if up in _LONG_WORDS:
            return LONG
        if up == "SELECT":
            selects += 1
        if not form and up in ("SELECT", "ASK"):
            form = up
        if up == "LIMIT" and depth == 0 and i + 1 < len(toks) and toks[i + 1].text.isdigit():
            limit = int(toks[i + 1].text)
    if selects > 1:
        return LONG  # a subquery: its own cost, unknown
    if form == "ASK" or (limit is not None and limit <= SHORT_LIMIT):
        return SHORT
    return LONG


@dataclass(slots=True)
class _Client:
    running: int = 0  # long-lane jobs running
    waiting: int = 0  # jobs of either lane waiting for a worker
    demoted_until: float = 0.0


@dataclass(eq=False, slots=True)
class _Waiter:
    lane: str
    client: str
    seq: int
    event: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


class TooBusy(ClaimgraphError):
    """This client already has as many queries waiting as it may (answered 429 with Retry-After)."""

    retry_after = 2


class WorkerPool:
    """Worker processes over the store at `path`, shared fairly; a job that overruns kills its worker.

    Two lanes. At most `size` workers run long jobs at once; `reserve` more take only short ones,
    so a cheap query never waits behind runaway ones, however many. A job is short when the text
    was quick the last time it ran here, or, never seen, when `estimate_cost` says so; a short job
    gets `short_budget` seconds: past that its worker is killed (the lane must stay free), the
    query is retried in the long lane with the rest of its time, the text is remembered as long
    and its client's queries all go to the long lane for a minute (so a disguised runaway costs
    the lane one budget, not one per query). Between clients, a free long-lane worker goes to the
    waiting client with the fewest long jobs running (one client alone may use them all); a client
    with `max_waiting` jobs already waiting is refused at once (TooBusy: 429). Workers start, and
    are replaced, in background threads: a waiting job is not charged for a worker's start-up."""

    def __init__(self, path: str, size: int = 2, *, reserve: int = 1, short_budget: float = 0.5,
                 max_waiting: int = 16) -> None:
        self._ctx = mp.get_context("spawn")  # never fork a process holding RocksDB and threads
        self._path = path
        self._size = max(1, size)
        self._short_budget = short_budget
        self._max_waiting = max(1, max_waiting)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._waiters: list[_Waiter] = []
        self._clients: dict[str, _Client] = {}
        self._seen: dict[str, bool] = {}  # query text -> was short the last time (insertion-ordered LRU)
        self._reserve = max(0, reserve)
        self._long_running = 0
        self._short_running = 0
        self._starting = 0
        self._seq = 0
        self._closed = False
        # one at a time: on 2 cores, three workers importing at once with the server itself would
        # delay the first that can answer; the others follow as each is up
        self._to_boot = self._size + self._reserve - 1
        self._start_worker()

    # -- workers

    def _start_worker(self, delay: float = 0.0) -> None:
        with self._lock:
            if self._closed:
                return
            self._starting += 1
        threading.Thread(target=self._boot, args=(delay,), daemon=True, name="claimgraph-worker-boot").start()

    def _boot(self, delay: float) -> None:
        time.sleep(delay)
        w: _Worker | None = None
        try:
            w = _Worker(self._ctx, self._path)
            w.wait_ready()
        except (EOFError, OSError):
            if w is not None:
                w.kill()
            w = None
        with self._lock:
            self._starting -= 1
            if w is not None and not self._closed:
                self._all.append(w)
                self._idle.append(w)
                self._dispatch()
            elif w is not None:
                w.kill()
        if w is None:
            self._start_worker(delay=1.0)  # the store may be briefly unreadable: try again
            return
        with self._lock:
            more = self._to_boot > 0
            self._to_boot -= more
        if more:
            self._start_worker()

    def _discard(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            if w in self._all:
                self._all.remove(w)
        self._start_worker()

    # -- scheduling (all under self._lock)

    def _client(self, client: str) -> _Client:
        c = self._clients.get(client)
        if c is None:
            c = self._clients[client] = _Client()
        return c

    def _dispatch(self) -> None:
        while self._idle and self._waiters:
            shorts = [x for x in self._waiters if x.lane == SHORT]
            if shorts:
                cand = shorts[0]
            elif self._long_running < self._size and len(self._idle) - 1 + self._short_running >= self._reserve:
                # a long job never takes the last free worker(s) of the reserve, even while a
                # killed worker is being replaced
                cand = min(self._waiters, key=lambda x: (self._clients[x.client].running, x.seq))
            else:
                return
            w = self._idle.pop()
            if not w.proc.is_alive():  # died while idle (killed from outside): replace, try the next
                self._all.remove(w)
                self._starting += 1
                threading.Thread(target=self._boot, args=(0.0,), daemon=True).start()
                continue
            self._waiters.remove(cand)
            if cand.lane == LONG:
                self._long_running += 1
                self._clients[cand.client].running += 1
            else:
                self._short_running += 1
            cand.worker = w
            cand.event.set()

    def lane(self, text: str, client: str) -> str:
        with self._lock:
            c = self._clients.get(client)
            if c is not None and c.demoted_until > time.monotonic():
                return LONG
            seen = self._seen.get(text)
        if seen is not None:
            return SHORT if seen else LONG
        return estimate_cost(text)

    def _acquire(self, lane: str, client: str, timeout: float) -> _Worker:
        with self._lock:
            c = self._client(client)
            if c.waiting >= self._max_waiting:
                raise TooBusy(f"{c.waiting} queries from this client are already waiting for a query worker; "
                              "wait for their answers before sending more")
            self._seq += 1
            waiter = _Waiter(lane, client, self._seq)
            self._waiters.append(waiter)
            c.waiting += 1
            self._dispatch()
        deadline = time.monotonic() + timeout
        hard = deadline + 60.0  # workers (re)starting do not count against the query's time
        try:
            while True:
                if waiter.event.wait(max(0.0, min(deadline, hard) - time.monotonic()) or 0.05):
                    if waiter.worker is None:  # the pool closed
                        raise QueryTimeout("the server is shutting down")
                    return waiter.worker
                with self._lock:
                    if waiter.worker is not None:
                        return waiter.worker
                    now = time.monotonic()
                    if now >= hard or (now >= deadline and self._starting == 0) or self._closed:
                        self._waiters.remove(waiter)
                        raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again later")
                    if now >= deadline:
                        deadline = now + 0.05  # only for a worker that is starting
        finally:
            with self._lock:
                c.waiting -= 1

    def _release(self, w: _Worker | None, lane: str, client: str) -> None:
        with self._lock:
            c = self._client(client)
            if lane == LONG:
                self._long_running -= 1
                c.running -= 1
            else:
                self._short_running -= 1
            if not c.running and not c.waiting and c.demoted_until < time.monotonic():
                del self._clients[client]
            if w is not None and not self._closed:
                self._idle.append(w)
            self._dispatch()

    def _remember(self, text: str, short: bool) -> None:
        with self._lock:
            self._seen.pop(text, None)
            self._seen[text] = short
            if len(self._seen) > 4096:
                del self._seen[next(iter(self._seen))]

    # -- running

    def run(self, job: Job, timeout: float, client: str = "") -> Answer:
        full, left = timeout, timeout
        if self.lane(job.query, client) == SHORT:
            t0 = time.monotonic()
            budget = min(timeout, self._short_budget)
            try:
                return self._run_in(job, SHORT, client, timeout, budget)
            except _Overrun:
                if budget >= timeout:
                    raise self._timeout(full) from None
                # a disguised runaway: the lane is free again (its worker was killed); the query
                # gets the rest of its time where long queries run, its client for a minute too
                self._remember(job.query, False)
                with self._lock:
                    self._client(client).demoted_until = time.monotonic() + 60.0
                left = max(0.1, timeout - (time.monotonic() - t0))
        try:
            return self._run_in(job, LONG, client, left, left)
        except _Overrun:
            raise self._timeout(full) from None

    @staticmethod
    def _timeout(t: float) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than {t:g} s and was stopped "
                            "(CLAIMGRAPH_QUERY_TIMEOUT); add LIMIT or narrow the patterns")

    def _run_in(self, job: Job, lane: str, client: str, wait: float, budget: float) -> Answer:
        w: _Worker | None = self._acquire(lane, client, wait)
        assert w is not None
        t0 = time.monotonic()
        try:
            w.conn.send(job)
            if not w.conn.poll(budget):
                self._discard(w)
                w = None
                raise _Overrun
            reply = w.conn.recv()
        except (EOFError, OSError):
            if w is not None:
                self._discard(w)
            w = None
            raise QueryError("the query engine stopped on this query; it was not run") from None
        finally:
            self._release(w, lane, client)
        # long only on evidence: a short text that once took a moment on a busy machine (or on a
        # worker that had just reopened the store) must not be sent behind the runaway queries
        self._remember(job.query, time.monotonic() - t0 < self._short_budget)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = self._all, [], []
            for x in self._waiters:
                x.event.set()
        for w in workers:
            w.kill()


class _Overrun(Exception):
    """A job ran past its budget; its worker has been killed."""


CacheKey = tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...], str | None]


class ResultCache:
    """Serialised answers by (query text, result format, graph format, dataset, base IRI), kept
    for one store generation: every committed write (all go through `KnowledgeStore.writing()`,
    whose listeners bump the generation) empties it. Bounded in bytes, least recently used out."""

    def __init__(self, max_bytes: int, max_entry: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry if max_entry is not None else max(1, max_bytes // 16)
        self._entries: OrderedDict[CacheKey, Answer] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: CacheKey, generation: int) -> Answer | None:
        with self._lock:
            ans = self._entries.get(key) if generation == self._generation else None
            if ans is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return ans

    def put(self, key: CacheKey, generation: int, ans: Answer) -> None:
        size = len(ans.body)
        with self._lock:
            # an answer computed before the last write is not kept for after it
            if generation != self._generation or size > self.max_entry:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = ans
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _k, gone = self._entries.popitem(last=False)
                self._bytes -= len(gone.body)

    def invalidate(self, generation: int) -> None:
        with self._lock:
            self._generation = generation
            self._entries.clear()
            self._bytes = 0


class SparqlService:
    """SPARQL over a KnowledgeStore with the server's limits: `query` and `update`."""

    def __init__(self, store: KnowledgeStore, limits: Limits, workers: int = 2, *, short_workers: int = 1,
                 short_budget: float = 0.5, client_queue: int = 16, cache_bytes: int = 0) -> None:
        self.store = store
        self.limits = limits
        self.generation = 0
        # names this process's run of generations in ETags: a restart (after an offline ingest,
        # say) starts counting again, and its tags must not match the old ones
        self.instance = uuid.uuid4().hex[:12]
        raw = getattr(store, "raw", None)
        path = getattr(store, "path", None)
        self._raw: ox.Store | None = raw
        # only the embedded store hears every write; a remote one changes behind our back
        self.cache = ResultCache(cache_bytes) if cache_bytes > 0 and raw is not None else None
        self._pool = (WorkerPool(str(path), workers, reserve=short_workers, short_budget=short_budget,
                                 max_waiting=client_queue) if raw is not None and path is not None else None)
        store.on_change(self._bump)

    def _bump(self, _source: str | None) -> None:
        if self._pool is not None and self._raw is not None:
            # workers reopen the store read-only after a write, and a read-only open replays the
            # write-ahead log written since the last flush: unflushed, 60 article writes made every
            # reopen take 1.3 s (past a low query timeout, so every query timed out). Flush first.
            self._raw.flush()
        self.generation += 1
        if self.cache is not None:
            self.cache.invalidate(self.generation)

    def has_graph(self, iri: str) -> bool:
        if self._raw is None:
            return True  # a remote store judges its own dataset
        try:
            return self._raw.contains_named_graph(ox.NamedNode(iri))
        except ValueError:
            return False

    def query(self, text: str, *, result_fmt: str | None, graph_fmt: str | None,
              dataset: Dataset | None = None, base_iri: str | None = None, parse_only: bool = False,
              client: str = "") -> Answer:
        """Run a query under the limits; with `parse_only`, only check it (the answer is empty):
        the endpoint does so before a 406, so that a broken query is told its parse error.
        `client` (an address) is whom the pool shares its workers fairly between."""
        ds = dataset or Dataset()
        key: CacheKey = (text, result_fmt, graph_fmt, tuple(ds.default), tuple(ds.named), base_iri)
        generation = self.generation  # before the run: an answer may only be newer than its tag
        if self.cache is not None and not parse_only:
            hit = self.cache.get(key, generation)
            if hit is not None:
                return hit  # the same key passed every check below when it was computed
        return self._query(key, generation, parse_only, client)

    def cached(self, text: str, result_fmt: str | None, graph_fmt: str | None, dataset: Dataset | None = None,
               base_iri: str | None = None) -> Answer | None:
        """The kept answer to this request if the store has not changed since it was computed: a
        dictionary look-up, cheap enough for the event loop (no thread hop for a hit)."""
        if self.cache is None:
            return None
        ds = dataset or Dataset()
        return self.cache.get((text, result_fmt, graph_fmt, tuple(ds.default), tuple(ds.named), base_iri),
                              self.generation)

    def _query(self, key: CacheKey, generation: int, parse_only: bool, client: str) -> Answer:
        text, result_fmt, graph_fmt, default, named, base_iri = key
        lim = self.limits
        ds = Dataset(list(default), list(named))
        check_text(text, lim)
        if self._raw is None and (ds.default or ds.named):
            raise QueryRefused("default-graph-uri / named-graph-uri need the embedded store; "
                               "this server forwards to a remote store, use FROM / GRAPH in the query")
        check_graphs(ds.default + ds.named, self.has_graph, "default-graph-uri/named-graph-uri")
        check_graphs(from_graphs(text, base_iri), self.has_graph, "FROM / FROM NAMED")
        limit = top_limit(text)
        job = Job(text, result_fmt, graph_fmt, base_iri, lim.union_default_graph, ds.default, ds.named,
                  lim.max_rows, self.generation, parse_only, limit is not None and limit <= lim.max_rows)
        if parse_only and self._raw is None:
            return execute(ox.Store(), job)  # a remote store: parse here, as the embedded one does
        if self._pool is not None:
            ans = self._pool.run(job, lim.timeout, client)
            if self.cache is not None:
                self.cache.put(key, generation, ans)
            return ans
        if self._raw is not None:
            return execute(self._raw, job)
        return self._via_store(job)

    def etag(self, text: str, result_fmt: str | None, graph_fmt: str | None, dataset: Dataset | None,
             base_iri: str | None) -> str | None:
        """A weak validator of the answer to this request as the store is now (None for a remote
        store, whose writes this server does not hear): the same until the next write."""
        if self._raw is None:
            return None
        ds = dataset or Dataset()
        h = hashlib.blake2b(repr((text, result_fmt, graph_fmt, ds.default, ds.named, base_iri)).encode(),
                            digest_size=8).hexdigest()
        return f'W/"{self.instance}-{self.generation}-{h}"'

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

    def update(self, text: str, base_iri: str | None = None, dataset: Dataset | None = None,
               client: str = "") -> None:
        """SPARQL Update on the main store (workers reopen and see it on their next job).

        The WHERE of each operation reads the same dataset a query would: its own USING / USING
        NAMED / WITH; else `dataset` (the protocol's using-graph-uri / using-named-graph-uri);
        else the union of all graphs when the server's queries use it.

        The timeout: pyoxigraph cannot stop an update, and an update must run on the one writable
        handle, in this process. What costs time in an update is evaluating its WHERE patterns, so
        each is first counted as a query in a worker (over the union of all graphs: at least
        what the update reads), under the query timeout; one that overruns is killed there and the
        update refused (QueryTimeout) before it touched the store. What is left in-process is
        instantiating the templates for the solutions counted."""
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
        self._preflight(text, base_iri, client)
        self.store.update(text, base_iri=base_iri, union=self.limits.union_default_graph,  # the one write path
                          using=ds.default if given else None, using_named=ds.named if given else None)

    def _preflight(self, text: str, base_iri: str | None, client: str) -> None:
        if self._pool is None:
            return  # an in-memory store: no process to kill, no hard timeout (docs/sparql.md)
        for q in where_queries(text):
            job = Job(q, "json", None, base_iri, True, [], [], 1, self.generation)
            try:
                self._pool.run(job, self.limits.timeout, client)
            except QueryTimeout as e:
                raise QueryTimeout(f"the update was not applied: evaluating its WHERE: {e}") from None
            except QueryError:
                return  # the real update reports its own syntax error, in its own words

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
