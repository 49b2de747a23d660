"""Time: every statement's day (the text's, else its article's; none for an undated article), "as of"
named queries, "when did X first deny Y", the actor and claim timelines (view, API, CLI)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from typer.testing import CliRunner

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.cli.main import app as cli
from claimgraph.errors import ClaimgraphError, NotFound
from claimgraph.model import annotation
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.views.named import get_named_query
from claimgraph.views.timeline import actor_timeline, claim_timeline

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "timeline"


@pytest.fixture
def dated() -> Iterator[KnowledgeStore]:
    st = open_store()
    for f in sorted(FIXTURES.glob("*.yaml")):
        st.ingest(annotation.load(f))
    yield st
    st.close()


def named(st: KnowledgeStore, name: str, **params: str) -> list[dict]:
    nq = get_named_query(name)
    return st.select(nq.sparql, nq.bind(params)).dicts()


def test_statements_carry_their_day(dated: KnowledgeStore) -> None:
    rows = dated.select("SELECT ?st ?day ?basis WHERE { GRAPH ?g { ?st a cg:Statement . "
                        "OPTIONAL { ?st cg:statedOn ?day ; cg:dateBasis ?basis } } }").dicts()
    days = {r["st"].rsplit("/", 1)[1]: (str(r["day"]) if r["day"] else None, r["basis"]) for r in rows}
    assert days["tl-a.80-140"] == ("2018-03-10", "https://claimgraph.org/ns#ArticleDate")
    assert days["tl-b.72-101"] == ("2018-04-18", "https://claimgraph.org/ns#TextDate")
    assert days["tl-d.36-107"] == (None, None)  # undated article: no day made up


def test_contested_as_of(dated: KnowledgeStore) -> None:
    assert {r["side"] for r in named(dated, "contested-claims")} == {"supports", "opposes"}
    may = named(dated, "contested-claims", as_of="2018-05-01")
    assert sorted({(r["side"], str(r["day"])) for r in may}) == [("opposes", "2018-04-18"),
                                                                  ("supports", "2018-03-10")]
    assert named(dated, "contested-claims", as_of="2018-04-01") == []  # only asserted by then


def test_first_denial(dated: KnowledgeStore) -> None:
    rows = named(dated, "first-stance", actor="idris-kalu", claim="ceasefire-agreed")
    assert {str(r["first"]) for r in rows} == {"2018-04-18"} and {r["source"] for r in rows} == {"tl-b"}
    assert rows[0]["undated"] == 0
    sup = named(dated, "first-stance", actor="mara-oduya", side="supports")
    assert [str(r["first"]) for r in sup] == ["2018-03-10"]
    undated = named(dated, "first-stance", actor="sera-voss", side="supports")
    assert undated[0]["first"] is None and undated[0]["undated"] == 1


def test_timelines(dated: KnowledgeStore) -> None:
    t = claim_timeline(dated, "ceasefire-agreed")
    assert [(i["day"], i["side"]) for i in t["items"]][:2] == [("2018-03-10", "supports"), ("2018-04-18", "opposes")]
    assert [i["contested_so_far"] for i in t["items"]][:2] == [False, True]
    assert t["first"]["opposes"]["day"] == "2018-04-18" and t["first"]["opposes"]["date_basis"] == "text"
    k = actor_timeline(dated, "idris-kalu", as_of="2018-05-01")
    assert [i["day"] for i in k["items"]] == ["2018-04-18", "2018-04-18"] and k["left_out"] == {"later": 1, "undated": 0}
    v = actor_timeline(dated, "sera-voss")
    assert v["items"] == [] and len(v["undated"]) == 1 and "without a date" in v["undated_note"]
    with pytest.raises(NotFound):
        actor_timeline(dated, "nobody")
    with pytest.raises(ClaimgraphError):
        actor_timeline(dated, "sera-voss", as_of="May 2018")


def test_undated_sample_says_so(store: KnowledgeStore) -> None:
    t = actor_timeline(store, "yonus-fakur")
    assert t["items"] == [] and t["undated"] and "without a date" in t["undated_note"]
    t = actor_timeline(store, "yonus-fakur", as_of="2018-05-01")
    assert t["items"] == [] and t["left_out"]["undated"] == len(actor_timeline(store, "yonus-fakur")["undated"])
    assert named(store, "contested-claims", as_of="2018-05-01") == []
    assert named(store, "contested-claims")  # without as_of the sample's contested claims are there


def test_api_and_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(FIXTURES), "--data", str(data)]).exit_code == 0
    res = runner.invoke(cli, ["query", "--named", "contested-claims", "--param", "as_of=2018-05-01",
                              "--format", "json", "--data", str(data)])
    assert res.exit_code == 0, res.output
    assert {r["day"] for r in json.loads(res.stdout)} == {"2018-03-10", "2018-04-18"}
    st = open_store(data)
    with TestClient(create_app(Settings(), store=st)) as c:
        r = c.get("/api/v1/actors/idris-kalu/timeline", params={"as_of": "2018-05-01"})
        assert r.status_code == 200 and r.json()["left_out"]["later"] == 1
        r = c.get("/api/v1/claims/ceasefire-agreed/timeline")
        assert r.status_code == 200 and r.json()["contested"] is True
        assert c.get("/api/v1/actors/nobody/timeline").status_code == 404
        assert c.get("/api/v1/actors/idris-kalu/timeline", params={"as_of": "soon"}).status_code == 422
        r = c.get("/api/v1/actors/idris-kalu/timeline", params={"limit": 1})
        assert r.status_code == 200 and len(r.json()["items"]) == 1 and r.json()["next"] == "1"
        r = c.get("/api/v1/actors/idris-kalu/timeline", params={"cursor": "later"})
        assert r.status_code == 400 and "cursor" in r.json()["message"]
        assert c.get("/api/v1/claims/ceasefire-agreed/timeline", params={"limit": 0}).status_code == 422
    st.close()


def test_timeline_pages(dated: KnowledgeStore) -> None:
    whole = claim_timeline(dated, "ceasefire-agreed")
    assert whole["total"] == len(whole["items"]) + len(whole["undated"]) and whole["next"] is None
    assert whole["counts"] == {"dated": len(whole["items"]), "undated": len(whole["undated"])}
    pages, cursor = [], None
    while True:
        page = claim_timeline(dated, "ceasefire-agreed", limit=1, cursor=cursor)
        assert page["total"] == whole["total"] and page["first"] == whole["first"]
        assert page["contested"] is whole["contested"]
        pages += page["items"] + page["undated"]
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == whole["items"] + whole["undated"]  # contested_so_far included: it looks behind the page
    with pytest.raises(ClaimgraphError, match="cursor"):
        claim_timeline(dated, "ceasefire-agreed", cursor="yesterday")
    with pytest.raises(ClaimgraphError, match="limit"):
        actor_timeline(dated, "idris-kalu", limit=0)


def test_claim_timeline_holds_only_its_statements(store: KnowledgeStore) -> None:
    # the statements of other claims and statements about no claim are not on a claim's timeline
    claims = [r["c"] for r in store.select("SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s cg:about ?c } }").dicts()]
    for c in claims:
        cid = c.rsplit("/", 2)[-2] + "/" + c.rsplit("/", 1)[-1]
        t = claim_timeline(store, cid)
        n = store.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s cg:about ?c ; cg:evidence ?e } }",
                         {"c": URIRef(c)}).rows[0][0]
        assert t["total"] == int(n.value), cid
        assert all(cid in [x["id"] for x in i["claims"]] for i in t["items"] + t["undated"]), cid
