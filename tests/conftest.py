"""Shared fixtures: real stores (in memory, on disk) loaded with the sample article."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import claimgraph
from claimgraph.model import Document
from claimgraph.store import KnowledgeStore, open_store
from tests.remote_server import OxigraphServer, ServerProcess, VirtuosoServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"

# Backends the parametrised `store` fixture runs on. "remote" is a real `oxigraph serve` on
# 127.0.0.1 with a union default graph (tests/remote_server.py), "stock" the same server started
# with no flags at all (its default graph is only the default graph: claimgraph's queries name
# their graphs); without the command those cases skip and say why.
# CLAIMGRAPH_TEST_STORES=embedded,remote,virtuoso adds a private Virtuoso (not in CI: ~25 s
# to create its database, and docs/remote.md lists what differs there).
STORE_KINDS = os.environ.get("CLAIMGRAPH_TEST_STORES", "embedded,remote,stock").split(",")


class StockOxigraphServer(OxigraphServer):
    """`oxigraph serve` as it comes: no --union-default-graph."""

    def __init__(self, location: Path) -> None:
        super().__init__(location, union=False)


SERVERS: dict[str, type[ServerProcess]] = {"remote": OxigraphServer, "stock": StockOxigraphServer,
                                           "virtuoso": VirtuosoServer}


@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], ServerProcess]]:
    """`sparql_server(kind)`: the session's real server of that kind, started at first use."""
    started: dict[str, ServerProcess] = {}

    def get(kind: str) -> ServerProcess:
        if kind not in started:
            launcher = SERVERS[kind]
            if launcher.missing:
                pytest.skip(launcher.missing)
            started[kind] = launcher(tmp_path_factory.mktemp(f"{kind}-server")).start()
        return started[kind]

    yield get
    for server in started.values():
        server.stop()


def _store_on(kind: str, sparql_server: Callable[[str], ServerProcess]) -> KnowledgeStore:
    """A RemoteStore on the session's server of `kind`, emptied first (opening reloads the ontology)."""
    server = sparql_server(kind)
    server.clear()
    return open_store(server.store_url)


@pytest.fixture
def remote_server(sparql_server: Callable[[str], ServerProcess]) -> ServerProcess:
    return sparql_server("remote")


@pytest.fixture
def remote_store(sparql_server: Callable[[str], ServerProcess]) -> KnowledgeStore:
    return _store_on("remote", sparql_server)


@pytest.fixture
def virtuoso_server(sparql_server: Callable[[str], ServerProcess]) -> ServerProcess:
    return sparql_server("virtuoso")


@pytest.fixture
def virtuoso_store(sparql_server: Callable[[str], ServerProcess]) -> KnowledgeStore:
    return _store_on("virtuoso", sparql_server)


@pytest.fixture(scope="session")
def sample_doc() -> Document:
    return claimgraph.load_annotation(SAMPLES / "dw-jawzjan.yaml")


@pytest.fixture(params=STORE_KINDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeStore]:
    """A fresh, empty store of each backend kind."""
    if request.param == "embedded":
        st = open_store(tmp_path / "store")
    else:
        st = _store_on(request.param, request.getfixturevalue("sparql_server"))
    yield st
    st.close()


@pytest.fixture
def store(empty_store: KnowledgeStore, sample_doc: Document) -> KnowledgeStore:
    """A store of each backend kind holding the sample article."""
    empty_store.ingest(sample_doc)
    return empty_store
