"""The SPARQL 1.1 Protocol at /sparql, SPARQL Update at /update, the Graph Store Protocol at /store.

Thin: content negotiation, request limits, auth and rate limits live here; running the query
(checks, worker pool, timeout, row cap, serialisation) is `claimgraph.store.sparql_service`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
import time
import uuid
from collections import defaultdict, deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from claimgraph.errors import ClaimgraphError, QueryError
from claimgraph.rdf.rdfguard import check_json_ld, check_rdf_xml
from claimgraph.rdf.vocab import PREFIXES
from claimgraph.store import KnowledgeStore
from claimgraph.store.sparql_service import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Dataset,
    Limits,
    NotAcceptable,
    QueryRefused,
    QueryTimeout,
    SparqlService,
    StoreReadError,
    TooBusy,
    query_form,
    serialize_triples,
)

from . import openapi as oa
from .settings import Settings

router = APIRouter(tags=["SPARQL"])

# `format=` / `output=` as common endpoints read them (Virtuoso, Fuseki, SPARQLWrapper's values),
# per query form: SPARQLWrapper sends format=xml for a CONSTRUCT meaning RDF/XML, json meaning JSON-LD
_FORMAT_RESULTS = {"json": "application/sparql-results+json", "srj": "application/sparql-results+json",
                   "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
                   "csv": "text/csv", "tsv": "text/tab-separated-values"}
_FORMAT_GRAPHS = {"turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle", "text/n3": "text/turtle",
                  "text/rdf+n3": "text/turtle", "ntriples": "application/n-triples",
                  "n-triples": "application/n-triples", "nt": "application/n-triples",
                  "jsonld": "application/ld+json", "json-ld": "application/ld+json", "json": "application/ld+json",
                  "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "xml": "application/rdf+xml",
                  "rdf": "application/rdf+xml"}
# what a plain media type also means (clients that send application/json for results)
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "text/plain": "application/n-triples",
            "application/x-turtle": "text/turtle"}
_VARY = {"Vary": "Accept"}  # negotiated answers: caches must key on Accept (CORS adds Origin)
_RDF_IN = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "text/plain": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/ld+json": ox.RdfFormat.JSON_LD}


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.headers = status, headers or {}


# ---------------------------------------------------------------------------- negotiation

def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges by preference (q descending, then order)."""
    if not header:
        return [("*/*", 1.0)]
    out: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            out.append((bits[0].lower(), q, i))
    out.sort(key=lambda x: (-x[1], x[2]))
    return [(m, q) for m, q, _ in out]


def choose(accept: list[tuple[str, float]], offered: list[str]) -> str | None:
    """The first offered type the client accepts best (offered[0] is the default for */*)."""
    for media, _q in accept:
        media = _ALIASES.get(media, media)
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            hit = next((o for o in offered if o.startswith(media[:-1])), None)
            if hit:
                return hit
    return None


def _wants_text(request: Request) -> bool:
    acc = [m for m, _ in parse_accept(request.headers.get("accept"))]
    return bool(acc) and acc[0] == "text/plain"


def error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    h = dict(headers or {})
    if _wants_text(request):
        return Response(message + "\n", status_code=status, media_type="text/plain", headers=h)
    kind = {400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found", 406: "not acceptable",
            413: "too large", 415: "unsupported media type", 429: "too many requests",
            503: "timeout"}.get(status, "error")
    return JSONResponse({"error": kind, "message": message}, status_code=status, headers=h)


# ---------------------------------------------------------------------------- app-wide state

_init_lock = threading.Lock()


def service(request: Request) -> SparqlService:
    return service_for(request.app)


def service_for(app: Any) -> SparqlService:
    """The app's SPARQL service, made on first use (the server makes it at start-up, so that the
    query workers boot while the rest starts)."""
    svc = getattr(app.state, "sparql_service", None)
    if svc is None:
        with _init_lock:
            svc = getattr(app.state, "sparql_service", None)
            if svc is None:
                s: Settings = app.state.settings
                limits = Limits(s.max_query_bytes, s.max_update_bytes, s.max_depth, s.max_rows, s.query_timeout,
                                s.allow_service, s.allow_load, s.union_default_graph)
                svc = SparqlService(app.state.store, limits, workers=s.workers, short_workers=s.short_workers,
                                    short_budget=s.short_budget, client_queue=s.client_queue,
                                    cache_bytes=s.result_cache_mb * 1024 * 1024)
                app.state.sparql_service = svc
                app.state.shutdown_hooks.append(svc.close)
    return svc


