"""The FastAPI application: routes only; every answer comes from the library (kg/)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from claimgraph import __version__
from claimgraph.errors import ClaimgraphError, NotFound
from claimgraph.store import KnowledgeStore, open_store

from .settings import Settings


def create_app(settings: Settings | None = None, store: KnowledgeStore | None = None) -> FastAPI:
    """The app over `store` (or the store at `settings.data`, opened at start-up)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_store(settings.data)
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

    @app.exception_handler(ClaimgraphError)
    async def bad_request(_req: Request, exc: ClaimgraphError) -> JSONResponse:
        return JSONResponse({"error": "bad request", "message": str(exc)}, status_code=400)

    @app.get("/api/v1/status", tags=["status"])
    def status(request: Request) -> dict[str, object]:
        """Version, store size and the public settings."""
        st: KnowledgeStore = request.app.state.store
        return {"version": __version__, "quads": len(st), "sources": len(st.sources()),
                "settings": settings.public()}

    from . import routers

    routers.include_all(app)
    return app
