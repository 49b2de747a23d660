"""`/api/v1/actors/{id}/timeline` and `/api/v1/claims/{id}/timeline`: statements in time, "as of" a day.
Thin: the answers come from `claimgraph.views.timeline`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from claimgraph.views.catalog import MAX_LIMIT
from claimgraph.views.timeline import actor_timeline, claim_timeline

from . import openapi as oa

router = APIRouter()
_OK = {200: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
       **oa.errors(400, 404)}
AsOf = Query(None, description="only statements made on or before this day (YYYY-MM-DD); undated ones are "
                               "left out and counted in left_out.undated")
Limit = Query(50, ge=1, le=MAX_LIMIT, description="statements per page, in time order (dated, then undated)")
Cursor = Query(None, description="the `next` of the previous page")


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/api/v1/actors/{id:path}/timeline", tags=["explorer"], responses=_OK)
def get_actor_timeline(request: Request, id: str = PathParam(examples=["idris-kalu"]),  # noqa: A002
                       as_of: dt.date | None = AsOf, limit: int = Limit, cursor: str | None = Cursor) -> Response:
    """What the actor said, in time order: day (and whether the text or the article gives it), stance,
    side, claims, quote, article; `first` is its first supporting and first opposing statement;
    statements from undated articles come apart, under `undated`. A page of `limit` statements:
    `total` and `counts` cover them all, `next` is the cursor of the following page."""
    return _json(actor_timeline(request.app.state.store, id, as_of, limit=limit, cursor=cursor))


@router.get("/api/v1/claims/{id:path}/timeline", tags=["explorer"], responses=_OK)
def get_claim_timeline(request: Request, id: str = PathParam(examples=["ceasefire-agreed"]),  # noqa: A002
                       as_of: dt.date | None = AsOf, limit: int = Limit, cursor: str | None = Cursor) -> Response:
    """The claim's assertions and denials in time order, each saying whether the claim was contested
    by then (`contested_so_far`); `first` is the first assertion and the first denial. Paged as the
    actor timeline is."""
    return _json(claim_timeline(request.app.state.store, id, as_of, limit=limit, cursor=cursor))
