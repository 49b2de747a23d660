"""Named queries over HTTP: `GET /api/v1/queries` lists them, `GET /api/v1/queries/{name}` runs one.

Parameters come from the query string and go through `NamedQuery.bind` (typed, validated, bound
as RDF terms), so a bad value is a 400 with the library's message and never reaches the SPARQL text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from claimgraph.rdf.terms import to_python
from claimgraph.store import KnowledgeStore, Rows
from claimgraph.views.named import get_named_query, named_queries

from . import openapi as oa

router = APIRouter(prefix="/api/v1/queries", tags=["named queries"])

_RESERVED = {"format", "limit"}


@router.get("")
def list_queries() -> dict[str, Any]:
    """Every named query with its title, description and typed parameters."""
    return {"queries": [q.as_dict() for q in named_queries().values()]}


def _wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt.lower() == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def _csv(rows: Rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(rows.variables)
    for r in rows.rows:
        w.writerow(["" if (v := to_python(t)) is None else v for t in r])
    return buf.getvalue()


@router.get("/{name}", response_model=None,
            responses={200: oa.media("application/json", "text/csv", description="Rows as JSON or CSV"),
                       **oa.errors(400, 404)})
def run_query(name: str, request: Request, format: str | None = None,  # noqa: A002 - the URL's word
              limit: int | None = None) -> Response:
    """Run a named query; parameters as `?actor=taliban`. JSON by default, CSV with `Accept: text/csv`
    or `format=csv`. Rows are capped at the server's max_rows (`truncated` says so)."""
    if format is not None and format.lower() not in ("json", "csv"):
        return JSONResponse({"error": "bad request", "message": "format must be json or csv"}, status_code=400)
    nq = get_named_query(name)  # NotFound -> 404 by the app's handler
    raw = {k: v for k, v in request.query_params.items() if k not in _RESERVED}
    bindings = nq.bind(raw)  # ParameterError (a ClaimgraphError) -> 400
    cap = request.app.state.settings.max_rows
    store: KnowledgeStore = request.app.state.store
    rows = store.select(nq.sparql, bindings, limit=min(limit, cap) if limit and limit > 0 else cap)
    if _wants_csv(request, format):
        return Response(_csv(rows), media_type="text/csv; charset=utf-8")
    body = {"query": name, "variables": rows.variables, "rows": rows.dicts(), "truncated": rows.truncated}
    return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")
