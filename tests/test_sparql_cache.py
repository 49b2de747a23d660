"""Answers that only change when the store does: the result cache, ETag / If-None-Match, gzip
(live `claimgraph serve` on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from claimgraph.model import Document
from claimgraph.store import open_store
from claimgraph.store.sparql_service import Answer, ResultCache

from .test_sparql_protocol import live_server, sample_store

AUTH = {"Authorization": "Bearer k3y", "Content-Type": "application/sparql-update"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/notes> { ?s ?p ?o } }"


@pytest.fixture(scope="module", params=["64", "0"], ids=["cache on", "cache off"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           sample_doc: Document) -> Iterator[str]:
    data = sample_store(tmp_path_factory.mktemp("cache"), sample_doc)
    with live_server(data, token="k3y", result_cache_mb=request.param) as url:
        yield url


def count(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.get(url + "/sparql", params={"query": COUNT}, timeout=30,
                     headers={"Accept": "application/sparql-results+json", **(headers or {})})


def n(r: httpx.Response) -> int:
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_etag_holds_until_a_write_and_every_write_is_seen(server: str) -> None:
    first = count(server)
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('W/"') and n(first) == 0
    assert "Accept-Encoding" in first.headers["vary"] and first.headers["cache-control"] == "no-cache"
    again = count(server, {"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    assert count(server, {"If-None-Match": '"other", ' + tag.removeprefix("W/")}).status_code == 304
    for i in range(1, 4):  # each write: a new tag and the new answer, never a kept one
        r = httpx.post(server + "/update", headers=AUTH, timeout=30,
                       content=f"INSERT DATA {{ GRAPH <http://e/notes> {{ <http://e/n{i}> <http://e/p> {i} }} }}")
        assert r.status_code == 204
        after = count(server, {"If-None-Match": tag})
        assert after.status_code == 200 and n(after) == i and after.headers["etag"] != tag
        tag = after.headers["etag"]
        assert count(server).json() == after.json()
    httpx.post(server + "/update", headers=AUTH, content="DROP GRAPH <http://e/notes>", timeout=30)
    assert n(count(server, {"If-None-Match": tag})) == 0


def test_large_answers_are_gzipped_for_clients_that_take_it(server: str) -> None:
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"
    r = httpx.get(server + "/sparql", params={"query": q}, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert len(r.json()["results"]["bindings"]) > 50  # httpx took the gzip off
    plain = httpx.get(server + "/sparql", params={"query": q}, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "content-encoding" not in plain.headers and plain.json() == r.json()
    small = httpx.get(server + "/sparql", params={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_the_cache_keeps_nothing_across_a_write_even_one_during_the_query() -> None:
    cache = ResultCache(1000)
    key = ("q", "json", None, (), (), None)
    cache.put(key, 0, Answer("application/json", b"old"))
    assert cache.get(key, 0) is not None
    cache.invalidate(1)
    assert cache.get(key, 0) is None and cache.get(key, 1) is None
    cache.put(key, 0, Answer("application/json", b"computed before the write"))  # refused: stale
    assert cache.get(key, 1) is None
    for i in range(40):  # bounded in bytes
        cache.put(("q", str(i), None, (), (), None), 1, Answer("x", b"y" * 60))
    assert sum(len(a.body) for a in cache._entries.values()) <= 1000


def test_service_cache_follows_the_store_writes(tmp_path: object, sample_doc: Document) -> None:
    from claimgraph.store.sparql_service import Limits, SparqlService

    st = open_store(None)
    svc = SparqlService(st, Limits(), cache_bytes=1 << 20)
    ask = "ASK { ?s a schema:NewsArticle }"
    assert svc.query(ask, result_fmt="json", graph_fmt=None).body.find(b"false") > 0
    st.ingest(sample_doc)  # the write path notifies the service
    assert svc.query(ask, result_fmt="json", graph_fmt=None).body.find(b"true") > 0
    svc.close()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_pyoxigraph_serialises_the_same_documents(sample_doc: Document, fmt: str) -> None:
    import json
    import xml.dom.minidom

    from claimgraph.store.sparql_service import Job, execute

    st = open_store(None)
    st.ingest(sample_doc)
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 300"
    native = execute(st.raw, Job(q, fmt, None, None, True, [], [], 1000, whole=True)).body
    ours = execute(st.raw, Job(q, fmt, None, None, True, [], [], 1000)).body
    if fmt == "json":
        assert json.loads(native) == json.loads(ours)
    elif fmt == "xml":
        def norm(b: bytes) -> str:
            return "".join(line.strip() for line in xml.dom.minidom.parseString(b).toxml().splitlines())
        assert norm(native) == norm(ours)
    else:
        assert native == ours
