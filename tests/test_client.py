"""The notebook client gives the same answers embedded and over HTTP: DataFrames with typed
columns, named queries, catalogues and graphs — against real stores and real servers."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph, URIRef

import claimgraph
from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.client import Client
from claimgraph.errors import QueryError
from claimgraph.rdf.vocab import SCHEMA, entity_iri
from claimgraph.views.named import ParameterError

from .livesrv import free_port, serve

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dw-jawzjan.yaml"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("client") / "data"
    with claimgraph.open(d) as kg:
        kg.ingest(SAMPLE)
    return d


@pytest.fixture(scope="module")
def embedded(data_dir: Path) -> Iterator[Client]:
    kg = claimgraph.open(data_dir, read_only=True)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def plain_endpoint(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """A real Oxigraph server (a plain SPARQL 1.1 endpoint) over a copy of the data directory."""
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server (pip package 'oxigraph') is not installed")
    copy = tmp_path_factory.mktemp("oxigraph") / "data"
    shutil.copytree(data_dir, copy)
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(copy), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"oxigraph serve did not start: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.05)
        kg = claimgraph.connect(f"http://127.0.0.1:{port}/query")
        yield kg
        kg.close()
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def server(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """claimgraph's own server (uvicorn on 127.0.0.1), reached through its /sparql endpoint."""
    copy = tmp_path_factory.mktemp("server") / "data"
    shutil.copytree(data_dir, copy)
    with serve(create_app(Settings(data=str(copy)))) as url:
        probe = httpx.post(f"{url}/sparql", content=b"ASK {}",
                           headers={"Content-Type": "application/sparql-query"})
        if probe.status_code in (404, 405):
            pytest.skip("needs api/sparql.py (the server's /sparql endpoint is not there yet)")
        kg = claimgraph.connect(url)
        yield kg
        kg.close()


REMOTES = ["plain_endpoint", "server"]


# ---------------------------------------------------------------- embedded


def test_query_types_columns(embedded: Client) -> None:
    df = embedded.query("""
        SELECT ?i ?d ?f ?b ?day ?iri ?s WHERE {
          VALUES (?i ?d ?f ?b ?day ?iri ?s) {
            (1 2.5 1.0e0 true "2018-04-20"^^xsd:date <https://example.org/a> "x")
            (UNDEF UNDEF UNDEF UNDEF UNDEF UNDEF UNDEF) } }""")
    assert list(df.columns) == ["i", "d", "f", "b", "day", "iri", "s"]
    assert str(df["i"].dtype) == "Int64" and df["i"][0] == 1 and df["i"].isna()[1]
    assert str(df["d"].dtype) == "Float64" and df["d"][0] == 2.5
    assert str(df["b"].dtype) == "boolean" and bool(df["b"][0]) is True
    assert pd.api.types.is_datetime64_any_dtype(df["day"]) and df["day"][0] == pd.Timestamp("2018-04-20")
    assert df["iri"][0] == "https://example.org/a" and df["iri"][1] is None
    as_terms = embedded.query("SELECT ?iri WHERE { VALUES ?iri { <https://example.org/a> } }", terms=True)
    assert as_terms["iri"][0] == URIRef("https://example.org/a")


def test_bindings_are_values_not_text(embedded: Client) -> None:
    q = "SELECT ?a WHERE { ?a schema:name ?name }"
    assert list(embedded.query(q, name="Yonus Fakur")["a"]) == [str(entity_iri("actor", "yonus-fakur"))]
    # a value that would break out of the query if pasted is only an odd string that matches nothing
    assert embedded.query(q, name='x" } ?a ?b ?c . { ?a schema:name "').empty
    assert embedded.ask("ASK { ?a schema:name ?name }", name="Taliban")
    assert not embedded.ask("ASK { ?a schema:name ?name }", name="Nobody")


def test_construct_gives_an_rdflib_graph(embedded: Client) -> None:
    g = embedded.construct("CONSTRUCT { ?a schema:name ?n } WHERE { ?a a cg:Person ; schema:name ?n }")
    assert isinstance(g, Graph)
    assert (URIRef(entity_iri("actor", "yonus-fakur")), SCHEMA.name, None) in g
    with pytest.raises(QueryError):
        embedded.construct("SELECT * WHERE { ?s ?p ?o }")


def test_named_and_parameter_errors(embedded: Client) -> None:
    df = embedded.named("statements-by-actor", actor="yonus-fakur")
    assert len(df) == 5 and set(df["source"]) == {"dw-31lts"}
    assert str(df["start"].dtype) == "Int64"
    with pytest.raises(ParameterError):
        embedded.named("statements-by-actor", actor="Yonus Fakur")
    with pytest.raises(claimgraph.NotFound):
        embedded.named("no-such-query")


def test_catalogues(embedded: Client) -> None:
    actors = embedded.actors()
    assert list(actors.columns) == ["id", "name", "type", "statements"]
    fakur = actors.set_index("id").loc["actor/yonus-fakur"]
    assert fakur["type"] == "person" and fakur["statements"] == 5
    assert set(embedded.actors(type="state")["name"]) == {"Pakistan", "United States"}
    contested = embedded.claims(contested=True)
    assert set(contested["id"]) == {"claim/afghan-government-tacitly-cooperates-with-taliban",
                                    "claim/pakistan-harbours-militants", "claim/peace-talks-with-taliban"}
    assert (contested["supports"] > 0).all() and (contested["opposes"] > 0).all()
    assert len(embedded.claims()) > len(contested)
    assert set(embedded.claims(about="pakistan")["id"]) == {"claim/pakistan-harbours-militants",
                                                            "claim/pakistan-influence-exaggerated"}


