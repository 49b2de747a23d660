"""The SPARQL 1.1 Protocol at /sparql, /update and /store against a live uvicorn server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

from claimgraph.model import Document
from claimgraph.store import KnowledgeStore, open_store

ARTICLE_GRAPH = "https://claimgraph.org/id/graph/dw-31lts"
ARTICLES = "SELECT DISTINCT ?a WHERE { ?a a schema:NewsArticle }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(data: Path, **env: str) -> Iterator[str]:
    """`claimgraph serve` in a child process; yields its base URL once it answers."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMGRAPH_")}
    full_env.update({f"CLAIMGRAPH_{k.upper()}": v for k, v in env.items()})
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(data),
                             "--port", str(port), "--log-level", "warning"], env=full_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/api/v1/status", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server died") from None
                time.sleep(0.1)
        # first query waits for the worker processes to start
        httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def sample_store(tmp: Path, doc: Document) -> Path:
    path = tmp / "store"
    st = open_store(path)
    st.ingest(doc)
    st.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[str]:
    data = sample_store(tmp_path_factory.mktemp("sparql"), sample_doc)
    with live_server(data, token="s3cret", max_rows="5") as url:
        yield url


def q(url: str, query: str, accept: str = "application/sparql-results+json", **params: str) -> httpx.Response:
    return httpx.get(url + "/sparql", params={"query": query, **params}, headers={"Accept": accept}, timeout=30)


