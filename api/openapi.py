"""What the OpenAPI schema says about responses and raw request bodies, shared by the routers.

Handlers that read the request themselves (content negotiation, SPARQL, the Graph Store) are
invisible to FastAPI's inference, so their parameters, bodies, status codes and media types are
declared here; tests/test_fuzz_api.py holds every response to what this declares.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from claimgraph.store.sparql_service import GRAPH_FORMATS, RESULT_FORMATS


class ErrorBody(BaseModel):
    """Every 4xx/5xx claimgraph itself answers (text/plain when the client asks for it first)."""

    error: str
    message: str


_WHY = {400: "Bad input: the message says what is wrong",
        401: "Missing or wrong token (Bearer, or Basic with the token as password; see WWW-Authenticate)",
        403: "Writes are disabled (no token configured)", 404: "No such thing in the store",
        406: "None of the accepted media types can be produced", 413: "Request body too large",
        415: "Unsupported request media type", 429: "Rate limit: retry after the Retry-After seconds",
        503: "The query ran out of time (Retry-After)"}
_PLAIN = {"text/plain": {"schema": {"type": "string"}}}
_ANY = {"schema": {}}


_ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"description": "The schemes taken: Bearer and Basic", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}},
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for claimgraph's JSON errors with these status codes."""
    return {c: {"model": ErrorBody, "description": _WHY[c], "content": _PLAIN,
                **({"headers": _ERROR_HEADERS[c]} if c in _ERROR_HEADERS else {})} for c in codes}


def media(*types: str, description: str = "OK", headers: dict[str, Any] | None = None) -> dict[str, Any]:
    """A response with a body in any of `types` (JSON ones as objects or arrays, others as text)."""
    content = {t: (_ANY if "json" in t else {"schema": {"type": "string"}}) for t in types}
    return {"description": description, "content": content, **({"headers": headers} if headers else {})}


EMPTY = {"description": "Done; no body"}
ANSWER_HEADERS = {
    "ETag": {"description": "Weak validator of the answer: the same until the store's next write (send it "
                            "back as If-None-Match for a 304)", "schema": {"type": "string"}},
    "Content-Encoding": {"description": "gzip, for a large answer when the request's Accept-Encoding allows it",
                         "schema": {"type": "string"}},
    "X-Claimgraph-Truncated": {"description": "true when the answer was cut at the row cap",
                               "schema": {"type": "string"}},
}
NOT_MODIFIED = {"description": "Not modified: the store has not changed since the ETag sent as If-None-Match",
                "headers": {"ETag": ANSWER_HEADERS["ETag"]}}
RESULTS = list(RESULT_FORMATS)
GRAPHS = list(GRAPH_FORMATS)
HTML = "text/html"


def _str(name: str, where: str, description: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": False, "description": description,
            "schema": {"type": "string"}, **kw}


SPARQL_PARAMS = [
    _str("query", "query", "A SPARQL 1.1 query (without one: the service description, or YASGUI for a browser)",
         examples=["SELECT ?actor ?name WHERE { ?actor <http://schema.org/name> ?name } LIMIT 5",
                   "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", "ASK { ?s ?p ?o }"]),
    {"name": "default-graph-uri", "in": "query", "required": False, "description": "Dataset: default graph IRIs",
     "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "named-graph-uri", "in": "query", "required": False, "description": "Dataset: named graph IRIs",
     "schema": {"type": "array", "items": {"type": "string"}}},
    _str("format", "query", "Result format instead of Accept (wins when this query form can have it): json, "
         "xml, csv, tsv for SELECT/ASK; turtle, n3, ntriples, json-ld (or json), rdf+xml (or xml) for graphs"),
    _str("output", "query", "Same as format (Fuseki's name)"),
]
UPDATE_PARAMS = [
    {"name": "using-graph-uri", "in": "query", "required": False, "description": "Dataset of the WHERE: "
     "default graph IRIs (as USING)", "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "using-named-graph-uri", "in": "query", "required": False, "description": "Dataset of the WHERE: "
     "named graph IRIs (as USING NAMED)", "schema": {"type": "array", "items": {"type": "string"}}},
]
SPARQL_BODY = {"required": False, "content": {
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "default-graph-uri": {"type": "string"},
        "named-graph-uri": {"type": "string"}}}}}}
