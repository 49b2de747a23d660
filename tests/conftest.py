"""Shared fixtures: real stores (in memory, on disk) loaded with the sample article."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import claimgraph
from claimgraph.model import Document
from claimgraph.store import KnowledgeStore, open_store
from tests.remote_server import (
    ISQL,
    MISSING,
    OXIGRAPH,
    VIRTUOSO,
    VIRTUOSO_MISSING,
    OxigraphServer,
    VirtuosoServer,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"

# Backends the parametrised `store` fixture runs on. "remote" is a real `oxigraph serve` on
# 127.0.0.1 (tests/remote_server.py); without the command those cases skip and say why.
# CLAIMGRAPH_TEST_STORES=embedded,remote,virtuoso adds a private Virtuoso (not in CI: ~25 s
# to create its database, and docs/remote.md lists what differs there).
STORE_KINDS = os.environ.get("CLAIMGRAPH_TEST_STORES", "embedded,remote").split(",")


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    if OXIGRAPH is None:
        pytest.skip(MISSING)
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server")).start()
    yield server
    server.stop()


@pytest.fixture
def remote_store(remote_server: OxigraphServer) -> KnowledgeStore:
    """A RemoteStore on the session's server, emptied first (opening reloads the ontology)."""
    remote_server.clear()
    return open_store(remote_server.url)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    if VIRTUOSO is None or ISQL is None:
        pytest.skip(VIRTUOSO_MISSING)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso-server")).start()
    yield server
    server.stop()


@pytest.fixture
def virtuoso_store(virtuoso_server: VirtuosoServer) -> KnowledgeStore:
    """A RemoteStore on the session's Virtuoso at its /sparql endpoint, emptied first."""
    virtuoso_server.clear()
    return open_store(virtuoso_server.endpoint)


@pytest.fixture(scope="session")
def sample_doc() -> Document:
    return claimgraph.load_annotation(SAMPLES / "dw-jawzjan.yaml")


@pytest.fixture(params=STORE_KINDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeStore]:
    """A fresh, empty store of each backend kind."""
    if request.param == "embedded":
        st = open_store(tmp_path / "store")
    else:
        st = request.getfixturevalue(f"{request.param}_store")
    yield st
    st.close()


@pytest.fixture
def store(empty_store: KnowledgeStore, sample_doc: Document) -> KnowledgeStore:
    """A store of each backend kind holding the sample article."""
    empty_store.ingest(sample_doc)
    return empty_store
