"""The explorer API (`/api/v1/actors|claims|sources|nodes|search`), entity IRIs (`/id/{kind}/{slug}`)
and the explorer web page (`/`, `/explore`). Thin: every answer comes from claimgraph (kg/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from claimgraph.errors import NotFound
from claimgraph.rdf.nodeid import KINDS, is_node_id, node_iri
from claimgraph.store import KnowledgeStore
from claimgraph.views import catalog
from claimgraph.views.claimreview import claim_review
from claimgraph.views.neighbourhood import as_cytoscape, as_graphology, neighbourhood
from claimgraph.views.overview import overview
from claimgraph.views.search import TextIndex
from claimgraph.views.trace import trace

from . import openapi as oa

router = APIRouter()
api = "/api/v1"
STATIC = Path(__file__).resolve().parent / "static" / "explorer"
_FILES = {"explorer.js": "text/javascript", "explorer.css": "text/css", "cytoscape.min.js": "text/javascript",
          "cytoscape.LICENSE": "text/plain"}


def _store(request: Request) -> KnowledgeStore:
    return request.app.state.store


def _index(request: Request) -> TextIndex:
    # one index per app, built on first search and kept fresh by the store's change events
    st = request.app.state
    idx = getattr(st, "text_index", None)
    if idx is None or idx.store is not st.store:
        idx = st.text_index = TextIndex(st.store)
        st.shutdown_hooks.append(idx.close)
    return idx


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")


def _next_link(request: Request, cursor: str | None) -> str | None:
    return None if cursor is None else str(request.url.include_query_params(cursor=cursor))


# where each kind of node can be read: its own route (if it has one), its trace (claims), its
# neighbourhood and its place in the web page, so a client follows links instead of building URLs
_DETAIL = {"actor": "actors", "claim": "claims", "source": "sources"}


def node_links(base: str, nid: str) -> dict[str, str]:
    kind, slug = nid.split("/", 1)
    links = {"url": f"{base}{api}/{_DETAIL[kind]}/{slug}" if kind in _DETAIL else f"{base}/id/{nid}"}
    if kind == "claim":
        links["trace_url"] = f"{base}{api}/claims/{slug}/trace"
    links["neighbourhood_url"] = f"{base}{api}/nodes/{nid}/neighbourhood"
    links["html_url"] = f"{base}/#{nid}"
    return links


def with_links(request: Request, body: Any) -> Any:
    """`body` with links added to every object whose `id` is a node id (lists, details, nested)."""
    base = str(request.base_url).rstrip("/")

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            nid = x.get("id")
            if isinstance(nid, str) and is_node_id(nid):
                for k, v in node_links(base, nid).items():
                    # a source's own `url` is the article's address: its route goes to `api_url`
                    x.setdefault("api_url" if k == "url" and x.get("url") not in (None, v) else k, v)
            for v in x.values():
                if isinstance(v, (dict, list)):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                if isinstance(v, (dict, list)):
                    walk(v)

    walk(body)
    return body


# handlers that answer a Response: FastAPI cannot infer a body, so declare it (any JSON object)
_JSON_OR_404 = {200: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                **oa.errors(400, 404)}
# format=claimreview answers schema.org JSON-LD
_CLAIM_OR_404 = {200: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}},
                                                         "application/ld+json": {"schema": {"type": "object"}}}},
                 **oa.errors(400, 404)}
_CLAIM = PathParam(examples=["taliban-is-rivalry", "claim/taliban-is-rivalry"])
Limit = Query(50, ge=1, le=catalog.MAX_LIMIT, description="page size, 1..1000")


@router.get(f"{api}/actors", tags=["explorer"], responses=oa.errors(400))
def list_actors(request: Request, type: str | None = None, prefix: str | None = None,  # noqa: A002
                limit: int = Limit, cursor: str | None = None) -> dict[str, Any]:
    """Actors by id; `type=person|armed_group|...`, `prefix=` on name or alias; `next` links the next page."""
    page = catalog.actors(_store(request), type=type, prefix=prefix, limit=limit, cursor=cursor)
    page["next"] = _next_link(request, page["next"])
    return with_links(request, page)


# `{id:path}`: the id as the API hands it out (`actor/taliban`) works as well as the bare slug
@router.get(f"{api}/actors/{{id:path}}", tags=["explorer"], responses=_JSON_OR_404)
def get_actor(request: Request, id: str = PathParam(examples=["taliban", "actor/taliban"])) -> Response:  # noqa: A002
    """Names, aliases, roles, statements by and about the actor, and its relations with who asserted
    or denied them and the narration evidence. `id` is the slug or the whole id (`actor/taliban`)."""
    return _json(with_links(request, catalog.actor(_store(request), id)))


@router.get(f"{api}/claims", tags=["explorer"], responses=oa.errors(400))
def list_claims(request: Request, contested: bool | None = None, about: str | None = None,
                limit: int = Limit, cursor: str | None = None) -> dict[str, Any]:
    """Claims with supporting/opposing counts; `contested=true`, `about=taliban` (an actor)."""
    page = catalog.claims(_store(request), contested=contested, about=about, limit=limit, cursor=cursor)
    page["next"] = _next_link(request, page["next"])
    return with_links(request, page)


# registered before /claims/{id:path}, which would otherwise take `x/trace` as an id
@router.get(f"{api}/claims/{{id:path}}/trace", tags=["explorer"], responses=_JSON_OR_404)
def get_trace(request: Request, id: str = _CLAIM,  # noqa: A002
              limit: int = Query(50, ge=1, le=catalog.MAX_LIMIT, description="statements per page (whole articles)"),
              cursor: str | None = None) -> Response:
    """The claim and the statements about it: stance and side, speaker, cue, recipient, the quote
    (exact/prefix/suffix, start/end, sentence) and its article; counts per stance over all of them
    (`total`); related claims. A claim quoted in many articles comes a page of whole articles at a
    time (`limit`); `next` is the cursor of the following page, `next_url` its link."""
    res = trace(_store(request), id, limit=limit, cursor=cursor)
    res["next_url"] = _next_link(request, res["next"])
    return _json(with_links(request, res))


@router.get(f"{api}/claims/{{id:path}}", tags=["explorer"], responses=_CLAIM_OR_404)
def get_claim(request: Request, id: str = _CLAIM,  # noqa: A002
              format: Literal["json", "claimreview"] = "json") -> Response:  # noqa: A002
    """Text, proposed relation, actors concerned, counts per stance. `id` is the slug or `claim/<slug>`.
    `format=claimreview`: the claim as schema.org Claim/ClaimReview JSON-LD (`application/ld+json`)."""
    if format == "claimreview":
        body = claim_review(_store(request), id)
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/ld+json")
    return _json(with_links(request, catalog.claim(_store(request), id)))


@router.get(f"{api}/sources/{{id:path}}", tags=["explorer"], responses=_JSON_OR_404)
def get_source(request: Request, id: str = PathParam(examples=["dw-31lts", "source/dw-31lts"])) -> Response:  # noqa: A002
    """The article's metadata, full text and statements with quote offsets."""
    return _json(with_links(request, catalog.source(_store(request), id)))