UPDATE_BODY = {"required": True, "content": {
    "application/sparql-update": {"schema": {"type": "string"}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["update"],
                                                     "properties": {"update": {"type": "string"}}}}}}
STORE_PARAMS = [
    _str("graph", "query", "The IRI of the named graph",
         examples=["https://claimgraph.org/id/graph/example-1"]),
    _str("default", "query", "Present (any value): the default graph", allowEmptyValue=True),
]
STORE_NAME_PARAMS = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
                      "description": "A graph named by its own URL, {server}/store/{name} (direct identification)"}]
LOCATION = {"Location": {"description": "A URL that reads the new graph", "schema": {"type": "string"}}}


def add_head_operations(schema: dict[str, Any]) -> dict[str, Any]:
    """Every GET operation also answers HEAD (api/middleware.py): declare it, same parameters and
    statuses, no bodies (a HEAD answer has the GET's headers and nothing else)."""
    for item in schema.get("paths", {}).values():
        get = item.get("get")
        if get is None or "head" in item:
            continue
        head = {k: v for k, v in get.items() if k not in ("responses", "operationId", "requestBody")}
        head["summary"] = "HEAD: " + str(get.get("summary", ""))
        head["operationId"] = str(get.get("operationId", "op")) + "_head"
        head["responses"] = {code: {k: v for k, v in r.items() if k != "content"}
                             for code, r in get.get("responses", {}).items()}
        item["head"] = head
    return schema
RDF_BODY = {"required": True, "content": {t: {"schema": {"type": "string"}} for t in
                                          ("text/turtle", "application/n-triples", "application/rdf+xml",
                                           "application/ld+json")}}


def _annotation_schema() -> dict[str, Any]:
    """The annotation document (docs/annotation-format.md) as JSON Schema, so that the schema's
    readers and the fuzzer see its shape; the reader's checks (offsets, references) go further."""
    from claimgraph.model import ActorType, RelationType, Stance, StatementKind

    def obj(required: list[str], **props: Any) -> dict[str, Any]:
        return {"type": "object", "required": required, "properties": props, "additionalProperties": False}

    text = {"type": "string", "minLength": 1}
    texts = {"type": "array", "items": text}
    span = {"anyOf": [text, obj(["start", "end", "text"], start={"type": "integer"}, end={"type": "integer"},
                                text=text),
                      obj(["text"], text=text, occurrence={"type": "integer", "minimum": 1},
                          after={"type": "integer", "minimum": 0})]}
    spans = {"type": "array", "items": span}
    enum = lambda cls: {"type": "string", "enum": [m.value for m in cls]}  # noqa: E731
    return obj(
        ["source"],
        claimgraph={"type": "integer", "enum": [1]},
        source=obj(["id", "text"], id=text, text=text, title=text, publisher=text, author=text,
                   url={"type": "string", "format": "uri"}, date={"type": "string", "format": "date"},
                   method=text),
        actors={"type": "array", "items": obj(
            ["id", "name"], id=text, name=text, type=enum(ActorType), aliases=texts,
            roles={"type": "array", "items": {"anyOf": [text, obj(["title"], title=text, organisation=text)]}},
            affiliations=texts, mentions=spans, same_as={"type": "array", "items": {"type": "string",
                                                                                   "format": "iri"}})},
        relations={"type": "array", "items": obj(["type", "actor", "counterpart"], id=text,
                                                 type=enum(RelationType), actor=text, counterpart=text,
                                                 evidence=spans)},
        claims={"type": "array", "items": obj(["id", "text"], id=text, text=text, relation=text, concerns=texts)},
        statements={"type": "array", "items": obj(
            ["quote"], id=text, quote=span, speakers=texts, speaker=text, cue=span, cue_lemma=text,
            speaker_mention=span, recipient=text, kind=enum(StatementKind), stance=enum(Stance), claims=texts)},
    )


ANNOTATION_SCHEMA = _annotation_schema()
