"""The SPARQL protocol as real clients speak it (issue 18), each point against a live uvicorn server
on 127.0.0.1: through the client analysts use (SPARQLWrapper with its defaults, rdflib's SPARQLStore
and SPARQLUpdateStore with auth=, headless Chromium on another origin) and through raw HTTP."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from xml.dom.minidom import Document as XmlDocument

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, JSONLD, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model import Document
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.store.sparql_service import TRUNCATED_LINK
from tests.livesrv import serve

from .browser import NEEDS_CHROMIUM, launch

TOKEN = "clients-token"
ONTOLOGY = "https://claimgraph.org/ns"
ARTICLE = "https://claimgraph.org/id/graph/dw-31lts"
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE { ?s ?p ?o }"


def _page_app() -> Starlette:
    return Starlette(routes=[Route("/", lambda _r: HTMLResponse("<!doctype html><title>elsewhere</title><p>page"))])


@pytest.fixture(scope="module")
def pages() -> Iterator[tuple[str, str]]:
    """Two web pages on other ports: the first is a configured write origin, the second is not."""
    with serve(_page_app()) as trusted, serve(_page_app()) as stranger:
        yield trusted, stranger


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document,
         pages: tuple[str, str]) -> Iterator[tuple[str, KnowledgeStore]]:
    """An on-disk store (queries in worker processes, as served), the sample article, the token,
    rows capped at 5, the first page's origin allowed to write."""
    st = open_store(tmp_path_factory.mktemp("clients") / "store")
    st.ingest(sample_doc)
    app = create_app(Settings(data="unused", token=TOKEN, max_rows=5, rate_per_minute=100_000,
                              cors_write_origins=[pages[0]]), store=st)
    with serve(app) as url:
        yield url, st
    st.close()


@pytest.fixture(scope="module")
def url(live: tuple[str, KnowledgeStore]) -> str:
    return live[0]


def count(url: str, from_: str = "", **params: str) -> int:
    r = httpx.get(url + "/sparql", params={"query": COUNT.replace("{from}", from_), **params}, timeout=60)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------------------- 1. format=

@pytest.mark.parametrize("fmt,parsed_as", [(XML, RDFXML), (RDFXML, RDFXML), (JSONLD, JSONLD), (N3, TURTLE),
                                           (TURTLE, TURTLE)])
def test_sparqlwrapper_construct_in_every_return_format(url: str, fmt: str, parsed_as: str) -> None:
    sw = SPARQLWrapper(url + "/sparql")  # sends format=<fmt> beside its Accept, as it always does
    sw.setQuery("CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }")
    sw.setReturnFormat(fmt)
    res = sw.queryAndConvert()
    g = res if isinstance(res, Graph) else Graph().parse(data=res, format="json-ld" if parsed_as == JSONLD
                                                            else "turtle")
    assert len(g) == 1 and "Taliban" in str(next(iter(g))[2])


def test_sparqlwrapper_defaults_construct(url: str) -> None:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery("CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }")
    g = sw.queryAndConvert()
    assert isinstance(g, Graph) and len(g) == 1


