"""Analytics over the signed actor network as JSON: balance, centrality, controversy.

Dates arrive as `since`/`until` (YYYY-MM-DD); a bad value is a ClaimgraphError, which the app
turns into a 400 with a JSON message.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from claimgraph.errors import ClaimgraphError

from . import openapi as oa

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


def _analytics() -> Any:
    # imported at first use: networkx costs a quarter of a second of every server start
    from claimgraph.views import analytics

    return analytics


def _include(v: str) -> Literal["all", "undisputed"]:
    if v not in ("all", "undisputed"):
        raise ClaimgraphError("include must be 'all' or 'undisputed'")
    return v  # type: ignore[return-value]


@router.get("/balance", responses=oa.errors(400))
async def balance(request: Request, include: str = "all", since: str | None = None,
                  until: str | None = None) -> dict[str, Any]:
    """Triads (balanced/unbalanced), the balance score and 'enemy of my enemy' tensions with evidence."""
    return await run_in_threadpool(_analytics().balance, request.app.state.store, include=_include(include),
                                   since=since, until=until)


@router.get("/centrality", responses=oa.errors(400))
async def centrality(request: Request, include: str = "all", since: str | None = None,
                     until: str | None = None) -> dict[str, Any]:
    """Actors by statements made, statements about them and betweenness."""
    rows = await run_in_threadpool(_analytics().centrality, request.app.state.store, include=_include(include),
                                   since=since, until=until)
    return {"actors": rows}


@router.get("/controversy", responses=oa.errors(400))
async def controversy(request: Request, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Claims by controversy (asserters vs deniers, distinct speakers, distinct sources)."""
    rows = await run_in_threadpool(_analytics().controversy, request.app.state.store, since=since, until=until)
    return {"claims": rows}
