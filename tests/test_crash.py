"""Crash safety: a writer SIGKILLed at random points leaves every article whole (bench/crash.py, short).

The full run (100 kills per mode) is `python bench/crash.py --kills 100 --mode both`; here a few
kills of each kind, on real child processes and a real `claimgraph serve`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.model import Document
from claimgraph.store.embedded import _PENDING, OxigraphStore
from claimgraph.store.sparql_service import Limits, SparqlService

ROOT = Path(__file__).resolve().parent.parent


def crash(tmp_path: Path, *args: str) -> str:
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "crash.py"), "--seed", "7", "--docs", "40",
                        "--work", str(tmp_path), *args], capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    assert "TOTAL violations: 0" in p.stdout, p.stdout[-4000:]
    return p.stdout


def test_embedded_writer_killed_leaves_whole_articles(tmp_path: Path) -> None:
    out = crash(tmp_path, "--mode", "embedded", "--kills", "5")
    m = re.search(r"embedded: (\d+) kills .* (\d+) acknowledged writes, violations 0", out)
    assert m and m.group(1) == "5", out


def test_server_killed_under_writes_leaves_whole_articles(tmp_path: Path) -> None:
    out = crash(tmp_path, "--mode", "server", "--kills", "3")
    m = re.search(r"server: (\d+) kills .* violations 0; restart until /api/v1/status answers", out)
    assert m and m.group(1) == "3", out
    assert "server final check of the stopped store:" in out and "0 violations" in out
    assert re.search(r"server readers while it was up: \d+ ok, 0 5xx", out), out


@pytest.mark.parametrize("torn", ["", '["https://claimgraph.org/id/graph/dw-31lts", "https://clai'])
def test_a_torn_bulk_marker_does_not_lock_the_store(tmp_path: Path, sample_doc: Document, torn: str) -> None:
    # a kill between creating the marker and finishing its write leaves it empty or cut short;
    # bulk_load only starts once the marker is whole, so the store opens and keeps what it had
    st = OxigraphStore(tmp_path / "s")
    st.ingest(sample_doc)
    quads = len(st)
    st.close()
    (tmp_path / "s" / _PENDING).write_text(torn)
    st = OxigraphStore(tmp_path / "s")
    assert not (tmp_path / "s" / _PENDING).exists()
    assert st.sources() == [sample_doc.source.id] and len(st) == quads
    st.close()



def read_only_open(path: Path) -> float:
    """Seconds a query worker's reopen takes (retried, as workers do, when a compaction races it)."""
    for attempt in range(5):
        t = time.perf_counter()
        try:
            bool(ox.Store.read_only(str(path)).query("ASK { ?s ?p ?o }"))
            return time.perf_counter() - t
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def test_writes_to_a_served_store_keep_worker_reopens_cheap(tmp_path: Path, sample_doc: Document) -> None:
    # the query workers reopen the store read-only after each write, and a read-only open replays
    # the write-ahead log since the last flush: unflushed, the soak's writer made every reopen (and
    # so every SPARQL query) slower until they all ran past the timeout
    st = OxigraphStore(tmp_path / "s")
    svc = SparqlService(st, Limits(), workers=1)
    try:
        for i in range(20):
            st.ingest(replace(sample_doc, source=replace(sample_doc.source, title=f"revision {i}")))
        reopen = read_only_open(tmp_path / "s")
        st.flush()
        flushed = read_only_open(tmp_path / "s")
        assert reopen < 3 * flushed + 0.15, f"reopen {reopen:.2f} s, {flushed:.2f} s once flushed"
        assert svc.generation == 20
    finally:
        svc.close()
        st.close()
