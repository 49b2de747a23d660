"""Ingest through the server: `POST /api/v1/sources` takes an annotation document (JSON or YAML,
the format of docs/annotation-format.md, with the text inline) and `DELETE /api/v1/sources/{id}`
drops an article. Both need the bearer token. An article lands whole or not at all (kg/ does it).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from claimgraph.model import SLUG_RE, annotation
from claimgraph.store import KnowledgeStore

from . import openapi as oa
from .settings import Settings
from .sparql import HttpError, _content_type, _handle, _text, read_body, require_token

router = APIRouter(prefix="/api/v1/sources", tags=["ingest"])

_FORMATS = {"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
            "text/yaml": "yaml", "text/x-yaml": "yaml"}

class Ingested(BaseModel):
    source: str
    outcome: Literal["added", "replaced", "unchanged"]
    triples: int


# a small valid document, so that the schema's readers (and the fuzzer) see one that lands
_EXAMPLE = {"source": {"id": "example-1", "text": "The Taliban said they fought IS in Jawzjan."},
            "actors": [{"id": "taliban", "name": "Taliban", "type": "armed_group"}],
            "statements": [{"speakers": ["taliban"], "cue": "said", "kind": "indirect",
                            "quote": "they fought IS in Jawzjan"}]}
_BODY = {"content": {"application/json": {"schema": oa.ANNOTATION_SCHEMA, "example": _EXAMPLE},
                     "application/yaml": {"schema": {"type": "string"}}},
         "required": True, "description": "An annotation document with `source.text` inline."}


@router.post("", summary="Ingest an article (annotation document; bearer token)", response_model=None,
             responses={200: {"model": Ingested, "description": "Replaced, or unchanged"},
                        201: {"model": Ingested, "description": "Added"},
                        **oa.errors(400, 401, 403, 413, 415)},
             openapi_extra={"requestBody": _BODY})
async def ingest_source(request: Request) -> Response:
    """Replace the article's graph with the posted document: 201 when it is new, 200 when it replaced
    or left unchanged an article with the same source id. The document is validated (ids, offsets,
    SHACL) before anything is written; a bad one is a 400 naming the field."""
    try:
        require_token(request)
        settings: Settings = request.app.state.settings
        fmt = _FORMATS.get(_content_type(request))
        if fmt is None:
            raise HttpError(415, "POST an annotation document as application/json or application/yaml "
                                 "(see docs/annotation-format.md)")
        raw = _text(await read_body(request, settings.max_update_bytes))
        doc = annotation.loads(raw, fmt=fmt, base=None, name="request body")
        store: KnowledgeStore = request.app.state.store

        report = await run_in_threadpool(store.ingest, doc)  # the store serialises its writes
        outcome = report.outcome.get(doc.source.id, "unchanged")
        return JSONResponse({"source": doc.source.id, "outcome": outcome, "triples": report.triples},
                            status_code=201 if outcome == "added" else 200)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)


@router.delete("/{id:path}", summary="Drop an article (bearer token)", response_model=None, status_code=204,
               responses={204: oa.EMPTY, **oa.errors(401, 403, 404)})
async def drop_source(request: Request, id: str) -> Response:  # noqa: A002
    """Remove the article's named graph: 204, or 404 when there is no such article."""
    try:
        require_token(request)
        if not SLUG_RE.match(id):
            raise HttpError(404, f"no article {id!r}: source ids are lower-case slugs like dw-31lts")
        store: KnowledgeStore = request.app.state.store

        if not await run_in_threadpool(store.drop, id):
            raise HttpError(404, f"no article {id!r} in the store")
        return Response(status_code=204)
    except Exception as e:  # noqa: BLE001
        return _handle(request, e)