class _RateLimiter:
    """A sliding one-minute window of requests per client address."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, client: str, per_minute: int) -> None:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[client]
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= per_minute:
                retry = max(1, int(hits[0] + 60 - now) + 1)
                raise HttpError(429, f"more than {per_minute} queries a minute from this client "
                                     "(CLAIMGRAPH_RATE_PER_MINUTE); retry later", {"Retry-After": str(retry)})
            hits.append(now)


def _limiter(request: Request) -> _RateLimiter:
    lim = getattr(request.app.state, "sparql_rate", None)
    if lim is None:
        lim = request.app.state.sparql_rate = _RateLimiter()
    return lim


async def read_body(request: Request, cap: int) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise HttpError(413, f"request body larger than {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HttpError(413, f"request body larger than {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8") from None


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def endpoint_url(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _handle(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HttpError):
        return error(request, exc.status, str(exc), exc.headers)
    if isinstance(exc, NotAcceptable):
        return error(request, 406, str(exc))
    if isinstance(exc, TooBusy):  # this client's own queue is full: others are still served
        return error(request, 429, str(exc), {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, QueryTimeout):
        return error(request, 503, str(exc), {"Retry-After": "5"})
    if isinstance(exc, StoreReadError):  # the store was being compacted under the reader: retry
        return error(request, 503, f"{exc}; the store was busy, retry", {"Retry-After": "1"})
    if isinstance(exc, (QueryRefused, QueryError, ClaimgraphError)):
        return error(request, 400, str(exc))
    raise exc


# ---------------------------------------------------------------------------- /sparql

def _params(request: Request, form: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for k, v in request.query_params.multi_items():
        out[k].append(v)
    for k, vs in (form or {}).items():
        out[k].extend(vs)
    return out


async def _sparql(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    form: dict[str, list[str]] | None = None
    query: str | None = None
    if request.method == "POST":
        ct = _content_type(request)
        # a form-encoded query is up to three times its text; the text itself is checked later
        body = _text(await read_body(request, 3 * settings.max_query_bytes + 4096))
        if ct == "application/sparql-query":
            query = body
        elif ct == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                raise HttpError(400, "updates go to /update, not /sparql")
        else:
            raise HttpError(415, "POST a query as application/sparql-query or as a form "
                                 "(application/x-www-form-urlencoded, query=...)")
    params = _params(request, form)
    if query is None:
        qs = params.get("query", [])
        if len(qs) > 1:
            raise HttpError(400, "give one query parameter")
        query = qs[0] if qs else None
    accept = parse_accept(request.headers.get("accept"))
    if query is None:
        if request.method == "GET" and _html_first(accept):
            return yasgui_page(request)
        return _description(request, accept)
    _limiter(request).check(request.client.host if request.client else "?", settings.rate_per_minute)
    form_kind = query_form(query)
    graphs = form_kind not in ("select", "ask")
    offered = list(GRAPH_FORMATS) if graphs else list(RESULT_FORMATS)
    media = _format_param(params, graphs) or choose(accept, offered)
    ds = Dataset(params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    svc = service(request)
    base = endpoint_url(request, "/sparql")
    if media is None:
        # a broken query is told its parse error, whatever it accepts: 400 before 406
        await run_in_threadpool(svc.query, query, result_fmt=None, graph_fmt=None, dataset=ds, base_iri=base,
                                parse_only=True)
        raise HttpError(406, ("CONSTRUCT/DESCRIBE results" if graphs else "SELECT/ASK results")
                        + " can be sent as " + ", ".join(offered), _VARY)
    result_fmt, graph_fmt = (None, media) if graphs else (RESULT_FORMATS[media], None)
    headers = {"Vary": "Accept, Accept-Encoding"}
    etag = svc.etag(query, result_fmt, graph_fmt, ds, base)
    if etag is not None:
        headers |= {"ETag": etag, "Cache-Control": "no-cache"}  # keep it, but ask again each time
        if request.method == "GET" and _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)  # the store has not changed: nothing runs
    ans = svc.cached(query, result_fmt, graph_fmt, ds, base) or await run_in_threadpool(
        svc.query, query, result_fmt=result_fmt, graph_fmt=graph_fmt, dataset=ds, base_iri=base,
        client=request.client.host if request.client else "?")
    if ans.truncated:
        headers["X-Claimgraph-Truncated"] = "true"
    media = ans.media_type + ("; charset=utf-8" if ans.media_type.startswith("text/") else "")
    body = ans.body
    if len(body) >= GZIP_MIN and "gzip" in request.headers.get("accept-encoding", "").lower():
        body = await run_in_threadpool(ans.gzip) if ans.gzipped is None else ans.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media, headers=headers)


GZIP_MIN = 4096
"""Answers at least this long are gzipped for clients that take it (smaller ones fit a few packets)."""


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match with the weak comparison: `*`, or a listed tag equal but for W/."""
    if not if_none_match:
        return False
    mine = etag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == mine for t in if_none_match.split(","))


