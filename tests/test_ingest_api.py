"""Ingest through the server (POST /api/v1/sources, DELETE /api/v1/sources/{id}) on a live uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.store import KnowledgeStore, open_store
from tests.conftest import SAMPLES
from tests.livesrv import serve

TOKEN = "test-token-ingest"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def inline_sample() -> dict[str, Any]:
    doc = yaml.safe_load((SAMPLES / "dw-jawzjan.yaml").read_text(encoding="utf-8"))
    doc["source"]["text"] = (SAMPLES / doc["source"].pop("text_file")).read_text(encoding="utf-8")
    return doc


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[httpx.Client, KnowledgeStore]]:
    st = open_store(tmp_path / "store")
    with serve(create_app(Settings(token=TOKEN), store=st)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c, st
    st.close()


def test_ingest_adds_then_is_unchanged_then_drops(live: tuple[httpx.Client, KnowledgeStore]) -> None:
    c, st = live
    empty = len(st)
    doc = inline_sample()
    r = c.post("/api/v1/sources", json=doc, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "dw-31lts" and r.json()["outcome"] == "added"
    assert st.sources() == ["dw-31lts"]
    full = len(st)
    assert full > empty
    assert c.get("/api/v1/status").json()["quads"] == full  # the cached count follows writes
    r = c.post("/api/v1/sources", content=yaml.safe_dump(doc), headers=AUTH | {"Content-Type": "application/yaml"})
    assert r.status_code == 200 and r.json()["outcome"] == "unchanged"
    assert len(st) == full
    # the explorer sees it at once
    assert c.get("/api/v1/sources/dw-31lts").status_code == 200
    assert c.delete("/api/v1/sources/dw-31lts", headers=AUTH).status_code == 204
    assert st.sources() == [] and len(st) == empty
    assert c.get("/api/v1/status").json()["quads"] == empty
    assert c.delete("/api/v1/sources/dw-31lts", headers=AUTH).status_code == 404


@pytest.mark.parametrize("headers,status", [({}, 401), ({"Authorization": "Bearer wrong"}, 401)])
def test_ingest_needs_the_token(live: tuple[httpx.Client, KnowledgeStore], headers: dict[str, str],
                                status: int) -> None:
    c, st = live
    before = len(st)
    r = c.post("/api/v1/sources", json=inline_sample(), headers=headers)
    assert r.status_code == status and "token" in r.json()["message"]
    assert c.delete("/api/v1/sources/dw-31lts", headers=headers).status_code == status
    assert len(st) == before


def test_bad_documents_are_400_and_write_nothing(live: tuple[httpx.Client, KnowledgeStore]) -> None:
    c, st = live
    assert c.post("/api/v1/sources", json=inline_sample(), headers=AUTH).status_code == 201
    before = len(st)
    bad = inline_sample()
    bad["statements"][0]["quote"] = {"text": "words that are not in the article", "start": 10, "end": 43}
    r = c.post("/api/v1/sources", json=bad, headers=AUTH)
    assert r.status_code == 400 and "statement 0 quote" in r.json()["message"]
    r = c.post("/api/v1/sources", content=b"source: [unclosed", headers=AUTH | {"Content-Type": "application/yaml"})
    assert r.status_code == 400 and "YAML" in r.json()["message"]
    r = c.post("/api/v1/sources", content=b"<a/>", headers=AUTH | {"Content-Type": "application/xml"})
    assert r.status_code == 415
    linked = inline_sample()
    linked["source"].pop("text")
    linked["source"]["text_file"] = "../../etc/passwd"
    r = c.post("/api/v1/sources", json=linked, headers=AUTH)
    assert r.status_code == 400 and "text_file" in r.json()["message"]
    assert len(st) == before
