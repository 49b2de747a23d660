"""A newcomer's first hour (issue 19): bad input is one line, the suite never touches ./data or
port 8000, and a wheel installed with `pip install` alone ingests raw text and serves."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT, SAMPLES
from .livesrv import free_port


def cli(*args: str, cwd: Path, data: Path | None = None, env: dict[str, str] | None = None,
        stdin: str | None = None, exe: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [*(exe or [sys.executable, "-m", "claimgraph.cli"]), *args]
    if data is not None:
        cmd += ["--data", str(data)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, input=stdin, timeout=300,
                          env=env or {**os.environ})


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(("error: ", "invalid: ")), r.stderr[-2000:]
    return r.stderr


# ---------------------------------------------------------------- every bad input is one line


def test_a_ten_thousand_digit_integer_is_one_line(tmp_path: Path) -> None:
    digits = "9" * 10_000
    for name, body in {
        "big.yaml": f"source: {{id: x, text: 'Ann said hi.'}}\nactors: [{{id: ann, name: Ann, type: person}}]\n"
                    f"statements: [{{speakers: [ann], cue: said, quote: hi, start: {digits}}}]\n",
        "big.json": f'{{"source": {{"id": "x", "text": "a"}}, "actors": [], "statements": [], "n": {digits}}}',
    }.items():
        (tmp_path / name).write_text(body)
        for cmd in ("ingest", "validate"):
            r = cli(cmd, str(tmp_path / name), cwd=tmp_path, data=tmp_path / "d" if cmd == "ingest" else None)
            msg = one_line_error(r)
            assert "10,000 digits" in msg and "quote it" in msg, msg
    assert not (tmp_path / "d").exists()


def test_an_article_longer_than_the_parser_takes_is_refused_with_its_size(tmp_path: Path) -> None:
    # ~10 MB, one sentence: spaCy's E088 is a traceback without the guard
    (tmp_path / "long.txt").write_text("Ann said " + "word " * 2_000_000 + ".")
    for cmd in ("ingest", "extract"):
        r = cli(cmd, str(tmp_path / "long.txt"), cwd=tmp_path, data=tmp_path / "d" if cmd == "ingest" else None)
        msg = one_line_error(r)
        assert "10,000,010 characters" in msg and "1,000,000" in msg and "split it" in msg, msg
    r = cli("ingest", "-", cwd=tmp_path, data=tmp_path / "d", stdin="Ann said " + "word " * 250_000)
    assert "1,000,000" in one_line_error(r)
    assert not (tmp_path / "d").exists()


def test_bad_text_encoding_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe broken")
    assert "not UTF-8" in one_line_error(cli("ingest", str(tmp_path / "bad.txt"), cwd=tmp_path,
                                             data=tmp_path / "d"))