def _format_param(params: dict[str, list[str]], graphs: bool) -> str | None:
    """The media type `format=` (or `output=`) asks for, if this query form can have it.

    An explicit, known format wins over Accept (a browser link `?format=csv` sends Accept: text/html);
    a format that is unknown or that this form cannot produce is ignored, and Accept decides."""
    table = _FORMAT_GRAPHS if graphs else _FORMAT_RESULTS
    offered = GRAPH_FORMATS if graphs else RESULT_FORMATS
    for name in ("format", "output"):
        for value in params.get(name, []):
            v = value.strip().lower()
            media = table.get(v) or _ALIASES.get(v, v)
            if media in offered:
                return media
    return None


def _html_first(accept: list[tuple[str, float]]) -> bool:
    return bool(accept) and accept[0][0] in ("text/html", "application/xhtml+xml")


def _description(request: Request, accept: list[tuple[str, float]]) -> Response:
    """The SPARQL 1.1 Service Description, in the RDF format the client accepts (Turtle first)."""
    from claimgraph.rdf.vocab import FORMATS, SD, SH, XSD

    s: Settings = request.app.state.settings
    me = ox.NamedNode(endpoint_url(request, "/sparql"))
    svc = me  # the endpoint IRI names the service too: no blank node reaches clients
    a = ox.NamedNode(PREFIXES["rdf"] + "type")
    triples = [ox.Triple(svc, a, ox.NamedNode(str(SD.Service))),
               ox.Triple(svc, ox.NamedNode(str(SD.endpoint)), me),
               ox.Triple(svc, ox.NamedNode(str(SD.supportedLanguage)), ox.NamedNode(str(SD.SPARQL11Query)))]
    if s.token:
        triples.append(ox.Triple(svc, ox.NamedNode(str(SD.supportedLanguage)), ox.NamedNode(str(SD.SPARQL11Update))))
    if s.union_default_graph:
        triples.append(ox.Triple(svc, ox.NamedNode(str(SD.feature)), ox.NamedNode(str(SD.UnionDefaultGraph))))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(svc, ox.NamedNode(str(SD.resultFormat)), ox.NamedNode(str(FORMATS) + f)))
    # the predeclared prefixes, as SHACL declares prefixes (sh:declare), on named nodes: no blank node
    for prefix, ns in PREFIXES.items():
        decl = ox.NamedNode(f"{me.value}#prefix-{prefix}")
        triples += [ox.Triple(svc, ox.NamedNode(str(SH.declare)), decl),
                    ox.Triple(decl, ox.NamedNode(str(SH.prefix)), ox.Literal(prefix)),
                    ox.Triple(decl, ox.NamedNode(str(SH.namespace)), ox.Literal(ns, datatype=ox.NamedNode(
                        str(XSD.anyURI))))]
    media = choose(accept, list(GRAPH_FORMATS))
    if media is None:
        raise HttpError(406, "the service description can be sent as " + ", ".join(GRAPH_FORMATS), _VARY)
    body = serialize_triples(triples, GRAPH_FORMATS[media])
    return Response(body, media_type=media + ("; charset=utf-8" if media.startswith("text/") else ""),
                    headers=_VARY)


