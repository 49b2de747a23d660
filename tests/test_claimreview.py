"""schema.org Claim/ClaimReview export: the view, the CLI and the API, checked against schema.org's
vocabulary (rdflib's SDO namespace lists every schema.org term) and read back by rdflib's JSON-LD
parser from the inline context, with the network closed."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SDO
from typer.testing import CliRunner

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.cli.main import app as cli
from claimgraph.errors import AnnotationError, NotFound
from claimgraph.model import annotation
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.views.claimreview import claim_review, export_claimreview

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "timeline"
SCHEMA_TERMS = set(SDO.__annotations__)
# Google's required ClaimReview fields (developers.google.com/search/docs/appearance/structured-data/factcheck)
REQUIRED_REVIEW = ("claimReviewed", "reviewRating", "author", "url")


@pytest.fixture
def dated() -> Iterator[KnowledgeStore]:
    st = open_store()
    for f in sorted(FIXTURES.glob("*.yaml")):
        st.ingest(annotation.load(f))
    yield st
    st.close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("the JSON-LD parser tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _parse(doc: dict[str, Any]) -> Graph:
    assert isinstance(doc["@context"], dict), "the context is inline, never a URL to fetch"
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def _schema_terms_used(g: Graph) -> set[str]:
    out = set()
    for _s, p, o in g:
        for t in (p, o if p == RDF.type else None):
            if isinstance(t, URIRef) and str(t).startswith(str(SDO)):
                out.add(str(t)[len(str(SDO)):])
    return out


def test_claim_with_review_is_schema_org(dated: KnowledgeStore, no_network: None) -> None:
    doc = claim_review(dated, "ceasefire-agreed")
    g = _parse(doc)
    used = _schema_terms_used(g)
    assert used - SCHEMA_TERMS == set(), "every type and property is a schema.org term"
    assert {"Claim", "ClaimReview", "Rating", "Quotation", "appearance", "firstAppearance"} <= used
    claim, review = doc["@graph"]
    assert claim["@type"] == "Claim" and review["@type"] == "ClaimReview"
    for field in REQUIRED_REVIEW:
        assert field in review, field
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "Mostly false"}
    assert review["itemReviewed"] == {"@id": claim["@id"]}
    # appearances in time order; the first is the ministry's assertion of 10 March
    days = [a.get("dateCreated") for a in claim["appearance"]]
    assert days == sorted(days) and days[0] == "2018-03-10"
    assert claim["firstAppearance"] == {"@id": claim["appearance"][0]["@id"]}
    assert [a["name"] for a in claim["author"]] == ["Mara Oduya"]  # supporters author it, deniers do not
    denial = next(a for a in claim["appearance"] if a["text"] == "any ceasefire had been agreed")
    assert denial["dateCreated"] == "2018-04-18"  # the day the text gives, not the article's 20 April
    assert denial["spokenByCharacter"][0]["name"] == "Idris Kalu"
    assert denial["isPartOf"]["url"] == "https://news.example.org/tl-b"
    # read back: the same triples say the same things
    rv = URIRef(review["@id"])
    assert (rv, SDO.itemReviewed, URIRef(claim["@id"])) in g
    assert str(g.value(g.value(rv, SDO.reviewRating), SDO.alternateName)) == "Mostly false"
    assert (URIRef(denial["@id"]), SDO.isPartOf, URIRef(denial["isPartOf"]["@id"])) in g


def test_sample_claims_without_dates_or_reviews(store: KnowledgeStore, no_network: None) -> None:
    doc = export_claimreview(store)
    g = _parse(doc)
    assert _schema_terms_used(g) - SCHEMA_TERMS == set()
    claims = [n for n in doc["@graph"] if n["@type"] == "Claim"]
    assert claims and not [n for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    coop = next(c for c in claims if c["@id"].endswith("/tacit-cooperation-afghan-forces-taliban")
                or "blind eye" in json.dumps(c))
    # the DW sample has no date: no day is made up, so there is no first appearance either
    assert all("dateCreated" not in a for c in claims for a in c["appearance"])
    assert "firstAppearance" not in coop


def test_one_source_and_unknown_ids(dated: KnowledgeStore) -> None:
    only_d = export_claimreview(dated, "tl-d")["@graph"]
    assert [n["@id"].rsplit("/", 1)[1] for n in only_d] == ["secret-talks"]
    with pytest.raises(NotFound):
        claim_review(dated, "no-such-claim")
    with pytest.raises(NotFound):
        export_claimreview(dated, "no-such-source")


def test_cli_and_api(tmp_path: Path, no_network: None) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    res = runner.invoke(cli, ["ingest", str(FIXTURES), "--data", str(data)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["export", "--format", "claimreview", "--data", str(data)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {n["@type"] for n in doc["@graph"]} == {"Claim", "ClaimReview"}
    _parse(doc)
    st = open_store(data)
    with TestClient(create_app(Settings(), store=st)) as c:
        r = c.get("/api/v1/claims/ceasefire-agreed", params={"format": "claimreview"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
        assert r.json() == claim_review(st, "ceasefire-agreed")
        assert c.get("/api/v1/claims/nope", params={"format": "claimreview"}).status_code == 404
    st.close()


def test_review_and_date_checks() -> None:
    text = (FIXTURES / "c-denial-repeated.yaml").read_text()
    with pytest.raises(AnnotationError, match="outside worst..best"):
        annotation.loads(text.replace("rating: 2", "rating: 9"))
    with pytest.raises(AnnotationError, match="reviewer 'nobody' is not an actor"):
        annotation.loads(text.replace("reviewer: checkpoint-desk", "reviewer: nobody"))
    b = (FIXTURES / "b-front-denies.yaml").read_text()
    with pytest.raises(AnnotationError, match="after the article's date"):
        annotation.loads(b.replace("date: 2018-04-18", "date: 2018-05-18", 1))
