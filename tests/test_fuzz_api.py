"""Fuzz every operation of the HTTP API from its own OpenAPI schema (schemathesis) against a live
uvicorn over an on-disk store holding the sample article, writes included (with the token).

Each response must: not be a 5xx, have a status code the schema declares for that operation, a
content type it declares, and a body that conforms to the declared schema. Bounded: a fixed seed,
deterministic generation, a small number of examples per operation, and no example database
(nothing is written into the repo)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model import Document
from claimgraph.store import open_store
from tests.livesrv import serve

TOKEN = "fuzz-token"
# Examples per operation in the fuzzing phase: ~25 operations x this stays near a minute here.
MAX_EXAMPLES = 25
CONFIG = {
    "seed": 20261202,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[str]:
    """A fresh store per module: the fuzzer's writes (ingest, update, GSP, deletes) may change it."""
    st = open_store(tmp_path_factory.mktemp("fuzz-api") / "store")
    st.ingest(sample_doc)
    # a rate limit high enough that the fuzzer is never the client it throttles
    app = create_app(Settings(data="unused", token=TOKEN, rate_per_minute=100_000, query_timeout=5), store=st)
    try:
        with serve(app) as url:
            yield url
    finally:
        st.close()


@pytest.fixture(scope="module")
def api_schema(live: str) -> schemathesis.BaseSchema:
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_url(f"{live}/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS, timeout=30)


def test_schema_lists_every_operation(api_schema: schemathesis.BaseSchema) -> None:
    """The fuzzer covers what the app serves: the writes are in the schema it reads."""
    ops = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    for want in [("POST", "/api/v1/sources"), ("DELETE", "/api/v1/sources/{id}"), ("POST", "/update"),
                 ("PUT", "/store"), ("POST", "/store"), ("DELETE", "/store"), ("GET", "/sparql"),
                 ("POST", "/sparql")]:
        assert want in ops
    assert len(ops) >= 25