@router.get("/sparql", summary="SPARQL 1.1 query (GET ?query=)", response_model=None,
            responses={304: oa.NOT_MODIFIED,
                       200: oa.media(*oa.RESULTS, *oa.GRAPHS, oa.HTML, description="Results, the service "
                                     "description (Turtle) or, for a browser, YASGUI", headers=oa.ANSWER_HEADERS),
                       **oa.errors(400, 406, 429, 503)},
            openapi_extra={"parameters": oa.SPARQL_PARAMS})
async def sparql_get(request: Request) -> Response:
    try:
        return await _sparql(request)
    except Exception as e:  # noqa: BLE001 - _handle re-raises what is not ours
        return _handle(request, e)


@router.post("/sparql", summary="SPARQL 1.1 query (POST form or application/sparql-query)", response_model=None,
             responses={200: oa.media(*oa.RESULTS, *oa.GRAPHS, description="Results or the service description",
                                      headers=oa.ANSWER_HEADERS),
                        **oa.errors(400, 406, 413, 415, 429, 503)},
             openapi_extra={"parameters": oa.SPARQL_PARAMS, "requestBody": oa.SPARQL_BODY})
async def sparql_post(request: Request) -> Response:
    try:
        return await _sparql(request)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


# ---------------------------------------------------------------------------- writes

# both schemes the server takes, so a client can pick either (RFC 7235 allows several challenges)
WWW_AUTHENTICATE = 'Bearer realm="claimgraph", Basic realm="claimgraph", charset="UTF-8"'


def _presented_token(header: str) -> str | None:
    """The token in an Authorization header: `Bearer TOKEN`, or `Basic` with TOKEN as the password
    and any user name (what SPARQLWrapper's setCredentials and rdflib's auth= send)."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return rest.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return None
        _user, colon, password = decoded.partition(":")
        return password if colon else None
    return None


def require_token(request: Request) -> None:
    token = request.app.state.settings.token
    if not token:
        raise HttpError(403, "writes are disabled: start the server with a token "
                             "(claimgraph serve --token-file FILE, or CLAIMGRAPH_TOKEN) to enable them")
    given = _presented_token(request.headers.get("authorization", "")) or ""
    # constant time: the comparison must not tell how much of a guess was right
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HttpError(401, "missing or wrong token: send Authorization: Bearer TOKEN, or HTTP Basic "
                             "with the token as the password (any user name)",
                        {"WWW-Authenticate": WWW_AUTHENTICATE})


@router.post("/update", summary="SPARQL 1.1 Update (token: Bearer, or Basic password)", response_model=None,
             status_code=204, responses={204: oa.EMPTY, **oa.errors(400, 401, 403, 413, 415, 429, 503)},
             openapi_extra={"requestBody": oa.UPDATE_BODY, "parameters": oa.UPDATE_PARAMS})
async def update(request: Request) -> Response:
    try:
        require_token(request)
        settings: Settings = request.app.state.settings
        ct = _content_type(request)
        body = _text(await read_body(request, settings.max_update_bytes + 4096))
        form: dict[str, list[str]] | None = None
        if ct == "application/sparql-update":
            text = body
        elif ct == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if len(form.get("update", [])) != 1:
                raise HttpError(400, "give exactly one update parameter")
            text = form["update"][0]
        else:
            raise HttpError(415, "POST an update as application/sparql-update or as a form (update=...)")
        params = _params(request, form)
        ds = Dataset(params.get("using-graph-uri", []), params.get("using-named-graph-uri", []))
        await run_in_threadpool(service(request).update, text, endpoint_url(request, "/update"), ds,
                                request.client.host if request.client else "?")
        return Response(status_code=204)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


def _target(request: Request) -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph a Graph Store request is about: `?default`, `?graph=IRI` (indirect identification),
    the request URL itself for /store/{name} (direct identification), or None for the store itself."""
    qp = request.query_params
    if request.path_params.get("name") is not None:
        if "default" in qp or "graph" in qp:
            raise HttpError(400, "a graph named by its URL (/store/NAME) takes no ?graph= or ?default")
        # the graph's IRI is its URL, percent-encoded as sent (a decoded space is no IRI)
        return ox.NamedNode(endpoint_url(request, quote(request.url.path, safe="/:@!$&'()*+,;=-._~")))
    if "default" in qp and "graph" not in qp:
        return ox.DefaultGraph()
    g = qp.get("graph")
    if g is None and "default" not in qp:
        return None
    if not g or "default" in qp:
        raise HttpError(400, "name one graph: ?graph=IRI or ?default")
    try:
        return ox.NamedNode(g)
    except ValueError:
        raise HttpError(400, f"{g!r} is not an absolute IRI") from None