@router.get(f"{api}/nodes/{{kind}}/{{slug}}/neighbourhood", tags=["explorer"], responses=_JSON_OR_404)
def get_neighbourhood(request: Request, kind: str = PathParam(examples=["actor"]),
                      slug: str = PathParam(examples=["taliban"]),
                      depth: int = Query(1, ge=1, le=3), direction: Literal["in", "out", "both"] = "both",
                      predicate: str | None = None, limit: int = Query(200, ge=1, le=catalog.MAX_LIMIT),
                      cursor: str | None = None,
                      format: Literal["json", "cytoscape", "graphology"] = "json") -> Response:  # noqa: A002
    """Nodes and edges around `kind/slug` (e.g. `actor/taliban`). A hub is cut at `limit` neighbours
    (`truncated`, per-predicate `groups` with totals, `next` cursor)."""
    res = neighbourhood(_store(request), f"{kind}/{slug}", depth=depth, direction=direction,
                        predicate=predicate, limit=limit, cursor=cursor)
    res["next_url"] = _next_link(request, res["next"])
    if format == "cytoscape":
        return _json(as_cytoscape(res))
    if format == "graphology":
        return _json(as_graphology(res))
    return _json(res)  # no links per node: a 1,000-node page stays small (ids give them: node_links)


@router.get(f"{api}/overview", tags=["explorer"])
def get_overview(request: Request) -> dict[str, Any]:
    """The first page: counts, the most disputed claims with who supports and who opposes each, the
    most quoted actors and the latest sources."""
    return with_links(request, overview(_store(request)))


@router.get(f"{api}/search", tags=["explorer"], responses=oa.errors(400))
def get_search(request: Request, q: str = Query(..., min_length=1, max_length=500),
               limit: int = Query(20, ge=1, le=catalog.MAX_LIMIT)) -> dict[str, Any]:
    """Ranked full-text search (SQLite FTS5, stemmed) over quotes, claims, actor names and headlines."""
    return with_links(request, {"q": q, "hits": _index(request).search(q, limit)})


# ------------------------------------------------------------------ entity IRIs

_CONSTRUCT = "CONSTRUCT { ?node ?p ?o } WHERE { ?node ?p ?o }"


@router.get("/id/{kind}/{slug}", tags=["linked data"], response_model=None,
            responses={200: oa.media("text/turtle", "application/ld+json", description="The entity's triples"),
                       303: {"description": "A browser: see the entity in the explorer"}, **oa.errors(400, 404)})
def dereference(request: Request, kind: str, slug: str, format: str | None = None) -> Response:  # noqa: A002
    """An entity IRI: Turtle (`text/turtle`) or JSON-LD (`application/ld+json`) by content negotiation,
    else a redirect into the explorer."""
    if kind not in KINDS:
        raise NotFound(f"no entity kind {kind!r}; one of {', '.join(KINDS)}")
    iri = node_iri(f"{kind}/{slug}")
    triples = _store(request).query(_CONSTRUCT, {"node": iri})
    if not triples:
        raise NotFound(f"{kind} {slug!r} not found in the store")
    accept = (format or request.headers.get("accept", "")).lower()
    if "turtle" in accept or accept == "ttl":
        return Response(ox.serialize(triples, format=ox.RdfFormat.TURTLE), media_type="text/turtle")
    if "ld+json" in accept or accept in ("jsonld", "json-ld"):
        return Response(ox.serialize(triples, format=ox.RdfFormat.JSON_LD), media_type="application/ld+json")
    return RedirectResponse(f"/explore#{kind}/{slug}", status_code=303)


# ------------------------------------------------------------------ the web page

@router.get("/", include_in_schema=False, response_class=HTMLResponse)
@router.get("/explore", include_in_schema=False, response_class=HTMLResponse)
def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/explorer/{name}", include_in_schema=False, response_model=None)
def asset(name: str) -> Response:
    if name not in _FILES:
        return JSONResponse({"error": "not found", "message": f"no file {name!r}"}, status_code=404)
    return FileResponse(STATIC / name, media_type=_FILES[name])
