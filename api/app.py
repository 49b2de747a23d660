"""The FastAPI application: routes only; every answer comes from the library (kg/)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimgraph import __version__
from claimgraph.errors import ClaimgraphError, NotFound
from claimgraph.store import KnowledgeStore, open_store

from .middleware import Cors, HeadAsGet, allowed_methods
from .openapi import add_head_operations
from .settings import Settings

# a speech bubble: browsers ask every server for /favicon.ico (SVG, which they all render)
FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
           b'<path d="M2 2h12v9H7l-3 3v-3H2z" fill="#2a6f97"/><circle cx="5.5" cy="6.5" r="1" fill="#fff"/>'
           b'<circle cx="8" cy="6.5" r="1" fill="#fff"/><circle cx="10.5" cy="6.5" r="1" fill="#fff"/></svg>')


class _Counts:
    """The store's quads and sources for /api/v1/status, counted once per change, not once per call:
    len(store) walks every quad (0.18 s at 1M, 6.6 s at 10M) and the sources are listed.

    The first count starts in the background at start-up. A status call waits for a count running in
    another thread at most `WAIT` seconds, then answers without it (null, "counting": true): a health
    check or the first request after start never waits for a walk of the whole store."""

    WAIT = 0.25

    def __init__(self, store: KnowledgeStore) -> None:
        self._store, self._lock = store, threading.Lock()
        self._generation, self._counted = 0, (-1, 0, 0)
        store.on_change(self._bump)

    def _bump(self, _source_id: str | None) -> None:
        self._generation += 1

    def __call__(self, wait: float | None = None) -> tuple[int | None, int | None]:
        if not self._lock.acquire(timeout=self.WAIT if wait is None else wait):
            return None, None
        try:
            gen = self._generation
            if self._counted[0] != gen:  # a change during the count bumps again
                self._counted = (gen, len(self._store), len(self._store.sources()))
            return self._counted[1], self._counted[2]
        finally:
            self._lock.release()

    def warm(self) -> None:
        threading.Thread(target=self, kwargs={"wait": 60.0}, name="claimgraph-counts", daemon=True).start()


def create_app(settings: Settings | None = None, store: KnowledgeStore | None = None) -> FastAPI:
    """The app over `store` (or the store at `settings.data`, opened at start-up)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_store(settings.data)
        app.state.counts = _Counts(app.state.store)
        app.state.counts.warm()
        from .sparql import service_for

        service_for(app)  # the query workers boot in the background from now
        try:
            yield
        finally:
            for hook in getattr(app.state, "shutdown_hooks", []):
                hook()
            if store is None:
                app.state.store.close()

    app = FastAPI(
        title="claimgraph",
        version=__version__,
        description="Actors, statements, claims and sources from news reporting: a SPARQL 1.1 endpoint, "
        "an explorer API and a web page over one knowledge graph.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.shutdown_hooks = []

    @app.exception_handler(NotFound)
    async def not_found(_req: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"error": "not found", "message": str(exc)}, status_code=404)

    # FastAPI's own 4xx (no such route, wrong method, a parameter of the wrong type) keep their
    # "detail" and also carry claimgraph's {"error", "message"}, like every other error answer
    @app.exception_handler(StarletteHTTPException)
    async def http_error(req: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path only (GET for /store):
            # list what every route there takes, as RFC 9110 asks of Allow
            headers["Allow"] = ", ".join(allowed_methods(req.app, req.url.path))
        return JSONResponse({"error": kind, "message": str(exc.detail), "detail": exc.detail},
                            status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(exc.errors())
        message = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg', '')}" for e in errors)
        return JSONResponse({"error": "bad request", "message": message, "detail": errors}, status_code=422)

    @app.exception_handler(ClaimgraphError)
    async def bad_request(_req: Request, exc: ClaimgraphError) -> JSONResponse:
        return JSONResponse({"error": "bad request", "message": str(exc)}, status_code=400)

    @app.get("/api/v1/status", tags=["status"])
    def status(request: Request) -> dict[str, object]:
        """Version, store size and the public settings. Right after start on a big store the size may
        still be being counted: then `quads` and `sources` are null and `counting` is true."""
        quads, sources = request.app.state.counts()
        return {"version": __version__, "quads": quads, "sources": sources, "counting": quads is None,
                "settings": settings.public()}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    from . import routers

    routers.include_all(app)

    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_head_operations(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]
    app.add_middleware(HeadAsGet)
    app.add_middleware(Cors, settings=settings)  # outermost: preflights never reach a route
    return app