def _named_target(request: Request) -> ox.NamedNode | ox.DefaultGraph:
    g = _target(request)
    if g is None:
        raise HttpError(400, "name the graph: ?graph=IRI or ?default (only POST works on the store itself)")
    return g


def _raw(request: Request) -> ox.Store:
    raw = getattr(request.app.state.store, "raw", None)
    if raw is None:
        raise HttpError(400, "the Graph Store Protocol needs the embedded store")
    return raw


def _exists(raw: ox.Store, g: ox.NamedNode | ox.DefaultGraph) -> bool:
    return isinstance(g, ox.DefaultGraph) or raw.contains_named_graph(g)


_STORE_ONE = {"openapi_extra": {"parameters": oa.STORE_NAME_PARAMS}, "response_model": None}
_STORE = {"openapi_extra": {"parameters": oa.STORE_PARAMS}, "response_model": None}


@router.get("/store", summary="Graph Store Protocol: read a graph (HEAD: its headers)",
            responses={200: oa.media(*oa.GRAPHS, description="The graph"), **oa.errors(400, 404, 406)}, **_STORE)
@router.get("/store/{name}", summary="Graph Store Protocol: read a graph named by its URL",
            responses={200: oa.media(*oa.GRAPHS, description="The graph"), **oa.errors(400, 404, 406)},
            **_STORE_ONE)
async def store_get(request: Request) -> Response:
    try:
        g = _named_target(request)
        raw = _raw(request)
        media = choose(parse_accept(request.headers.get("accept")), list(GRAPH_FORMATS))
        if media is None:
            raise HttpError(406, "a graph can be sent as " + ", ".join(GRAPH_FORMATS), _VARY)
        if not _exists(raw, g):
            raise HttpError(404, f"no graph {g} in the store", _VARY)
        triples = [q.triple for q in raw.quads_for_pattern(None, None, None, g)]
        return Response(serialize_triples(triples, GRAPH_FORMATS[media]), media_type=media, headers=_VARY)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


_GSP_WRITE = {201: {"description": "Created a new graph", "headers": oa.LOCATION},
              204: {"description": "Changed an existing graph"}, **oa.errors(400, 401, 403, 413, 415)}


async def _gsp_write(request: Request, replace: bool) -> Response:
    require_token(request)
    g = _target(request) if not replace else _named_target(request)
    created_iri: str | None = None
    if g is None:
        # POST to the store itself (Graph Store Protocol 5.5): a new graph, named under /store/
        created_iri = endpoint_url(request, f"/store/{uuid.uuid4().hex}")
        g = ox.NamedNode(created_iri)
    raw = _raw(request)
    settings: Settings = request.app.state.settings
    body = await read_body(request, settings.max_update_bytes)
    fmt = _RDF_IN.get(_content_type(request))
    if fmt is None:
        raise HttpError(415, "send the graph as " + ", ".join(_RDF_IN))
    base = str(g.value) if isinstance(g, ox.NamedNode) else endpoint_url(request, "/store")

    def parse() -> list[ox.Quad]:
        # entity expansion and deep nesting crash or stall the parsers: refused before parsing
        if fmt is ox.RdfFormat.RDF_XML:
            check_rdf_xml(body, settings.max_update_bytes)
        elif fmt is ox.RdfFormat.JSON_LD:
            check_json_ld(body)
        return [ox.Quad(t.subject, t.predicate, t.object, g)
                for t in (q.triple for q in ox.parse(body, fmt, base_iri=base))]

    try:
        quads = await run_in_threadpool(parse)  # seconds for 5 MB: not on the event loop
    except (SyntaxError, ValueError) as e:
        raise HttpError(400, f"cannot parse the graph: {e}") from None
    existed = _exists(raw, g) and (isinstance(g, ox.NamedNode) or
                                   next(iter(raw.quads_for_pattern(None, None, None, g)), None) is not None)
    store: KnowledgeStore = request.app.state.store
    write = store.replace_graph if replace else store.add_to_graph
    await run_in_threadpool(write, g, [q.triple for q in quads])
    if existed:
        return Response(status_code=204)
    # the Location of a new graph is a URL that reads it back (GET /store?graph= or /store/{name})
    if isinstance(g, ox.DefaultGraph):
        location = endpoint_url(request, "/store?default")
    elif created_iri or request.path_params:
        location = g.value  # the graph's IRI is its URL (ASCII: percent-encoded in _target)
    else:
        location = endpoint_url(request, "/store?" + urlencode({"graph": g.value}))
    return Response(status_code=201, headers={"Location": location})


