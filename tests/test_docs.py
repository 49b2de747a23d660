"""The examples in docs/*.md run: every ```bash and ```python block, in order, page by page.

Each page gets a fresh working directory holding `data/` (the sample ingested; also
CLAIMGRAPH_DATA), `samples/` and `queries/`, so blocks can build on each other. Markers on the
line before a block (HTML comments, invisible on the rendered page):

    <!-- no-run -->      not run (installs, long-running servers)
    <!-- server -->      run against a live claimgraph server started by this test; the block's
                         http://127.0.0.1:8000 is replaced by the server's address
    <!-- needs: CMD -->  run only when `CMD --help` works (a command another part provides)
    <!-- file: NAME -->  not run: written to NAME in the page's directory (so is any block
                         followed by a line "Save it as `NAME`")

The generated ontology reference must equal the generator's output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import claimgraph
from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.rdf.ontology_doc import render

from .livesrv import serve

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DEMO_URL = "http://127.0.0.1:8000"

_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
_MARK = re.compile(r"<!--\s*(no-run|server|needs:\s*([^>]*?))\s*-->\s*$")
_FILE_MARK = re.compile(r"<!--\s*file:\s*(\S+)\s*-->\s*$")
_SAVE_AS = re.compile(r"\A\s*Save it as `([^`/]+)`")


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    code: str
    mark: str | None
    needs: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def blocks() -> list[Block]:
    out = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for m in _FENCE.finditer(text):
            if m.group(1) not in ("bash", "python"):
                continue
            before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
            mark = _MARK.search(before)
            kind = mark.group(1).split(":")[0] if mark else None
            out.append(Block(page.name, text[: m.start()].count("\n") + 1, m.group(1), m.group(2),
                             kind, mark.group(2).strip() if mark and mark.group(2) else None))
    return out


BLOCKS = [b for b in blocks() if b.mark != "no-run"]


def files(page: Path) -> dict[str, str]:
    """The blocks of a page that are files to write, by name."""
    text = page.read_text(encoding="utf-8")
    out = {}
    for m in _FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        named = _FILE_MARK.search(before) or _SAVE_AS.match(text[m.end():])
        if named:
            out[named.group(1)] = m.group(2)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("docs-template") / "data"
    with claimgraph.open(data) as kg:
        kg.ingest(ROOT / "samples" / "dw-jawzjan.yaml")
    return data


@pytest.fixture(scope="module")
def workspaces(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A working directory per page, made when the page's first block runs."""

    class Workspaces(dict[str, Path]):
        def __missing__(self, page: str) -> Path:
            ws = tmp_path_factory.mktemp(page.removesuffix(".md"))
            shutil.copytree(template, ws / "data")
            shutil.copytree(ROOT / "samples", ws / "samples")
            shutil.copytree(ROOT / "queries", ws / "queries", ignore=shutil.ignore_patterns("__*"))
            for name, body in files(DOCS / page).items():
                (ws / name).write_text(body, encoding="utf-8")
            self[page] = ws
            return ws

    return Workspaces()


@pytest.fixture(scope="module")
def server_url(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("docs-server") / "data"
    shutil.copytree(template, data)
    with serve(create_app(Settings(data=str(data)))) as url:
        yield url


def _available(cmd: str) -> bool:
    try:
        return subprocess.run([*cmd.split(), "--help"], capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_doc_block(block: Block, workspaces: dict[str, Path], request: pytest.FixtureRequest,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    if block.needs and not _available(block.needs):
        pytest.skip(f"`{block.needs}` is not available yet")
    code = block.code
    if block.mark == "server":
        code = code.replace(DEMO_URL, request.getfixturevalue("server_url"))
    elif DEMO_URL in code:
        pytest.fail(f"{block.id} talks to {DEMO_URL}: mark it <!-- server --> or <!-- no-run -->")
    ws = workspaces[block.page]
    if block.lang == "python":
        # in this process (a fresh namespace, the page's directory): saves an interpreter start per block
        monkeypatch.chdir(ws)
        monkeypatch.setenv("CLAIMGRAPH_DATA", str(ws / "data"))
        exec(compile(code, block.id, "exec"), {"__name__": "__main__"})  # noqa: S102 - the docs' own code
        return
    env = {**os.environ, "CLAIMGRAPH_DATA": str(ws / "data"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    cmd = ["bash", "-euo", "pipefail", "-c", code]
    r = subprocess.run(cmd, cwd=ws, env=env, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, f"{block.id} failed:\n{code}\n--- stdout\n{r.stdout[-3000:]}\n--- stderr\n{r.stderr[-3000:]}"


def test_every_page_has_runnable_examples() -> None:
    pages = {b.page for b in BLOCKS}
    for name in ("getting-started.md", "analysts.md", "fact-checkers.md", "operations.md"):
        assert name in pages, name


def test_ontology_reference_is_generated() -> None:
    committed = (DOCS / "ontology.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/ontology.md is stale: python -m claimgraph.rdf.ontology_doc > docs/ontology.md"


def test_ontology_reference_covers_every_term() -> None:
    from rdflib import OWL, RDF

    from claimgraph.rdf.vocab import CG_NS, ontology_graph

    g = ontology_graph()
    page = render()
    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for s in g.subjects(RDF.type, t):
            if str(s).startswith(CG_NS):
                assert f"### cg:{str(s)[len(CG_NS):]}\n" in page, s


def test_operations_documents_every_setting() -> None:
    from dataclasses import fields

    page = (DOCS / "operations.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        env = "CLAIMGRAPH_QUERY_WORKERS" if f.name == "workers" else f"CLAIMGRAPH_{f.name.upper()}"
        assert env in page, f"docs/operations.md does not mention {env} (Settings.{f.name})"
