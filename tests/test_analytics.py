"""Signed actor network, structural balance, centrality and controversy on real stores:
the sample article and a three-article fixture whose triads are known by construction."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest
from typer.testing import CliRunner

import claimgraph
from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.cli.main import app as cli_app
from claimgraph.errors import ClaimgraphError
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.views import analytics

from .livesrv import serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "analytics"
TACIT = "tacit-cooperation.afghan-government.taliban"


@pytest.fixture
def fx_store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    st = open_store(tmp_path / "fx")
    st.ingest_many(claimgraph.load_annotation(p) for p in sorted(FIXTURES.glob("*.yaml")))
    yield st
    st.close()


def _triads(result: dict) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    return ([tuple(t["actors"]) for t in result["balanced"]], [tuple(t["actors"]) for t in result["unbalanced"]])


# ---------------------------------------------------------------- the network


def test_network_signs_come_from_the_ontology(store: KnowledgeStore) -> None:
    g = analytics.actor_network(store)
    edges = {k: d for _, _, k, d in g.edges(keys=True, data=True)}
    assert len(edges) == 20
    assert edges["rivalry.islamic-state.taliban"]["sign"] == -1
    assert edges["support.donald-trump.afghan-security-forces"]["sign"] == 1
    assert edges["peace-offer.ashraf-ghani.taliban"]["sign"] == 0
    assert edges["peace-rejection.taliban.ashraf-ghani"]["sign"] == -1
    tacit = edges[TACIT]
    assert (tacit["sign"], tacit["type"], tacit["status"]) == (1, "TacitCooperation", "denied")
    assert len(tacit["alleging"]) == 4 and tacit["denying"] == ["dw-31lts.6731-6782"]
    assert tacit["questioning"] == ["dw-31lts.6553-6565"]
    assert edges["attack.us-forces.islamic-state"]["status"] == "fact"
    assert edges["rivalry.islamic-state.taliban"]["weight"] == 2  # 2 narration spans
    assert edges["fighting.islamic-state.taliban"]["weight"] == 4  # 2 narration spans + 2 statements
    assert g.nodes["taliban"]["name"] == "Taliban"


def test_status_alleged_when_only_hedged(fx_store: KnowledgeStore) -> None:
    rels = {r.id: r for r in analytics.relations(fx_store)}
    assert rels["tacit-cooperation.gamma.delta"].status == "denied"
    assert rels["support.alpha.delta"].status == "fact"
    assert rels["alliance.alpha.beta"].sources == ["fx-a1"]


def test_undisputed_drops_denied_relations(store: KnowledgeStore) -> None:
    keys = {k for _, _, k in analytics.actor_network(store, include="undisputed").edges(keys=True)}
    assert TACIT not in keys
    # the Taliban's refusals reject the offer's claim, which proposes no relation: the offer stands
    assert "peace-offer.ashraf-ghani.taliban" in keys and "peace-rejection.taliban.ashraf-ghani" in keys
    assert len(keys) == 19
    with pytest.raises(ClaimgraphError):
        analytics.actor_network(store, include="some")  # type: ignore[arg-type]


def test_pair_sign_is_sign_of_sum(store: KnowledgeStore) -> None:
    g = analytics.signed_graph(analytics.actor_network(store))
    e = g["afghan-government"]["taliban"]
    assert (e["total"], e["sign"]) == (-1, -1)  # opposition, attack, tacit cooperation
    assert g["afghan-government"]["gulbuddin-hekmatyar"]["sign"] == 0


# ---------------------------------------------------------------- balance


def test_sample_balance(store: KnowledgeStore) -> None:
    b = analytics.balance(store)
    # the text gives no US-IS relation of its own (only Nicholson's statement) and names Trump, not the
    # US, as the one who pledged support: no balanced triad
    assert _triads(b) == (
        [],
        [("afghan-government", "islamic-state", "taliban"), ("afghan-security-forces", "islamic-state", "taliban")],
    )
    assert b["balance_score"] == 0.0
    first = b["tensions"][0]
    assert first["actors"] == ["afghan-government", "taliban"]
    assert first["common_enemies"] == ["islamic-state"]
    [pos] = first["positive_relations"]
    assert pos["relation"] == TACIT and pos["status"] == "denied"
    alleging = {(tuple(s["speakers"]), s["stance"]) for s in pos["alleging"]}
    assert alleging == {(("unnamed-sources",), "alleges"), (("yonus-fakur",), "alleges")}
    assert any("an enemy of an enemy is a friend" in s["quote"] for s in pos["alleging"])
    [deny] = pos["denying"]
    assert deny["speakers"] == ["afghan-officials", "taliban"] and deny["stance"] == "denies"
    assert deny["quote"] == "any suggestion of cooperation between the two sides"
    assert all(s["claims"] == ["afghan-government-tacitly-cooperates-with-taliban"]
               for s in pos["alleging"] + pos["denying"])


def test_fixture_triads_all(fx_store: KnowledgeStore) -> None:
    b = analytics.balance(fx_store)
    # gamma-delta: rivalry (-1) + denied tacit cooperation (+1) = 0, so no triad goes through it
    assert _triads(b) == ([("alpha", "beta", "gamma")], [("alpha", "beta", "delta")])
    assert b["balance_score"] == 0.5
    [t] = b["tensions"]
    assert (t["actors"], t["common_enemies"], t["pair_sign"]) == (["delta", "gamma"], ["beta"], 0)
    [pos] = t["positive_relations"]
    assert [s["speakers"] for s in pos["alleging"]] == [["kay"]]
    assert [s["speakers"] for s in pos["denying"]] == [["delta", "gamma"]]


def test_fixture_triads_undisputed(fx_store: KnowledgeStore) -> None:
    b = analytics.balance(fx_store, include="undisputed")
    assert _triads(b) == ([("alpha", "beta", "gamma"), ("alpha", "delta", "gamma")],
                          [("alpha", "beta", "delta"), ("beta", "delta", "gamma")])
    assert b["balance_score"] == 0.5
    assert [t["actors"] for t in b["tensions"]] == [["beta", "delta"], ["beta", "gamma"], ["delta", "gamma"]]


def test_fixture_time_window(fx_store: KnowledgeStore) -> None:
    b = analytics.balance(fx_store, until="2024-02-28")  # article 3 (alpha supports delta) is out
    assert _triads(b) == ([("alpha", "beta", "gamma")], [])
    assert b["balance_score"] == 1.0
    b = analytics.balance(fx_store, since="2024-02-01")
    assert b["triads"] == 0 and b["balance_score"] is None
    with pytest.raises(ClaimgraphError):
        analytics.balance(fx_store, since="last week")


def test_window_excludes_undated_sources(store: KnowledgeStore) -> None:
    # the sample has no datePublished: any window leaves it out rather than guessing
    assert analytics.actor_network(store, since="2000-01-01").number_of_edges() == 0


# ---------------------------------------------------------------- centrality, controversy


def test_centrality(store: KnowledgeStore) -> None:
    rows = {r["actor"]: r for r in analytics.centrality(store)}
    assert rows["yonus-fakur"]["statements_made"] == 5
    assert rows["taliban"]["statements_made"] == 7
    assert rows["taliban"]["claims_about"] == 13
    g = analytics.signed_graph(analytics.actor_network(store))
    expected = nx.betweenness_centrality(g)
    assert rows["islamic-state"]["betweenness"] == round(expected["islamic-state"], 4) > 0
    # the government is the only path to Pakistan (pressure, accusations) and Hekmatyar (the deal)
    assert rows["afghan-government"]["betweenness"] == round(expected["afghan-government"], 4)
    assert rows["afghan-government"]["betweenness"] >= max(r["betweenness"] for r in rows.values())


def test_controversy(store: KnowledgeStore, fx_store: KnowledgeStore) -> None:
    rows = analytics.controversy(store)
    top = rows[0]
    assert top["claim"] == "afghan-government-tacitly-cooperates-with-taliban"
    assert (top["asserters"], top["deniers"], top["questioners"]) == (
        ["unnamed-sources", "yonus-fakur"], ["afghan-officials", "taliban"], ["abdul-hai-hayat"])
    assert (top["statements"], top["speakers"], top["sources"]) == (6, 5, 1)
    assert rows[1]["claim"] == "pakistan-harbours-militants"
    assert rows[2]["claim"] == "peace-talks-with-taliban"  # Ghani proposes, the Taliban reject (twice)
    assert (rows[2]["asserters"], rows[2]["deniers"]) == (["ashraf-ghani"], ["taliban"])
    assert all(r["score"] == 0 for r in rows[3:])  # nobody denies the rest
    fx = analytics.controversy(fx_store)
    assert [r["claim"] for r in fx if r["score"] > 0] == ["gamma-delta-cooperate"]


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export(store: KnowledgeStore, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"net.{fmt}"
    analytics.export_network(analytics.actor_network(store), str(path), fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == 10 and back.number_of_edges() == 20
    e = next(d for _, _, d in back.edges(data=True) if d.get("relation") == TACIT)
    assert int(e["sign"]) == 1 and e["status"] == "denied"
    assert e["denying"] == "dw-31lts.6731-6782"
    ET.parse(path)  # well-formed XML
    with pytest.raises(ClaimgraphError):
        analytics.export_network(analytics.actor_network(store), str(path), "dot")


# ---------------------------------------------------------------- CLI


@pytest.fixture
def sample_dir(tmp_path: Path) -> str:
    data = tmp_path / "data"
    st = open_store(data)
    st.ingest(claimgraph.load_annotation(ROOT / "samples" / "dw-jawzjan.yaml"))
    st.close()
    return str(data)


def test_cli_balance_names_the_pair(sample_dir: str) -> None:
    r = CliRunner().invoke(cli_app, ["analyze", "balance", "--data", sample_dir])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "balance score 0.0 (0 balanced, 2 unbalanced" in out
    line = next(x for x in out.splitlines() if "(afghan-government) and Taliban (taliban)" in x)
    assert "common enemy islamic-state" in line
    assert "alleges: yonus-fakur (alleges, said)" in out
    assert "an enemy of an enemy is a friend" in out
    assert 'denies: afghan-officials and taliban (denies, reject): "any suggestion of cooperation' in out


def test_cli_formats(sample_dir: str, tmp_path: Path) -> None:
    run = CliRunner().invoke
    r = run(cli_app, ["analyze", "balance", "--format", "json", "--data", sample_dir])
    assert json.loads(r.output)["balance_score"] == 0.0
    r = run(cli_app, ["analyze", "controversy", "--format", "csv", "--data", sample_dir])
    assert r.output.splitlines()[1].startswith("afghan-government-tacitly-cooperates-with-taliban,")
    r = run(cli_app, ["analyze", "central", "--data", sample_dir])
    assert r.exit_code == 0 and r.output.splitlines()[0].split()[:3] == ["actor", "name", "statements_made"]
    out = tmp_path / "n.gexf"
    r = run(cli_app, ["analyze", "network", "--format", "gexf", "-o", str(out), "--data", sample_dir])
    assert r.exit_code == 0 and nx.read_gexf(out).number_of_edges() == 20
    r = run(cli_app, ["analyze", "network", "--format", "table", "--data", sample_dir])
    assert r.exit_code == 2
    r = run(cli_app, ["analyze", "balance", "--since", "nope", "--data", sample_dir])
    assert r.exit_code == 1 and "not a date" in r.output


# ---------------------------------------------------------------- HTTP


def test_http(sample_dir: str) -> None:
    with serve(create_app(Settings(data=sample_dir))) as url, httpx.Client(base_url=url, timeout=30) as c:
        b = c.get("/api/v1/analytics/balance").json()
        assert b["balance_score"] == 0.0 and b["tensions"][0]["actors"] == ["afghan-government", "taliban"]
        cen = c.get("/api/v1/analytics/centrality", params={"include": "undisputed"}).json()["actors"]
        assert {r["actor"] for r in cen} >= {"taliban", "islamic-state"}
        con = c.get("/api/v1/analytics/controversy").json()["claims"]
        assert con[0]["claim"] == "afghan-government-tacitly-cooperates-with-taliban"
        for bad in ({"include": "most"}, {"since": "yesterday"}):
            r = c.get("/api/v1/analytics/balance", params=bad)
            assert r.status_code == 400 and "message" in r.json()