@router.put("/store", summary="Graph Store Protocol: replace a graph (token)", status_code=204,
            responses=_GSP_WRITE, **_STORE | {"openapi_extra": {"parameters": oa.STORE_PARAMS,
                                                                "requestBody": oa.RDF_BODY}})
@router.put("/store/{name}", summary="Graph Store Protocol: replace a graph named by its URL (token)",
            status_code=204, responses=_GSP_WRITE,
            **_STORE_ONE | {"openapi_extra": {"parameters": oa.STORE_NAME_PARAMS, "requestBody": oa.RDF_BODY}})
async def store_put(request: Request) -> Response:
    try:
        return await _gsp_write(request, replace=True)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


@router.post("/store", summary="Graph Store Protocol: add to a graph, or to a new graph without ?graph= (token)",
             status_code=204, responses=_GSP_WRITE,
             **_STORE | {"openapi_extra": {"parameters": oa.STORE_PARAMS, "requestBody": oa.RDF_BODY}})
@router.post("/store/{name}", summary="Graph Store Protocol: add to a graph named by its URL (token)",
             status_code=204, responses=_GSP_WRITE,
             **_STORE_ONE | {"openapi_extra": {"parameters": oa.STORE_NAME_PARAMS, "requestBody": oa.RDF_BODY}})
async def store_post(request: Request) -> Response:
    try:
        return await _gsp_write(request, replace=False)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


@router.delete("/store", summary="Graph Store Protocol: delete a graph (token)", status_code=204,
               responses={204: oa.EMPTY, **oa.errors(400, 401, 403, 404)}, **_STORE)
@router.delete("/store/{name}", summary="Graph Store Protocol: delete a graph named by its URL (token)",
               status_code=204, responses={204: oa.EMPTY, **oa.errors(400, 401, 403, 404)}, **_STORE_ONE)
async def store_delete(request: Request) -> Response:
    try:
        require_token(request)
        g = _named_target(request)
        raw = _raw(request)
        if not _exists(raw, g):
            raise HttpError(404, f"no graph {g} in the store")

        await run_in_threadpool(request.app.state.store.drop_graph, g)
        return Response(status_code=204)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


# ---------------------------------------------------------------------------- browser editor

_ASSETS = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}
_HERE = Path(__file__).resolve().parent


@router.get("/query", summary="YASGUI, a SPARQL editor in the browser (bundled, offline)", response_model=None,
            responses={200: oa.media(oa.HTML, description="The editor page")})
async def query_page(request: Request) -> Response:
    return yasgui_page(request)


@router.get("/query/assets/{name}", include_in_schema=False, response_model=None)
async def query_assets(name: str) -> Response:
    if name not in _ASSETS:
        return JSONResponse({"error": "not found", "message": f"no asset {name!r}"}, status_code=404)
    return FileResponse(_HERE / "static" / "yasgui" / name, media_type=_ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})


def yasgui_page(request: Request) -> Response:
    from claimgraph.views.named import named_queries

    examples = [{"name": q.name, "title": q.title, "sparql": _strip_header(q.sparql)}
                for q in named_queries().values()]
    config = {"endpoint": endpoint_url(request, "/sparql"), "prefixes": PREFIXES, "examples": examples,
              "start": "SELECT DISTINCT ?article ?headline WHERE {\n  ?article a schema:NewsArticle ;"
                       " schema:headline ?headline .\n} LIMIT 20"}
    # "</" inside the JSON must not end the <script> element
    blob = json.dumps(config).replace("</", "<\\/")
    html = (_HERE / "templates" / "yasgui.html").read_text(encoding="utf-8").replace("__CONFIG__", blob)
    return HTMLResponse(html)


def _strip_header(sparql: str) -> str:
    """A named query without its leading '# title:/param:' comment block."""
    lines = sparql.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip()
