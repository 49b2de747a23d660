"""The remote backend against a real `oxigraph serve` on 127.0.0.1: what is specific to it.

The shared behaviour (round trips, SHACL rejection, exports, stats, named queries...) runs on
both backends through the parametrised `empty_store` / `store` fixtures in conftest.py.
"""

from __future__ import annotations

import copy
import io
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from claimgraph.errors import QueryError, StoreError
from claimgraph.model import Document
from claimgraph.rdf.mapper import graph_iri
from claimgraph.store import KnowledgeStore, Rows, open_store
from claimgraph.store.remote import RemoteStore
from tests.remote_server import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
CONTESTED = (ROOT / "queries" / "contested-claims.rq").read_text()

sys.path.insert(0, str(ROOT / "bench"))
from gen import iter_documents  # noqa: E402


def graph_size(url: str, source_id: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri(source_id)}> {{ ?s ?p ?o }} }}"
    r = httpx.post(f"{url}/query", content=q.encode(), timeout=10,
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_open_store_with_a_url_is_remote(remote_store: KnowledgeStore) -> None:
    assert isinstance(remote_store, RemoteStore)
    # the ontology graph is loaded at open, and only once
    n = len(remote_store)
    assert n > 100
    assert len(open_store(remote_store.url)) == n  # type: ignore[attr-defined]


def test_ingest_is_idempotent_and_replaces_whole(remote_store: RemoteStore, sample_doc: Document) -> None:
    assert remote_store.ingest(sample_doc).outcome == {"dw-31lts": "added"}
    n = len(remote_store)
    assert remote_store.ingest(sample_doc).outcome == {"dw-31lts": "unchanged"}
    assert remote_store.ingest_many([sample_doc]).outcome == {"dw-31lts": "unchanged"}
    assert len(remote_store) == n
    smaller = copy.deepcopy(sample_doc)
    smaller.statements = smaller.statements[:3]
    assert remote_store.ingest(smaller).outcome == {"dw-31lts": "replaced"}
    assert len(remote_store) < n
    assert remote_store.sources() == ["dw-31lts"]


def test_readers_never_see_half_an_article(remote_store: RemoteStore, sample_doc: Document) -> None:
    # a reader polling the article's graph while it is rewritten sees the old or the new graph,
    # never an empty or partial one: each ingest is one update request, one server transaction
    smaller = copy.deepcopy(sample_doc)
    smaller.statements = smaller.statements[:3]
    remote_store.ingest(sample_doc)
    full = graph_size(remote_store.url, "dw-31lts")
    remote_store.ingest(smaller)
    small = graph_size(remote_store.url, "dw-31lts")
    assert full > small > 0
    seen: set[int] = set()
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            seen.add(graph_size(remote_store.url, "dw-31lts"))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(3):
            remote_store.ingest(sample_doc, validate=False)
            remote_store.ingest(smaller, validate=False)
    finally:
        stop.set()
        reader.join()
    assert seen <= {full, small}
    assert seen


def test_contested_claims_match_the_embedded_store(remote_store: RemoteStore, sample_doc: Document) -> None:
    docs = [sample_doc, *iter_documents(1500, seed=7)]
    embedded = open_store(None)
    embedded.ingest_many(docs, validate=False)
    remote_store.ingest_many(docs)  # SHACL-validated: the generator writes valid articles
    a, b = embedded.query(CONTESTED), remote_store.query(CONTESTED)
    assert isinstance(a, Rows) and isinstance(b, Rows)
    assert a.variables == b.variables
    assert len(a) > 10
    assert a.rows == b.rows  # same terms, same ORDER BY
    assert remote_store.sources() == embedded.sources()
    assert len(remote_store) == len(embedded)


def test_bindings_are_values_not_text(store: KnowledgeStore) -> None:
    n = len(store)
    hostile = '"} } ; DROP ALL ; SELECT * WHERE { {"'
    rows = store.select("SELECT ?a WHERE { ?a schema:name ?name }", {"name": hostile})
    assert len(rows) == 0
    assert len(store) == n


def test_query_errors_are_query_errors(remote_store: RemoteStore) -> None:
    with pytest.raises(QueryError, match="rejected the query"):
        remote_store.query("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError):
        remote_store.query("DROP ALL")  # an update is not a query
    assert len(remote_store) > 0


def test_construct_and_ask(store: KnowledgeStore) -> None:
    triples = store.query("CONSTRUCT { ?a schema:name ?n } WHERE { GRAPH ?g { ?a a cg:ArmedGroup ; schema:name ?n } }")
    assert isinstance(triples, list)
    assert {t.object.value for t in triples} >= {"Taliban", "Islamic State"}
    assert store.query("ASK { GRAPH ?g { ?s cg:sourceId 'dw-31lts' } }") is True


def test_load_nquads_matches_an_embedded_export(remote_store: RemoteStore, sample_doc: Document) -> None:
    embedded = open_store(None)
    embedded.ingest(sample_doc)
    buf = io.BytesIO()
    embedded.export(buf, "nquads")
    assert remote_store.load_nquads(buf.getvalue()) == len(embedded)
    assert remote_store.sources() == ["dw-31lts"]
    out = io.BytesIO()
    remote_store.export(out, "nquads")
    assert sorted(out.getvalue().decode().splitlines()) == sorted(buf.getvalue().decode().splitlines())


def test_read_only_handle_refuses_writes(remote_store: RemoteStore, sample_doc: Document) -> None:
    ro = RemoteStore(remote_store.url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.ingest(sample_doc)
    with pytest.raises(StoreError, match="read-only"):
        ro.drop("dw-31lts")
    assert ro.sources() == []


def test_a_source_id_cannot_break_out_of_the_graph_iri(store: KnowledgeStore) -> None:
    n = len(store)
    with pytest.raises(ValueError):
        store.drop("x> } ; DROP ALL ; #")
    assert len(store) == n


def test_unreachable_server_is_a_store_error() -> None:
    from tests.remote_server import free_port

    with pytest.raises(StoreError, match="cannot reach"):
        RemoteStore(f"http://127.0.0.1:{free_port()}", timeout=2)


def test_a_server_without_union_default_graph_is_used_as_it_comes(sparql_server: Callable[[str], ServerProcess],
                                                                   sample_doc: Document) -> None:
    # the stock server's default graph is only its default graph: claimgraph's queries name graphs
    server = sparql_server("stock")
    server.clear()
    kg = RemoteStore(server.store_url)
    assert kg.union_default_graph is False
    kg.ingest(sample_doc)
    assert kg.stats().statements == len(sample_doc.statements)
    assert open_store(sparql_server("remote").store_url).union_default_graph is True


def test_an_article_twice_in_one_batch_run_is_replaced_not_merged(empty_store: KnowledgeStore,
                                                                  sample_doc: Document, tmp_path: Path) -> None:
    smaller = copy.deepcopy(sample_doc)
    smaller.statements = smaller.statements[:3]
    reference = open_store(None)
    reference.ingest(smaller)
    assert empty_store.ingest_many([sample_doc, smaller]).outcome == {"dw-31lts": "replaced"}
    assert len(empty_store) == len(reference)
    # embedded, with tiny batches: the first copy is still loading in the worker thread when the
    # second arrives
    from claimgraph.store.embedded import OxigraphStore

    st = OxigraphStore(tmp_path / "tiny-batches")
    assert st.ingest_many([sample_doc, smaller], validate=False, batch_triples=10).outcome == {"dw-31lts": "replaced"}
    assert len(st) == len(reference)
