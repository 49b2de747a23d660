"""Opt-in inference: inferred triples live in a separate store beside the asserted one, one inferred
graph per article, kept in step with ingest and drop through the write path; queries without
reasoning never see them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.cli.main import app as cli
from claimgraph.model import Document, annotation
from claimgraph.rdf.mapper import graph_iri
from claimgraph.rdf.vocab import inferred_graph_iri
from claimgraph.store import open_store
from claimgraph.store.reasoning import ReasonedStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "timeline"
# an armed group is a cg:Organisation is a cg:Actor ⊑ prov:Agent: asserted only as cg:ArmedGroup
AGENT = "ASK { GRAPH ?g { <https://claimgraph.org/id/actor/northern-front> a prov:Agent } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize("regime", ["rdfs", "owl-rl"])
def test_inferred_graph_in_step_and_apart(tmp_path: Path, regime: str) -> None:
    base = open_store(tmp_path / "data")
    st = ReasonedStore(base, regime)
    heard: list[str | None] = []
    st.on_change(heard.append)
    a = annotation.load(FIXTURES / "a-ceasefire-announced.yaml")
    st.ingest(a)
    assert heard == ["tl-a"]
    assert st.query(AGENT) is True
    assert base.query(AGENT) is False  # reasoning off: nothing inferred is visible
    inferred = str(inferred_graph_iri(str(graph_iri("tl-a"))))
    assert inferred in {r["g"] for r in st.select(GRAPHS).dicts()}
    assert inferred not in {r["g"] for r in base.select(GRAPHS).dicts()}
    # the statement's speaker is prov:wasAttributedTo (cg:speaker ⊑ prov:wasAttributedTo)
    assert st.query("ASK { ?s prov:wasAttributedTo <https://claimgraph.org/id/actor/mara-oduya> }") is True
    st.drop("tl-a")
    assert st.query(AGENT) is False and st.select(GRAPHS).dicts() == [
        r for r in st.select(GRAPHS).dicts() if "/graph/" not in r["g"]]
    st.close()


def test_catches_up_with_writes_made_without_reasoning(tmp_path: Path, sample_doc: Document) -> None:
    base = open_store(tmp_path / "data")
    st = ReasonedStore(base, "rdfs")
    st.ingest(sample_doc)
    st.close()
    plain = open_store(tmp_path / "data")  # another process, reasoning off
    plain.ingest(annotation.load(FIXTURES / "b-front-denies.yaml"))
    plain.drop("dw-31lts")
    plain.close()
    st = ReasonedStore(open_store(tmp_path / "data"), "rdfs")
    assert st.query(AGENT) is True
    assert st.query("ASK { GRAPH ?g { <https://claimgraph.org/id/actor/taliban> ?p ?o } }") is False
    assert st.sync() == 0  # in step: nothing left to redo
    st.close()


def test_cli_and_server(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(FIXTURES), "--data", data]).exit_code == 0
    plain = runner.invoke(cli, ["query", AGENT, "--data", data])
    assert plain.exit_code == 0 and plain.stdout.strip() == "false"
    res = runner.invoke(cli, ["query", AGENT, "--data", data, "--reasoning", "rdfs"])
    assert res.exit_code == 0 and res.stdout.strip() == "true", res.output
    bad = runner.invoke(cli, ["query", AGENT, "--data", data, "--reasoning", "magic"])
    assert bad.exit_code == 2
    st = ReasonedStore(open_store(data), "rdfs")
    with TestClient(create_app(Settings(), store=st)) as c:
        r = c.get("/sparql", params={"query": AGENT}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.json()["boolean"] is True
    st.close()
