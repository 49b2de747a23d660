"""The CLI as a new user runs it: real subprocesses on a real on-disk store."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES


def run(*args: str, data: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimgraph.cli", *args, "--data", str(data)],
                          capture_output=True, text=True, input=stdin, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "data"
    r = run("ingest", str(SAMPLES / "dw-jawzjan.yaml"), data=d)
    assert r.returncode == 0, r.stderr
    assert "1 added" in r.stdout
    return d


def test_contested_claims_query_names_fakur_and_the_deniers(data: Path) -> None:
    r = run("query", "-f", "queries/contested-claims.rq", "--format", "csv", data=data)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    coop = [x for x in rows if x["claim"].endswith("/afghan-government-tacitly-cooperates-with-taliban")]
    alleging = {x["speakerName"] for x in coop if x["stance"] == "alleges"}
    opposing = {x["speakerName"] for x in coop if x["side"] == "opposes"}
    assert "Yonus Fakur" in alleging
    assert opposing == {"Afghan officials", "Taliban"}
    fakur_quotes = [x["quote"] for x in coop if x["speakerName"] == "Yonus Fakur"]
    assert any("turned a blind eye" in q for q in fakur_quotes)
    assert all(x["quote"] for x in coop)
    text = (SAMPLES / "dw-jawzjan.txt").read_text()
    for x in coop:
        assert text[int(x["start"]):int(x["end"])] == x["quote"]


def test_reingest_is_a_no_op(data: Path) -> None:
    before = run("stats", "--format", "json", data=data).stdout
    r = run("ingest", str(SAMPLES), data=data)
    assert r.returncode == 0, r.stderr
    assert "1 unchanged" in r.stdout
    assert run("stats", "--format", "json", data=data).stdout == before


def test_bad_input_is_one_line_and_nonzero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: {id: x, text: hello}\nstatements: [{speakers: [nobody], quote: hi}]\n")
    r = run("ingest", str(bad), data=tmp_path / "d")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "error:" in r.stderr and "nothing was ingested" in r.stderr
    assert not (tmp_path / "d").exists()
    r = run("ingest", str(tmp_path / "missing.yaml"), data=tmp_path / "d")
    assert r.returncode == 1 and "no such file" in r.stderr
    r = run("query", "SELECT nonsense", data=tmp_path / "d")
    assert r.returncode == 1 and "syntax error" in r.stderr.lower()


def test_stdin_and_validate(tmp_path: Path) -> None:
    doc = "source: {id: s1, text: 'Ann said hi.'}\nactors: [{id: ann, name: Ann, type: person}]\n" \
          "statements: [{speakers: [ann], cue: said, quote: hi}]\n"
    r = run("ingest", "-", data=tmp_path / "d", stdin=doc)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "claimgraph.cli", "validate", str(SAMPLES / "dw-jawzjan.yaml")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "ok (30 statements" in r.stdout


@pytest.mark.parametrize("fmt", ["trig", "nquads", "turtle", "jsonld"])
def test_export(data: Path, fmt: str) -> None:
    r = run("export", "--format", fmt, data=data)
    assert r.returncode == 0 and "dw-31lts" in r.stdout


@pytest.mark.parametrize("cmd", ["ingest", "query", "export", "validate", "stats", "drop", "load", "serve"])
def test_help_teaches_with_an_example(cmd: str) -> None:
    r = subprocess.run([sys.executable, "-m", "claimgraph.cli", cmd, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    assert "Example" in r.stdout