def test_get_post_form_and_direct_post_agree(server: str) -> None:
    a = q(server, ARTICLES)
    b = httpx.post(server + "/sparql", data={"query": ARTICLES}, headers={"Accept": "application/json"}, timeout=30)
    c = httpx.post(server + "/sparql", content=ARTICLES, timeout=30,
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    for r in (a, b, c):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert r.headers["access-control-allow-origin"] == "*"
        vals = [row["a"]["value"] for row in r.json()["results"]["bindings"]]
        assert vals == ["https://claimgraph.org/id/source/dw-31lts"]


def test_sparqlwrapper_json_xml_csv(server: str) -> None:
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("SELECT ?name WHERE { ?x a schema:NewsArticle ; schema:headline ?name }")
    sw.setReturnFormat(JSON)
    j = sw.query().convert()
    headline = j["results"]["bindings"][0]["name"]["value"]
    assert "Taliban" in headline
    sw.setReturnFormat(XML)
    x = sw.query().convert()
    assert headline in x.toxml()
    sw.setReturnFormat(CSV)
    c = sw.query().convert().decode()
    assert c.splitlines()[0] == "name" and "Taliban" in c
    sw.setQuery("ASK { ?x a schema:NewsArticle }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_content_negotiation_q_values_and_format_param(server: str) -> None:
    r = q(server, ARTICLES, "text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert q(server, ARTICLES, "*/*").headers["content-type"].startswith("application/sparql-results+json")
    tsv = q(server, ARTICLES, "text/html", format="tsv")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines() == ["?a", "<https://claimgraph.org/id/source/dw-31lts>"]
    r = q(server, ARTICLES, "image/png")
    assert r.status_code == 406 and "message" in r.json()


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD),
                                        ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_formats(server: str, accept: str, fmt: ox.RdfFormat) -> None:
    r = q(server, "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }", accept)
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    triples = list(ox.parse(r.content, fmt))
    assert len(triples) == 1 and "Taliban" in triples[0].object.value
    assert q(server, "DESCRIBE ?a WHERE { ?a a schema:NewsArticle }", "text/csv").status_code == 406


def test_service_description(server: str) -> None:
    r = httpx.get(server + "/sparql", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = list(ox.parse(r.content, ox.RdfFormat.TURTLE))
    assert any(t.predicate.value.endswith("#endpoint") and t.object.value == server + "/sparql" for t in g)


def test_dataset_parameters(server: str) -> None:
    ok = q(server, ARTICLES, **{"default-graph-uri": ARTICLE_GRAPH})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 1
    onto = q(server, ARTICLES, **{"default-graph-uri": "https://claimgraph.org/ns"})
    assert onto.json()["results"]["bindings"] == []
    bad = q(server, ARTICLES, **{"default-graph-uri": "http://example.org/elsewhere"})
    assert bad.status_code == 400 and "elsewhere" in bad.json()["message"]
    bad = q(server, ARTICLES, **{"named-graph-uri": "http://example.org/elsewhere"})
    assert bad.status_code == 400


def test_rows_are_capped_and_say_so(server: str) -> None:
    r = q(server, "SELECT ?s WHERE { ?s ?p ?o }")
    assert r.headers["x-claimgraph-truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == 5
    assert "x-claimgraph-truncated" not in q(server, ARTICLES).headers


def test_relative_iris_resolve_against_endpoint(server: str) -> None:
    r = q(server, "SELECT ?x WHERE { BIND(<rel> AS ?x) }")
    assert r.json()["results"]["bindings"][0]["x"]["value"] == server + "/rel"


def test_update_needs_the_token(server: str) -> None:
    upd = 'INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/s> <http://example.org/p> "v" } }'
    r = httpx.post(server + "/update", content=upd, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 401
    r = httpx.post(server + "/update", content=upd, headers={"Content-Type": "application/sparql-update",
                                                             "Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "token" in r.json()["message"]
    r = httpx.post(server + "/update", data={"update": upd}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204, r.text
    # the query workers see the committed write
    got = q(server, "SELECT ?o WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }")
    assert got.status_code == 200, got.text
    assert [b["o"]["value"] for b in got.json()["results"]["bindings"]] == ["v"]
    r = httpx.post(server + "/update", content="DROP GRAPH <http://example.org/g1>", timeout=10,
                   headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    assert q(server, "ASK { GRAPH <http://example.org/g1> { ?s ?p ?o } }").json()["boolean"] is False
    r = httpx.post(server + "/update", content="INSERT DATA { <a> <b> ", timeout=10,
                   headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and "syntax" in r.json()["message"].lower()


def test_graph_store_protocol(server: str) -> None:
    auth = {"Authorization": "Bearer s3cret", "Content-Type": "text/turtle"}
    g = {"graph": "http://example.org/gsp"}
    body = b'<http://example.org/a> <http://example.org/b> "one" .'
    assert httpx.put(server + "/store", params=g, content=body, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert httpx.put(server + "/store", params=g, content=body, headers=auth).status_code == 201
    assert httpx.post(server + "/store", params=g, content=b'<http://example.org/a> <http://example.org/b> "two" .',
                      headers=auth).status_code == 204
    r = httpx.get(server + "/store", params=g, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and sorted(t.object.value for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)) == [
        "one", "two"]
    assert httpx.put(server + "/store", params=g, content=b"<x> <y", headers=auth).status_code == 400
    # PUT over an existing graph replaces it whole (one transaction), blank nodes included
    three = b'<http://example.org/a> <http://example.org/b> "three" ; <http://example.org/c> [ <http://example.org/d> 4 ] .'
    assert httpx.put(server + "/store", params=g, content=three, headers=auth).status_code == 204
    r = httpx.get(server + "/store", params=g, headers={"Accept": "application/n-triples"})
    got = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
    assert len(got) == 3 and "three" in {t.object.value for t in got} and "one" not in r.text
    assert httpx.delete(server + "/store", params=g, headers=auth).status_code == 204
    assert httpx.get(server + "/store", params=g).status_code == 404
    assert httpx.delete(server + "/store", params=g, headers=auth).status_code == 404


def test_writes_disabled_without_token(tmp_path: Path, sample_doc: Document) -> None:
    with live_server(sample_store(tmp_path, sample_doc)) as url:
        r = httpx.post(url + "/update", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update",
                                                                        "Authorization": "Bearer x"})
        assert r.status_code == 403 and "token" in r.json()["message"]
        r = httpx.delete(url + "/store", params={"default": ""})
        assert r.status_code == 403
        assert json.loads(httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).text)["boolean"] is True
        desc = httpx.get(url + "/sparql").content
        assert b"SPARQL11Update" not in io.BytesIO(desc).getvalue()


def test_in_memory_store_runs_in_process(sample_doc: Document) -> None:
    from claimgraph.api.app import create_app
    from claimgraph.api.settings import Settings

    from .livesrv import serve

    mem = open_store(None)
    mem.ingest(sample_doc)
    with serve(create_app(Settings(data=""), store=mem)) as url:
        r = q(url, ARTICLES, "text/csv")
        assert r.status_code == 200 and r.text.splitlines() == ["a", "https://claimgraph.org/id/source/dw-31lts"]
        assert q(url, "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }").status_code == 400
    mem.close()


def test_every_store_backend_serves_the_protocol(store: KnowledgeStore) -> None:
    """The embedded store (worker processes) and a remote store (forwarded) answer alike (the query
    names its graphs: a stock server's default graph is not the union)."""
    from claimgraph.api.app import create_app
    from claimgraph.api.settings import Settings

    from .livesrv import serve

    with serve(create_app(Settings(data=""), store=store)) as url:
        r = q(url, "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a schema:NewsArticle } }")
        assert r.status_code == 200, r.text
        assert [b["a"]["value"] for b in r.json()["results"]["bindings"]] == [
            "https://claimgraph.org/id/source/dw-31lts"]
        g = q(url, "CONSTRUCT { ?a schema:headline ?h } WHERE { GRAPH ?g { ?a schema:headline ?h } }",
              "application/n-triples")
        assert g.status_code == 200 and len(list(ox.parse(g.content, ox.RdfFormat.N_TRIPLES))) == 1
        assert q(url, "SELECT * WHERE { SERVICE SILENT ?e { ?s ?p ?o } }").status_code == 400
