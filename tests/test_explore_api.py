"""The explorer API, entity IRIs and the page's files against a live uvicorn server on 127.0.0.1,
over a data dir holding the sample article."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from claimgraph.model import Actor, ActorType, Document
from claimgraph.store import KnowledgeStore, open_store
from tests.livesrv import serve

TACIT = "afghan-government-tacitly-cooperates-with-taliban"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[tuple[httpx.Client, KnowledgeStore]]:
    data: Path = tmp_path_factory.mktemp("data")
    st = open_store(data)
    st.ingest(sample_doc)
    with serve(create_app(Settings(data=str(data)), st)) as base, httpx.Client(base_url=base, timeout=30) as c:
        yield c, st
    st.close()


@pytest.fixture
def client(live: tuple[httpx.Client, KnowledgeStore]) -> httpx.Client:
    return live[0]


def test_actors_paginate_with_next_links(client: httpx.Client) -> None:
    first = client.get("/api/v1/actors", params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next"].startswith("http://127.0.0.1:")
    second = client.get(first["next"]).json()
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 10


def test_actors_filter_by_type_and_prefix(client: httpx.Client) -> None:
    people = client.get("/api/v1/actors", params={"type": "person", "limit": 100}).json()["items"]
    assert people and {a["type"] for a in people} == {"person"}
    assert "actor/yonus-fakur" in {a["id"] for a in people}
    daesh = client.get("/api/v1/actors", params={"prefix": "daes"}).json()["items"]  # an alias
    assert [a["id"] for a in daesh] == ["actor/islamic-state"]
    r = client.get("/api/v1/actors", params={"type": "wizard"})
    assert r.status_code == 400 and "unknown actor type" in r.json()["message"]


def test_actor_detail_has_relations_with_asserters_and_deniers(client: httpx.Client) -> None:
    a = client.get("/api/v1/actors/taliban").json()
    assert a["name"] == "Taliban" and "the Taliban" in a["aliases"]
    assert a["statements_by"] and a["statements_about"]
    tacit = next(r for r in a["relations"] if r["id"] == "relation/tacit-cooperation.afghan-government.taliban")
    assert tacit["other"] == "actor/afghan-government" and tacit["role"] == "counterpart"
    c = next(c for c in tacit["claims"] if c["claim"] == f"claim/{TACIT}")
    assert {d["actor"] for d in c["denied_by"]} == {"actor/afghan-officials", "actor/taliban"}
    assert "actor/yonus-fakur" in {d["actor"] for d in c["asserted_by"]}
    fakur = client.get("/api/v1/actors/yonus-fakur").json()
    assert fakur["roles"] and len(fakur["statements_by"]) == 5


def test_claims_filters(client: httpx.Client) -> None:
    contested = client.get("/api/v1/claims", params={"contested": "true"}).json()["items"]
    assert f"claim/{TACIT}" in {c["id"] for c in contested}
    assert all(c["supports"] and c["opposes"] for c in contested)
    about = client.get("/api/v1/claims", params={"about": "islamic-state", "limit": 1000}).json()["items"]
    assert about and "claim/is-must-be-destroyed" in {c["id"] for c in about}
    assert client.get("/api/v1/claims", params={"contested": "maybe"}).status_code == 422
    c = client.get(f"/api/v1/claims/{TACIT}").json()
    assert c["relation"]["id"] == "relation/tacit-cooperation.afghan-government.taliban"
    assert c["contested"] and c["stances"]["alleges"] == 4


def test_trace_pins_each_quote_to_its_article(client: httpx.Client) -> None:
    t = client.get(f"/api/v1/claims/{TACIT}/trace").json()
    src = client.get("/api/v1/sources/dw-31lts").json()
    text = src["text"]
    assert len(t["statements"]) == 6 and t["counts"] == {"alleges": 4, "questions": 1, "denies": 1}
    for s in t["statements"]:
        q = s["quote"]
        assert text[q["start"]:q["end"]] == q["exact"]
        assert text[:q["start"]].endswith(q["prefix"]) and text[q["end"]:].startswith(q["suffix"])
        assert q["exact"] in q["sentence"] and text[q["sentence_start"]:q["sentence_end"]] == q["sentence"]
        assert s["source"]["url"] == "https://p.dw.com/p/31Lts" and s["source"]["publisher"]["name"] == "DW"
    blind = next(s for s in t["statements"] if "turned a blind eye" in s["quote"]["exact"])
    assert blind["speaker"]["id"] == "actor/yonus-fakur" and blind["side"] == "supports" and blind["cue"] == "said"
    deny = [s for s in t["statements"] if s["side"] == "opposes"]
    assert [sorted(p["label"] for p in s["speakers"]) for s in deny] == [["Afghan officials", "Taliban"]]
    assert t["related"] and all(r["id"] != f"claim/{TACIT}" for r in t["related"])


def test_trace_pages_and_refuses_a_bad_cursor(client: httpx.Client) -> None:
    t = client.get(f"/api/v1/claims/{TACIT}/trace", params={"limit": 1}).json()
    # one article holds all six statements: it comes whole, and there is no further page
    assert len(t["statements"]) == 6 and t["total"] == 6 and t["next"] is None and t["next_url"] is None
    bad = client.get(f"/api/v1/claims/{TACIT}/trace", params={"cursor": "nonsense"})
    assert bad.status_code == 400 and "cursor" in bad.json()["message"]
    assert client.get(f"/api/v1/claims/{TACIT}/trace", params={"limit": 0}).status_code in (400, 422)


def test_source_lists_statements_with_offsets(client: httpx.Client) -> None:
    s = client.get("/api/v1/sources/dw-31lts").json()
    assert s["title"].startswith("Taliban and") and len(s["statements"]) == 30
    for st in s["statements"]:
        assert s["text"][st["start"]:st["end"]] == st["exact"]


def test_neighbourhood_formats(client: httpx.Client) -> None:
    base = "/api/v1/nodes/actor/yonus-fakur/neighbourhood"
    j = client.get(base).json()
    assert j["nodes"][0] == {"id": "actor/yonus-fakur", "label": "Yonus Fakur", "type": "person", "kind": "actor",
                             "root": True}
    assert {e["label"] for e in j["edges"]} == {"said"} and all(e["statement"] for e in j["edges"])
    two = client.get(base, params={"depth": 2, "format": "cytoscape"}).json()
    ids = {n["data"]["id"] for n in two["elements"]["nodes"]}
    assert f"claim/{TACIT}" in ids and "source/dw-31lts" in ids
    assert all({"source", "target", "label"} <= set(e["data"]) for e in two["elements"]["edges"])
    g = client.get(base, params={"format": "graphology"}).json()
    assert g["options"]["type"] == "directed" and {n["key"] for n in g["nodes"]} == {n["id"] for n in j["nodes"]}


def test_neighbourhood_direction_predicate_and_pages(client: httpx.Client) -> None:
    base = "/api/v1/nodes/actor/taliban/neighbourhood"
    out = client.get(base, params={"direction": "out"}).json()
    assert {e["label"] for e in out["edges"] if e["source"] == "actor/taliban"} == {"said"}
    only = client.get(base, params={"predicate": "concerns"}).json()
    assert {e["label"] for e in only["edges"]} == {"concerns"}
    page1 = client.get(base, params={"limit": 5}).json()
    assert page1["truncated"] and page1["next"] and len(page1["nodes"]) == 6
    assert sum(g["total"] for g in page1["groups"]) > 5
    page2 = client.get(base, params={"limit": 5, "cursor": page1["next"]}).json()
    assert not {n["id"] for n in page1["nodes"][1:]} & {n["id"] for n in page2["nodes"][1:]}


@pytest.mark.parametrize(("params", "status"), [
    ({"depth": 0}, 422), ({"depth": 4}, 422), ({"limit": 1001}, 422), ({"limit": 0}, 422),
    ({"direction": "sideways"}, 422), ({"format": "svg"}, 422), ({"predicate": "likes"}, 400),
    ({"cursor": "%%%"}, 400),
])
def test_neighbourhood_bad_parameters(client: httpx.Client, params: dict[str, object], status: int) -> None:
    r = client.get("/api/v1/nodes/actor/taliban/neighbourhood", params=params)
    assert r.status_code == status
    assert r.json().get("message") or r.json().get("detail")


@pytest.mark.parametrize("path", [
    "/api/v1/actors/nobody", "/api/v1/claims/no-such-claim", "/api/v1/claims/no-such-claim/trace",
    "/api/v1/sources/nowhere", "/api/v1/nodes/actor/nobody/neighbourhood", "/api/v1/nodes/span/x/neighbourhood",
    "/id/actor/nobody", "/id/widget/x", "/explorer/secrets.txt",
])
def test_unknown_ids_are_404_with_a_message(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.json()["message"]


def test_search_ranks_and_links(client: httpx.Client) -> None:
    hits = client.get("/api/v1/search", params={"q": "cooperation"}).json()["hits"]
    assert hits[0]["id"] == f"claim/{TACIT}" and hits[0]["source"] == "source/dw-31lts"
    assert any(h["kind"] == "statement" for h in hits)  # the officials' denial quotes "cooperation"
    fakur = client.get("/api/v1/search", params={"q": "Fakur"}).json()["hits"]
    assert fakur[0]["id"] == "actor/yonus-fakur"
    # FTS5 syntax in user input is taken as words, not operators
    assert client.get("/api/v1/search", params={"q": 'blind" OR NEAR(eye'}).status_code == 200
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "!!!"}).status_code == 400
    assert client.get("/api/v1/search", params={"q": "x", "limit": 5000}).status_code == 422


def test_search_stays_fresh_after_ingest(live: tuple[httpx.Client, KnowledgeStore], sample_doc: Document) -> None:
    client, st = live
    assert client.get("/api/v1/search", params={"q": "quokka"}).json()["hits"] == []
    doc = copy.deepcopy(sample_doc)
    doc.source.id = "dw-31lts-copy"
    doc.actors.append(Actor(id="zyx-quokka", name="Zyx Quokka", type=ActorType.PERSON))
    st.ingest(doc)
    try:
        hits = client.get("/api/v1/search", params={"q": "quokka"}).json()["hits"]
        assert [(h["id"], h["source"]) for h in hits] == [("actor/zyx-quokka", "source/dw-31lts-copy")]
    finally:
        st.drop("dw-31lts-copy")
    assert client.get("/api/v1/search", params={"q": "quokka"}).json()["hits"] == []


def test_entity_iris_negotiate(client: httpx.Client) -> None:
    ttl = client.get("/id/actor/taliban", headers={"accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert "<https://claimgraph.org/id/actor/taliban>" in ttl.text and '"Taliban"' in ttl.text
    ld = client.get(f"/id/claim/{TACIT}", headers={"accept": "application/ld+json"})
    assert ld.headers["content-type"].startswith("application/ld+json")
    assert any(n.get("@id", "").endswith(TACIT) for n in ld.json())
    html = client.get("/id/actor/taliban", headers={"accept": "text/html"}, follow_redirects=False)
    assert html.status_code == 303 and html.headers["location"] == "/explore#actor/taliban"


def test_page_and_assets_are_local(client: httpx.Client) -> None:
    for path in ("/", "/explore"):
        r = client.get(path)
        assert r.status_code == 200 and "cytoscape.min.js" in r.text and "https://" not in r.text
    assert client.get("/explorer/cytoscape.min.js").text.startswith("/*")
    js = client.get("/explorer/explorer.js").text
    assert "fetch(API" in js and "http" not in js.replace("https://", "")  # only same-origin requests
    spec = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/actors", "/api/v1/claims/{id}/trace", "/api/v1/nodes/{kind}/{slug}/neighbourhood",
            "/api/v1/search", "/api/v1/sources/{id}"} <= set(spec)
