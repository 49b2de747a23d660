"""Shared fixtures: real stores (in memory, on disk) loaded with the sample article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimgraph
from claimgraph.model import Document
from claimgraph.store import KnowledgeStore, open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"

# Backends the parametrised `store` fixture runs on; the remote backend adds itself here.
STORE_KINDS = ["embedded"]


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
