"""Corpus ingest: inputs and rejects, Dask workers give the single-process graph, kill and resume,
the bulk write paths of both backends, retries on a busy server."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from claimgraph.corpus import ingest as corpus_ingest
from claimgraph.corpus.ingest import ingest_corpus
from claimgraph.corpus.inputs import Article, Reject, read_corpus
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.store.remote import RemoteStore
from tests.remote_server import ServerProcess

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = [("Jane Doe", "Finance Minister", "the budget was leaked"),
          ("Ahmed Karimi", "Interior Minister", "the police had been warned"),
          ("Maria Lopez", "Mayor", "the bridge was unsafe"),
          ("Tom Becker", "General", "the army had retreated"),
          ("Ana Silva", "Senator", "the election was rigged"),
          ("Li Wei", "spokesman", "the talks had failed")]


def _article(n: int) -> dict[str, str]:
    name, title, claim = PEOPLE[n % len(PEOPLE)]
    last = name.split()[-1]
    text = (f"{title} {name} rejected claims that {claim}. \"Nothing of the sort happened,\" {last} told "
            f"Reuters on Monday. Critics said the government had hidden the truth for weeks (report {n}).")
    return {"id": f"story-{n}", "title": f"{last} rejects report {n}", "text": text, "publisher": "Reuters"}


def _corpus(tmp: Path, n: int) -> Path:
    path = tmp / "corpus.jsonl"
    path.write_text("".join(json.dumps(_article(i)) + "\n" for i in range(n)), encoding="utf-8")
    return path


def _quads(store: KnowledgeStore) -> set[str]:
    buf = io.BytesIO()
    store.export(buf, "nquads")
    return {str(q) for q in ox.parse(buf.getvalue(), ox.RdfFormat.N_QUADS)}


# ------------------------------------------------------------------------------- inputs

def test_inputs_reject_bad_articles_and_map_columns(tmp_path: Path) -> None:
    rows = [
        b'{"body": "Doe said the budget was fine.", "headline": "Budget", "link": "https://x.org/a"}',
        b'{"body": ""}',
        b'{"body": "bin\\u0000ary"}',
        b'{"body": "caf\xe9 au lait"}',            # latin-1, not UTF-8
        b'{"body": "' + b"long " * 50 + b'"}',
        b'{"headline": "no text"}',
        b'not json',
        b'[1, 2]',
        b'{"body": 42}',
    ]
    with gzip.open(tmp_path / "feed.jsonl.gz", "wb") as f:
        f.write(b"\n".join(rows) + b"\n")
    (tmp_path / "t.csv").write_text('text,title\n"Doe said, in a long row, that it was fine.",A title\n,empty\n',
                                    encoding="utf-8")
    items = list(read_corpus([tmp_path], {"text": "body", "title": "headline"}, max_chars=200))
    jsonl = [i for i in items if "feed" in i.name]
    ok = jsonl[0]
    assert isinstance(ok, Article) and ok.meta == {"title": "Budget", "url": "https://x.org/a"}
    reasons = [i.reason for i in jsonl[1:]]
    assert all(isinstance(i, Reject) for i in jsonl[1:])
    for want, got in zip(["empty", "binary", "not UTF-8", "too long", "no text", "not JSON",
                          "not a JSON object", "not a string"], reasons, strict=True):
        assert want in got
    # CSV reads the default text column, not the mapped one: mapping says body, so CSV rows have none
    csv_items = [i for i in items if "t.csv" in i.name]
    assert all(isinstance(i, Reject) for i in csv_items)
    assert isinstance(next(read_corpus([tmp_path / "t.csv"])), Article)


def test_rejects_file_and_counts_and_a_second_run_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path, 3)
    with corpus.open("a", encoding="utf-8") as f:
        f.write('{"id": "empty", "text": "   "}\n{"id": "bad", "text": "\\u0001\\u0002"}\n')
    store = open_store(tmp_path / "data")
    rejects = tmp_path / "rejects.jsonl"
    report = ingest_corpus(store, [corpus], rejects=rejects)
    assert report.counts() == {"ingested": 3, "unchanged": 0, "rejected": 2}
    lines = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert [x["input"].rsplit(":", 1)[1] for x in lines] == ["4", "5"]
    assert "empty" in lines[0]["reason"] and "binary" in lines[1]["reason"]
    assert sorted(store.sources()) == ["story-0", "story-1", "story-2"]

    def no_parse(*_a: object, **_k: object) -> None:
        raise AssertionError("an unchanged article was sent to extraction")

    monkeypatch.setattr(corpus_ingest, "process_batch", no_parse)
    again = ingest_corpus(store, [corpus], rejects=rejects)
    assert again.counts() == {"ingested": 0, "unchanged": 3, "rejected": 2}
    store.close()


# ------------------------------------------------------------------------------- Dask

@pytest.mark.slow
def test_a_local_cluster_of_two_workers_gives_the_single_process_graph(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 6)
    single = open_store(None)
    one = ingest_corpus(single, [corpus], batch_size=2)
    dist = open_store(tmp_path / "dist")
    two = ingest_corpus(dist, [corpus], workers=2, batch_size=1, write_batch=2)
    assert one.counts() == two.counts() == {"ingested": 6, "unchanged": 0, "rejected": 0}
    assert len(two.workers) == 2  # both worker processes did batches
    assert _quads(single) == _quads(dist)
    dist.close()


_KILLER = """
import os, signal, sys
from claimgraph.corpus.ingest import ingest_corpus
from claimgraph.store import open_store

