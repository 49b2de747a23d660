"""Every named query runs on the sample with sensible rows; bad parameters are refused; the API
serves them (list, JSON, CSV, 400, 404) from a real uvicorn server."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model import Document
from claimgraph.rdf.vocab import entity_iri
from claimgraph.store import KnowledgeStore
from claimgraph.views.named import NamedQuery, ParameterError, get_named_query, named_queries

from .livesrv import serve

EXPECTED = {
    "contested-claims", "statements-by-actor", "statements-about-actor", "relations",
    "statements-in-source", "actor-timeline", "actors-by-statements", "claims-by-deniers", "contested-claims-counts",
}

# parameters that make each query return rows on the sample
SAMPLE_PARAMS: dict[str, dict[str, str]] = {
    "contested-claims": {},
    "contested-claims-counts": {},
    "statements-by-actor": {"actor": "yonus-fakur"},
    "statements-about-actor": {"actor": "pakistan"},
    "relations": {},
    "statements-in-source": {"source": "dw-31lts"},
    "actor-timeline": {"actor": "yonus-fakur"},
    "actors-by-statements": {},
    "claims-by-deniers": {},
}


def run(store: KnowledgeStore, name: str, **params: object) -> list[dict[str, object]]:
    nq = get_named_query(name)
    return store.select(nq.sparql, nq.bind(params)).dicts()


def test_every_query_has_a_header() -> None:
    qs = named_queries()
    assert set(qs) >= EXPECTED
    for q in qs.values():
        assert q.title and q.title != q.name, q.name
        assert len(q.description) > 30, q.name
        for p in q.params:
            assert p.description, (q.name, p.name)


def test_contested_counts_agree_with_every_quote(store: KnowledgeStore) -> None:
    # the counted list (read from the summary graph) names the claims contested-claims.rq finds from
    # the article graphs, with as many distinct statements on each side
    quotes = run(store, "contested-claims")
    for params in ({}, {"actor": "pakistan"}):
        counted = run(store, "contested-claims-counts", **params)
        want = {r["claim"] for r in (run(store, "contested-claims", **params) if params else quotes)}
        assert {r["claim"] for r in counted} == want and want, params
    for r in run(store, "contested-claims-counts"):
        sides = {side: {(q["source"], q["start"], q["stance"]) for q in quotes if q["claim"] == r["claim"] and q["side"] == side}
                 for side in ("supports", "opposes")}
        assert (r["supports"], r["opposes"]) == (len(sides["supports"]), len(sides["opposes"])), r["claim"]
    n = [r["supports"] + r["opposes"] for r in run(store, "contested-claims-counts")]
    assert n == sorted(n, reverse=True)


@pytest.mark.parametrize("name", sorted(SAMPLE_PARAMS))
def test_runs_on_the_sample(store: KnowledgeStore, name: str) -> None:
    rows = run(store, name, **SAMPLE_PARAMS[name])
    assert rows, name
    # no blank nodes reach clients
    for r in rows:
        for v in r.values():
            assert not (isinstance(v, str) and v.startswith("_:")), (name, r)


def test_statements_by_actor(store: KnowledgeStore) -> None:
    rows = run(store, "statements-by-actor", actor="yonus-fakur")
    assert {r["source"] for r in rows} == {"dw-31lts"}
    assert any("turned a blind eye" in str(r["quote"]) for r in rows)
    assert all(isinstance(r["start"], int) and r["start"] < r["end"] for r in rows)
    assert run(store, "statements-by-actor", actor="nobody-at-all") == []


def test_statements_about_actor_include_the_denial(store: KnowledgeStore) -> None:
    rows = run(store, "statements-about-actor", actor="pakistan")
    by_side = {(r["speakerName"], r["side"]) for r in rows}
    assert ("Pakistan", "opposes") in by_side
    assert ("Afghan government", "supports") in by_side


def test_relations_with_asserters_and_deniers(store: KnowledgeStore) -> None:
    rows = run(store, "relations")
    assert len(rows) == 20  # every relation of the sample, once
    tacit = [r for r in rows if r["relationType"] == "tacit cooperation"]
    assert len(tacit) == 1
    assert "Yonus Fakur" in tacit[0]["assertedBy"] and "Taliban" in tacit[0]["deniedBy"]
    assert tacit[0]["sign"] == 1
    # a kind includes its sub-kinds; underscores work as in annotation files
    assert run(store, "relations", type="cooperation") == tacit
    assert run(store, "relations", type="tacit_cooperation") == tacit
    assert {r["relationType"] for r in run(store, "relations", type="rivalry")} == {"rivalry"}
    assert run(store, "relations", type="no-such-kind") == []


def test_statements_in_source_in_reading_order(store: KnowledgeStore) -> None:
    rows = run(store, "statements-in-source", source="dw-31lts")
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)
    assert len({r["statement"] for r in rows}) == 30  # every statement of the sample
    assert run(store, "statements-in-source", source="not-ingested") == []


def test_actor_timeline_orders_by_date(store: KnowledgeStore, sample_doc: Document) -> None:
    dated = dataclasses.replace(sample_doc, source=dataclasses.replace(
        sample_doc.source, id="dw-dated-copy", date="2018-04-20"))
    store.ingest(dated)
    rows = run(store, "actor-timeline", actor="yonus-fakur")
    sources = [r["source"] for r in rows]
    # the dated article first, the undated sample last
    assert sources[0] == "dw-dated-copy" and sources[-1] == "dw-31lts"
    assert sources == sorted(sources, key=lambda s: s != "dw-dated-copy")
    later = run(store, "actor-timeline", actor="yonus-fakur", **{"from": "2018-05-01"})
    assert later == []
    since = run(store, "actor-timeline", actor="yonus-fakur", **{"from": "2018-01-01"})
    assert {r["source"] for r in since} == {"dw-dated-copy"}


def test_actors_by_statements(store: KnowledgeStore) -> None:
    rows = run(store, "actors-by-statements")
    counts = [r["statements"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    fakur = next(r for r in rows if r["name"] == "Yonus Fakur")
    assert fakur["type"] == "person" and fakur["statements"] == 5
    assert all(r["statements"] >= 5 for r in run(store, "actors-by-statements", min=5))


def test_claims_by_deniers(store: KnowledgeStore) -> None:
    rows = run(store, "claims-by-deniers")
    assert rows[0]["claim"] == str(entity_iri("claim", "afghan-government-tacitly-cooperates-with-taliban"))
    assert rows[0]["deniers"] == 2
    assert all(r["deniers"] >= 1 for r in rows)
    assert {r["claimText"] for r in run(store, "claims-by-deniers", actor="pakistan")} == {
        "Pakistan offers safe havens to militants blamed for attacks in Afghanistan"}


BAD = [
    ("statements-by-actor", {}),                               # missing
    ("statements-by-actor", {"actor": "Yonus Fakur"}),         # not an id
    ("statements-by-actor", {"actor": "x", "speaker": "y"}),   # unknown
    ("statements-about-actor", {"actor": "<http://x>"}),
    ("statements-in-source", {"source": "a b"}),
    ("actor-timeline", {"actor": "yonus-fakur", "from": "last year"}),
    ("actors-by-statements", {"min": "many"}),
    ("claims-by-deniers", {"actor": "} DROP ALL"}),
    ("relations", {"kind": "rivalry"}),
    ("contested-claims", {"actor": "taliban\" ."}),
]


@pytest.mark.parametrize(("name", "params"), BAD)
def test_bad_parameters(name: str, params: dict[str, str]) -> None:
    with pytest.raises(ParameterError):
        get_named_query(name).bind(params)


# ---------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import claimgraph

    data = Path(tmp_path_factory.mktemp("named-http")) / "data"
    st = claimgraph.open_store(data)
    st.ingest(claimgraph.load_annotation(Path(__file__).parent.parent / "samples" / "dw-jawzjan.yaml"))
    st.close()
    with serve(create_app(Settings(data=str(data)))) as url:
        yield url


def test_http_list(server: str) -> None:
    r = httpx.get(f"{server}/api/v1/queries")
    assert r.status_code == 200
    qs = {q["name"]: q for q in r.json()["queries"]}
    assert set(qs) >= EXPECTED
    assert qs["statements-by-actor"]["params"][0] == {
        "name": "actor", "type": "actor", "required": True,
        "description": "The speaker (an actor id such as yonus-fakur).", "default": None}


def test_http_json_matches_the_library(server: str, store: KnowledgeStore) -> None:
    r = httpx.get(f"{server}/api/v1/queries/statements-by-actor", params={"actor": "yonus-fakur"})
    assert r.status_code == 200
    body = r.json()
    nq: NamedQuery = get_named_query("statements-by-actor")
    assert body["variables"] == store.select(nq.sparql, nq.bind({"actor": "yonus-fakur"})).variables
    assert body["rows"] == run(store, "statements-by-actor", actor="yonus-fakur")
    assert body["truncated"] is False


def test_http_csv(server: str) -> None:
    by_accept = httpx.get(f"{server}/api/v1/queries/relations", params={"type": "rivalry"},
                          headers={"Accept": "text/csv"})
    by_format = httpx.get(f"{server}/api/v1/queries/relations", params={"type": "rivalry", "format": "csv"})
    assert by_accept.status_code == by_format.status_code == 200
    assert by_accept.headers["content-type"].startswith("text/csv")
    assert by_accept.text == by_format.text
    rows = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert [r["relationType"] for r in rows] == ["rivalry"]
    assert rows[0]["actorName"] == "Islamic State"


def test_http_errors(server: str) -> None:
    r = httpx.get(f"{server}/api/v1/queries/statements-by-actor", params={"actor": "Not An Id"})
    assert r.status_code == 400 and "actor" in r.json()["message"]
    r = httpx.get(f"{server}/api/v1/queries/statements-by-actor")
    assert r.status_code == 400 and "needs parameter 'actor'" in r.json()["message"]
    r = httpx.get(f"{server}/api/v1/queries/relations", params={"format": "xml"})
    assert r.status_code == 400
    r = httpx.get(f"{server}/api/v1/queries/no-such-query")
    assert r.status_code == 404 and "contested-claims" in r.json()["message"]


# ---------------------------------------------------------------- CLI


def test_cli_lists_and_runs_named_queries(tmp_path: Path, sample_doc: Document) -> None:
    import json
    import subprocess
    import sys

    import claimgraph

    data = tmp_path / "data"
    with claimgraph.open_store(data) as st:
        st.ingest(sample_doc)
    exe = [str(Path(sys.executable).parent / "claimgraph")]
    listed = subprocess.run([*exe, "queries", "--format", "json"], capture_output=True, text=True, check=True)
    assert {q["name"] for q in json.loads(listed.stdout)} >= EXPECTED
    ran = subprocess.run([*exe, "query", "--named", "relations", "--param", "type=rivalry", "--format", "csv",
                          "--data", str(data)], capture_output=True, text=True, check=True)
    assert list(csv.DictReader(io.StringIO(ran.stdout)))[0]["relationType"] == "rivalry"
    bad = subprocess.run([*exe, "query", "--named", "statements-by-actor", "--param", "actor=Not An Id",
                          "--data", str(data)], capture_output=True, text=True)
    assert bad.returncode == 1 and "parameter 'actor'" in bad.stderr and "Traceback" not in bad.stderr
