"""The W3C SPARQL 1.1 test suite (../shared/sparql11-suite) against a live claimgraph server.

The server runs as the suite needs it: the default graph is the store's real default graph
(CLAIMGRAPH_UNION_DEFAULT_GRAPH=false) and writes are enabled with a token. Measured: 440 passed of
475 run (92.6%); the floor below sits just under that. docs/sparql.md lists what fails and why.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SHARED
from .test_sparql_protocol import live_server

SUITE = SHARED / "sparql11-suite"


@pytest.mark.slow
@pytest.mark.skipif(not (SUITE / "run_suite.py").exists(),
                    reason="the W3C suite lives in ../shared/sparql11-suite, which is not here")
def test_w3c_sparql11_suite(tmp_path: Path) -> None:
    with live_server(tmp_path / "scratch", token="suite", union_default_graph="false") as url:
        out = subprocess.run([sys.executable, str(SUITE / "run_suite.py"), "--query-url", url + "/sparql",
                              "--update-url", url + "/update", "--token", "suite", "--timeout", "20",
                              "--min-pass", "0.92"], cwd=SUITE, capture_output=True, text=True, timeout=600)
    summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    passed = int(summary.split()[0])
    assert passed >= 438, summary