def test_format_parameter_raw(url: str) -> None:
    construct = "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"
    cases = [("xml", "application/rdf+xml", "application/rdf+xml"), ("json", "*/*", "application/ld+json"),
             ("n3", "*/*", "text/turtle"), ("csv", "application/n-triples", "application/n-triples"),
             ("no-such-format", "application/ld+json", "application/ld+json")]
    for fmt, accept, want in cases:
        r = httpx.get(url + "/sparql", params={"query": construct, "format": fmt}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(want), (fmt, r.status_code, r.text)
    select = "SELECT ?a WHERE { ?a a schema:NewsArticle }"
    r = httpx.get(url + "/sparql", params={"query": select, "output": "csv"}, headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/csv")
    r = httpx.get(url + "/sparql", params={"query": select, "format": "turtle"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")  # a graph format for a SELECT: Accept decides


# ---------------------------------------------------------------------------- 2. FROM selects the dataset

def test_from_selects_the_dataset(url: str) -> None:
    union = count(url)
    ontology = count(url, f"FROM <{ONTOLOGY}>")
    article = count(url, f"FROM <{ARTICLE}>")
    assert 0 < ontology < union and 0 < article < union
    assert count(url, f"FROM <{ONTOLOGY}> FROM <{ARTICLE}>") <= ontology + article
    assert count(url, f"FROM NAMED <{ARTICLE}>") == 0  # FROM NAMED only: an empty default graph (13.2)
    r = httpx.get(url + "/sparql", timeout=30, params={
        "query": f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{ARTICLE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ARTICLE]
    # the protocol's dataset takes precedence over FROM (SPARQL 1.1 Protocol 2.1.4)
    assert count(url, f"FROM <{ARTICLE}>", **{"default-graph-uri": ONTOLOGY}) == ontology
    assert count(url, "", **{"named-graph-uri": ARTICLE}) == 0


def test_from_through_sparqlwrapper_and_rdflib(url: str) -> None:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setReturnFormat(JSON)
    sw.setQuery(COUNT.replace("{from}", f"FROM <{ONTOLOGY}>"))
    via_from = int(sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    sw.setQuery(COUNT.replace("{from}", ""))
    sw.addDefaultGraph(ONTOLOGY)  # default-graph-uri
    assert int(sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == via_from == count(
        url, f"FROM <{ONTOLOGY}>")
    rows = list(Graph(SPARQLStore(url + "/sparql")).query(COUNT.replace("{from}", f"FROM <{ONTOLOGY}>")))
    assert int(rows[0][0]) == via_from


# ---------------------------------------------------------------------------- 3. one rule for /update

def _update(url: str, text: str, **params: str) -> httpx.Response:
    return httpx.post(url + "/update", params=params, content=text, timeout=60,
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})


def test_update_where_sees_what_queries_see(url: str) -> None:
    where = "?a a schema:NewsArticle"
    q = httpx.get(url + "/sparql", params={"query": f"SELECT ?a WHERE {{ {where} }}"}).json()
    assert len(q["results"]["bindings"]) == 1
    out = "http://example.org/update-rule"
    r = _update(url, f"INSERT {{ GRAPH <{out}> {{ ?a <http://example.org/seen> true }} }} WHERE {{ {where} }}")
    assert r.status_code == 204, r.text
    seen = f"SELECT ?a WHERE {{ GRAPH <{out}> {{ ?a ?p ?o }} }}"
    assert len(httpx.get(url + "/sparql", params={"query": seen}).json()["results"]["bindings"]) == 1
    # DELETE WHERE reads the union too; its template is the store's own default graph
    assert _update(url, f"DELETE WHERE {{ GRAPH <{out}> {{ ?a ?p ?o }} }}").status_code == 204
    assert httpx.get(url + "/sparql", params={"query": seen}).json()["results"]["bindings"] == []
    # USING names the WHERE's dataset exactly: the ontology has no article
    r = _update(url, f"INSERT {{ GRAPH <{out}> {{ ?a <http://example.org/seen> true }} }} USING <{ONTOLOGY}> "
                     f"WHERE {{ {where} }}")
    assert r.status_code == 204 and httpx.get(url + "/sparql", params={"query": seen}).json()[
        "results"]["bindings"] == []
    # and so does the protocol's using-graph-uri; both at once is a 400
    r = _update(url, f"INSERT {{ GRAPH <{out}> {{ ?a <http://example.org/seen> true }} }} WHERE {{ {where} }}",
                **{"using-graph-uri": ARTICLE})
    assert r.status_code == 204 and len(httpx.get(url + "/sparql", params={"query": seen}).json()[
        "results"]["bindings"]) == 1
    r = _update(url, f"INSERT {{ GRAPH <{out}> {{ ?a ?a ?a }} }} USING <{ONTOLOGY}> WHERE {{ {where} }}",
                **{"using-graph-uri": ARTICLE})
    assert r.status_code == 400 and "not both" in r.json()["message"]
    assert _update(url, f"DROP GRAPH <{out}>").status_code == 204


# ---------------------------------------------------------------------------- 4. HEAD and Allow

def test_head_everywhere_get_is(url: str) -> None:
    g = {"graph": ARTICLE}
    for path, params in [("/store", g), ("/sparql", {}), ("/sparql", {"query": "ASK {}"}), ("/api/v1/status", {}),
                         ("/id/actor/yonus-fakur", {}), ("/favicon.ico", {})]:
        get = httpx.get(url + path, params=params, headers={"Accept": "text/turtle, */*;q=0.1"}, timeout=60)
        head = httpx.head(url + path, params=params, headers={"Accept": "text/turtle, */*;q=0.1"}, timeout=60)
        assert get.status_code == head.status_code == 200, (path, get.status_code, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"], path
        if "content-length" in get.headers and path not in ("/api/v1/status",):  # status moves as it counts
            assert head.headers["content-length"] == get.headers["content-length"], path
    assert httpx.head(url + "/store", params={"graph": "http://example.org/none"}).status_code == 404


def test_allow_lists_what_the_route_takes(url: str) -> None:
    r = httpx.request("PATCH", url + "/store", params={"graph": ARTICLE})
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"}
    r = httpx.get(url + "/update")
    assert r.status_code == 405 and {m.strip() for m in r.headers["allow"].split(",")} == {"POST", "OPTIONS"}
    r = httpx.options(url + "/sparql")
    assert r.status_code == 204 and "POST" in r.headers["allow"] and "HEAD" in r.headers["allow"]


# ---------------------------------------------------------------------------- 5. POST to the store itself

def test_graph_store_post_to_the_store_creates_a_graph(url: str) -> None:
    """GSP 5.5, as the W3C tests 'POST - create new graph', 'GET of POST - create new graph' and the
    HEAD tests exercise it (that suite is not in ../shared/sparql11-suite; these follow it)."""
    body = b'@prefix foaf: <http://xmlns.com/foaf/0.1/> . [] a foaf:Person ; foaf:name "Alice" .'
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle; charset=utf-8"}
    assert httpx.post(url + "/store", content=body, headers={"Content-Type": "text/turtle"}).status_code == 401
    r = httpx.post(url + "/store", content=body, headers=auth)
    assert r.status_code == 201, r.text
    location = r.headers["location"]
    assert location.startswith(url + "/store/")
    got = httpx.get(location, headers={"Accept": "text/turtle"})
    assert got.status_code == 200 and "Alice" in got.text
    head = httpx.head(location, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/turtle")
    # the new graph's IRI is its URL: the Graph Store and SPARQL see one graph
    assert httpx.get(url + "/store", params={"graph": location}).status_code == 200
    ask = f"ASK {{ GRAPH <{location}> {{ ?p <http://xmlns.com/foaf/0.1/name> \"Alice\" }} }}"
    assert httpx.get(url + "/sparql", params={"query": ask}).json()["boolean"] is True
    # a second POST to it adds (204); a POST naming a new graph says where it is
    assert httpx.post(location, content=b"<urn:a> <urn:b> <urn:c> .", headers=auth).status_code == 204
    r = httpx.post(url + "/store", params={"graph": "http://example.org/new-by-post"}, content=b"<urn:a> <urn:b> 1 .",
                   headers=auth)
    assert r.status_code == 201 and httpx.get(r.headers["location"]).status_code == 200
    for g in (location, "http://example.org/new-by-post"):
        assert httpx.delete(url + "/store", params={"graph": g}, headers=auth).status_code == 204
    assert httpx.head(location).status_code == 404


# ---------------------------------------------------------------------------- 6. Basic auth

def test_token_as_basic_password_through_real_clients(url: str) -> None:
    g = "http://example.org/basic"
    sw = SPARQLWrapper(url + "/sparql", updateEndpoint=url + "/update")
    sw.setCredentials("analyst", TOKEN)  # HTTP Basic, any user name
    sw.setMethod(POST)
    sw.setQuery(f'INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/a> <http://example.org/b> "wrapper" }} }}')
    sw.query()
    upd = SPARQLUpdateStore(query_endpoint=url + "/sparql", update_endpoint=url + "/update",
                            auth=("someone-else", TOKEN))
    graph = Graph(upd, identifier=URIRef(g))
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal("rdflib")))
    got = httpx.get(url + "/store", params={"graph": g}, headers={"Accept": "application/n-triples"})
    assert sorted(t.object.value for t in ox.parse(got.content, ox.RdfFormat.N_TRIPLES)) == ["rdflib", "wrapper"]
    bad = SPARQLUpdateStore(query_endpoint=url + "/sparql", update_endpoint=url + "/update", auth=("x", "wrong"))
    with pytest.raises(Exception, match="401"):
        Graph(bad, identifier=URIRef(g)).add((URIRef("urn:x"), URIRef("urn:y"), Literal("no")))
    assert httpx.delete(url + "/store", params={"graph": g},
                        headers={"Authorization": "Basic " + base64.b64encode(f"u:{TOKEN}".encode()).decode()}
                        ).status_code == 204


def test_auth_raw(url: str) -> None:
    upd = {"Content-Type": "application/sparql-update"}
    basic = lambda user_pw: {"Authorization": "Basic " + base64.b64encode(user_pw).decode()}  # noqa: E731
    r = httpx.post(url + "/update", content="CLEAR SILENT GRAPH <urn:x>", headers=upd)
    assert r.status_code == 401
    challenge = r.headers["www-authenticate"]
    assert "Bearer" in challenge and "Basic" in challenge
    for headers, status in [(basic(f":{TOKEN}".encode()), 204), (basic(f"any:{TOKEN}".encode()), 204),
                            (basic(TOKEN.encode()), 401), (basic(b"any:wrong"), 401),
                            ({"Authorization": "Basic not-base64!"}, 401), ({"Authorization": f"Bearer {TOKEN}"}, 204),
                            ({"Authorization": f"Digest {TOKEN}"}, 401)]:
        r = httpx.post(url + "/update", content="CLEAR SILENT GRAPH <urn:x>", headers=upd | headers)
        assert r.status_code == status, (headers, r.text)


# ---------------------------------------------------------------------------- 7. CORS

def test_cors_raw(url: str, pages: tuple[str, str]) -> None:
    trusted, stranger = pages
    for path in ("/api/v1/status", "/id/actor/yonus-fakur", "/sparql?query=ASK%7B%7D", "/api/v1/actors"):
        r = httpx.get(url + path, headers={"Origin": stranger, "Accept": "text/turtle, application/json;q=0.9"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*", path
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
    r = httpx.options(url + "/update", headers={"Origin": trusted, **pre})
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == trusted
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    assert "Origin" in r.headers["vary"]
    r = httpx.options(url + "/store", headers={"Origin": stranger, "Access-Control-Request-Method": "PUT"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = httpx.options(url + "/sparql", headers={"Origin": stranger, "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
    # a write from an origin that may not write is refused before it runs, token or not
    r = httpx.post(url + "/update", content="CLEAR ALL", headers={
        "Origin": stranger, "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert count(url) > 0


@NEEDS_CHROMIUM
def test_cors_in_a_browser_on_another_origin(url: str, pages: tuple[str, str]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    script = """async ([api, token]) => {
      const out = {};
      const res = async (name, p) => { try { const r = await p; out[name] = [r.status, await r.text(),
                                             r.headers.get('location'), r.headers.get('x-claimgraph-truncated')]; }
                                       catch (e) { out[name] = ['blocked', String(e)]; } };
      await res('status', fetch(api + '/api/v1/status'));
      await res('entity', fetch(api + '/id/actor/yonus-fakur', {headers: {Accept: 'text/turtle'}}));
      await res('query', fetch(api + '/sparql', {method: 'POST', body: 'SELECT * WHERE { ?s ?p ?o }',
          headers: {'Content-Type': 'application/sparql-query', Accept: 'application/sparql-results+json'}}));
      await res('update', fetch(api + '/update', {method: 'POST', body: 'INSERT DATA { GRAPH <http://example.org/web> { <urn:a> <urn:b> 1 } }',
          headers: {'Content-Type': 'application/sparql-update', Authorization: 'Bearer ' + token}}));
      await res('put', fetch(api + '/store?graph=http%3A%2F%2Fexample.org%2Fweb-put', {method: 'PUT',
          body: '<urn:a> <urn:b> 2 .', headers: {'Content-Type': 'text/turtle', Authorization: 'Bearer ' + token}}));
      return out;
    }"""
    trusted, stranger = pages
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.goto(stranger + "/")
            out = page.evaluate(script, [url, TOKEN])
            assert out["status"][0] == 200 and json.loads(out["status"][1])["sources"] == 1
            assert out["entity"][0] == 200 and "Fakur" in out["entity"][1]
            assert out["query"][0] == 200 and out["query"][3] == "true"  # the cap header is exposed
            assert out["update"][0] == "blocked" and out["put"][0] == "blocked"
            page.goto(trusted + "/")
            out = page.evaluate(script, [url, TOKEN])
            assert out["update"][0] == 204, out["update"]
            assert out["put"][0] == 201 and out["put"][2].startswith(url + "/store?graph=")  # Location exposed
        finally:
            browser.close()
    ask = "ASK { GRAPH <http://example.org/web> { ?s ?p ?o } GRAPH <http://example.org/web-put> { ?a ?b ?c } }"
    assert httpx.get(url + "/sparql", params={"query": ask}).json()["boolean"] is True
    for g in ("http://example.org/web", "http://example.org/web-put"):
        httpx.delete(url + "/store", params={"graph": g}, headers={"Authorization": f"Bearer {TOKEN}"})


# ---------------------------------------------------------------------------- 8. truncation in the body

def test_truncation_is_in_the_body(url: str) -> None:
    every = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = httpx.get(url + "/sparql", params={"query": every})
    body = r.json()
    assert r.headers["x-claimgraph-truncated"] == "true"
    assert body["truncated"] is True and body["head"]["link"] == [TRUNCATED_LINK]
    assert len(body["results"]["bindings"]) == 5
    x = httpx.get(url + "/sparql", params={"query": every}, headers={"Accept": "application/sparql-results+xml"})
    assert f'<link href="{TRUNCATED_LINK}"/>' in x.text
    # the clients still read the rows, and can tell
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(every)
    sw.setReturnFormat(JSON)
    j = sw.queryAndConvert()
    assert j["truncated"] is True and len(j["results"]["bindings"]) == 5
    sw.setReturnFormat(XML)
    doc = sw.queryAndConvert()
    assert isinstance(doc, XmlDocument)
    assert [e.getAttribute("href") for e in doc.getElementsByTagName("link")] == [TRUNCATED_LINK]
    assert len(list(Graph(SPARQLStore(url + "/sparql")).query(every))) == 5
    assert len(list(ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON))) == 5
    import pandas as pd

    frame = pd.json_normalize(body["results"]["bindings"])
    assert len(frame) == 5 and body.get("truncated")
    small = httpx.get(url + "/sparql", params={"query": "SELECT ?a WHERE { ?a a schema:NewsArticle }"}).json()
    assert "truncated" not in small and "link" not in small["head"]


# ---------------------------------------------------------------------------- 9. small ones

def test_parse_errors_before_negotiation_and_vary(url: str) -> None:
    r = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p "}, headers={"Accept": "text/plain"})
    assert r.status_code == 400 and "syntax" in r.text.lower()
    r = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"},
                  headers={"Accept": "image/png"})
    assert r.status_code == 400  # refused features too, before negotiation
    for path, params in [("/sparql", {"query": "ASK {}"}), ("/sparql", {}), ("/store", {"graph": ARTICLE})]:
        assert "Accept" in httpx.get(url + path, params=params).headers["vary"], path


def test_service_description_negotiated_with_prefixes(url: str) -> None:
    from claimgraph.rdf.vocab import PREFIXES

    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")]:
        r = httpx.get(url + "/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept), accept
        g = Graph().parse(io.BytesIO(r.content), format=fmt)
        declared = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/ns/shacl#prefix"))}
        assert declared == set(PREFIXES), accept
        assert (URIRef(url + "/sparql"), URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
                URIRef(url + "/sparql")) in g
    assert "<html" in httpx.get(url + "/sparql", headers={"Accept": "text/html"}).text.lower()


def test_favicon(url: str) -> None:
    r = httpx.get(url + "/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/") and b"<svg" in r.content