store = open_store(sys.argv[2])

def die(report):
    if report.ingested >= 2:          # after the first write batch: killed, no cleanup
        os.kill(os.getpid(), signal.SIGKILL)

ingest_corpus(store, [sys.argv[1]], batch_size=1, write_batch=2, on_written=die)
"""


def test_a_killed_run_restarts_and_does_only_the_rest(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 5)
    data = tmp_path / "data"
    run = subprocess.run([sys.executable, "-c", _KILLER, str(corpus), str(data)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == -signal.SIGKILL, run.stderr
    store = open_store(data)
    assert len(store.sources()) == 2
    report = ingest_corpus(store, [corpus])
    assert report.counts() == {"ingested": 3, "unchanged": 2, "rejected": 0}
    reference = open_store(None)
    ingest_corpus(reference, [corpus])
    assert _quads(store) == _quads(reference)
    store.close()


# ------------------------------------------------------------------------------- stores

@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store-post", "insert-data"])
def test_remote_bulk_paths_on_a_stock_server(sparql_server: Callable[[str], ServerProcess], tmp_path: Path,
                                             gsp: bool) -> None:
    server = sparql_server("stock")
    server.clear()
    corpus = _corpus(tmp_path, 4)
    remote = RemoteStore(server.store_url) if gsp else RemoteStore(server.store_url, store_path=None)
    heard: list[str | None] = []
    remote.on_change(heard.append)
    report = ingest_corpus(remote, [corpus], write_batch=3)
    assert report.counts() == {"ingested": 4, "unchanged": 0, "rejected": 0}
    assert sorted(heard) == [f"story-{i}" for i in range(4)]  # one change event per article
    reference = open_store(None)
    ingest_corpus(reference, [corpus])
    assert _quads(remote) == _quads(reference)
    assert ingest_corpus(remote, [corpus]).counts()["unchanged"] == 4
    remote.close()


def test_a_busy_server_is_asked_again(sparql_server: Callable[[str], ServerProcess]) -> None:
    server = sparql_server("stock")
    server.clear()
    real = httpx.Client(timeout=30)
    busy = {"left": 2}

    def handler(request: httpx.Request) -> httpx.Response:
        if busy["left"]:
            busy["left"] -= 1
            return httpx.Response(503, headers={"Retry-After": "0"}, text="busy")
        resp = real.send(real.build_request(request.method, request.url, headers=request.headers,
                                            content=request.content))
        return httpx.Response(resp.status_code, headers=resp.headers, content=resp.content)

    kg = RemoteStore(server.store_url)
    kg._client = httpx.Client(transport=httpx.MockTransport(handler))
    assert kg.query("ASK { }") is True
    assert busy["left"] == 0
    kg.retries = 0
    busy["left"] = 1
    with pytest.raises(Exception, match="503"):
        kg.query("ASK { }")


def test_the_search_index_survives_a_restart_and_catches_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.views.search import TextIndex

    corpus = _corpus(tmp_path, 3)
    data = tmp_path / "data"
    store = open_store(data)
    ingest_corpus(store, [corpus])  # the index beside the store is filled in the same run
    store.close()
    assert (data / "search-index.sqlite").exists()

    store = open_store(data)
    calls: list[str | None] = []
    real_rows = TextIndex._rows
    monkeypatch.setattr(TextIndex, "_rows", lambda self, g: calls.append(g) or real_rows(self, g))
    idx = TextIndex(store)
    assert idx.search("Karimi")[0]["id"] == "actor/ahmed-karimi"
    assert calls == []  # nothing re-indexed at the restart
    idx.close()
    # changed while no index listened: the next open re-indexes that article only
    changed = _article(1) | {"text": _article(1)["text"].replace("Karimi", "Rahimi")}
    (tmp_path / "changed.jsonl").write_text(json.dumps(changed) + "\n")
    ingest_corpus(store, [tmp_path / "changed.jsonl"], search_index=False)
    idx = TextIndex(store)
    assert idx.search("Rahimi")[0]["id"] == "actor/ahmed-rahimi"
    assert [h["id"] for h in idx.search("Karimi")] == ["source/story-1"]  # only the unchanged headline
    assert calls == ["story-1"]
    idx.close()
    store.close()