def test_trace_to_the_quoted_source(embedded: Client) -> None:
    g = embedded.trace("pakistan-harbours-militants")
    assert isinstance(g, nx.MultiDiGraph)
    claim = "claim/pakistan-harbours-militants"
    assert g.nodes[claim]["type"] == "Claim"
    statements = [s for s, _o, p in g.in_edges(claim, keys=True) if p == "cg:about"]
    assert len(statements) == 2
    text = (SAMPLE.parent / "dw-jawzjan.txt").read_text(encoding="utf-8")
    for s in statements:
        node = g.nodes[s]
        assert text[node["start"]:node["end"]] == node["quote"]
    articles = [n for n, t in g.nodes(data="type") if t == "NewsArticle"]
    assert [g.nodes[a]["url"] for a in articles] == ["https://p.dw.com/p/31Lts"]


def test_neighbourhood(embedded: Client) -> None:
    one = embedded.neighbourhood("pakistan", depth=1)
    two = embedded.neighbourhood("pakistan", depth=2)
    start = "actor/pakistan"
    assert one.nodes[start]["label"] == "Pakistan" and one.nodes[start]["type"] == "state"
    assert set(embedded.neighbourhood(str(entity_iri("actor", "pakistan"))).nodes) == set(one.nodes)
    assert set(one.nodes) < set(two.nodes)
    preds = {p for _s, _o, p in one.edges(keys=True)}
    assert {"cg:speaker", "cg:concerns", "cg:actor"} <= preds
    assert all(d.get("predicate") for _s, _o, d in two.edges(data=True))


def test_in_memory_open_and_missing_pandas_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with claimgraph.open() as kg:
        assert kg.query("SELECT ?s WHERE { ?s cg:sourceId ?id }").empty
        kg.ingest(SAMPLE)
        assert list(kg.query("SELECT ?id WHERE { ?s cg:sourceId ?id }")["id"]) == ["dw-31lts"]
        import sys

        monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
        with pytest.raises(ImportError, match=r"claimgraph\[notebook\]"):
            kg.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")


def test_connect_needs_an_http_url() -> None:
    with pytest.raises(QueryError):
        claimgraph.connect("data")


# ---------------------------------------------------------------- the same answers over HTTP


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize("remote", REMOTES)
def test_named_query_same_over_http(request: pytest.FixtureRequest, embedded: Client, remote: str) -> None:
    kg: Client = request.getfixturevalue(remote)
    for name, params in [("statements-by-actor", {"actor": "yonus-fakur"}), ("contested-claims", {}),
                         ("relations", {"type": "cooperation"}), ("actors-by-statements", {})]:
        _same(embedded.named(name, **params), kg.named(name, **params))


@pytest.mark.parametrize("remote", REMOTES)
def test_everything_else_same_over_http(request: pytest.FixtureRequest, embedded: Client, remote: str) -> None:
    kg: Client = request.getfixturevalue(remote)
    _same(embedded.actors(), kg.actors())
    _same(embedded.claims(contested=True), kg.claims(contested=True))
    q = "SELECT ?a WHERE { ?a schema:name ?name }"
    _same(embedded.query(q, name="Taliban"), kg.query(q, name="Taliban"))
    assert kg.ask("ASK { ?a schema:name ?name }", name="Taliban")
    assert set(kg.construct("CONSTRUCT { ?a schema:name ?n } WHERE { ?a a cg:Person ; schema:name ?n }")) == set(
        embedded.construct("CONSTRUCT { ?a schema:name ?n } WHERE { ?a a cg:Person ; schema:name ?n }"))
    for a, b in [(embedded.trace("pakistan-harbours-militants"), kg.trace("pakistan-harbours-militants")),
                 (embedded.neighbourhood("pakistan", depth=2), kg.neighbourhood("pakistan", depth=2))]:
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        assert sorted(a.edges(keys=True)) == sorted(b.edges(keys=True))
    with pytest.raises(QueryError):
        kg.query("SELECT nonsense")


# ---------------------------------------------------------------- %%sparql


def test_sparql_cell_magic(data_dir: Path) -> None:
    from IPython.testing.globalipapp import start_ipython

    ip = start_ipython()
    assert ip is not None
    ip.run_line_magic("load_ext", "claimgraph.client.magic")
    ip.user_ns["who"] = "Taliban"
    res = ip.run_cell(f"%%sparql {data_dir} -o df\nSELECT ?a WHERE {{ ?a schema:name $who }}")
    assert res.success, res.error_in_exec
    assert list(ip.user_ns["df"]["a"]) == [str(entity_iri("actor", "taliban"))]
    res = ip.run_cell(f"%%sparql {data_dir} -o yes\nASK {{ ?a schema:name $who }}")
    assert res.success and ip.user_ns["yes"] is True
    res = ip.run_cell(f"%%sparql {data_dir}\nSELECT ?a WHERE {{ ?a schema:name $nobody }}")
    assert isinstance(res.error_in_exec, NameError)
