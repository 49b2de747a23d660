"""The kept views (claimgraph.store.summary): after every committed write, on the embedded store and on
a real `oxigraph serve`, the summary graph equals a full recount from the article graphs, and the
views read from it give the answers they gave by counting."""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.model import Document
from claimgraph.rdf.mapper import graph_iri, nquads, to_triples
from claimgraph.rdf.nodeid import node_id
from claimgraph.store import KnowledgeStore, open_store, summary
from claimgraph.store.base import ArticleGraph
from claimgraph.views import catalog
from claimgraph.views.neighbourhood import neighbourhood
from claimgraph.views.timeline import actor_timeline, claim_timeline
from claimgraph.views.trace import trace
from tests.conftest import _store_on
from tests.remote_server import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from gen import iter_documents  # noqa: E402

CG = "https://claimgraph.org/ns#"


def consistent(st: KnowledgeStore, *, incremental: bool = True) -> None:
    """The kept summary is a recount; with `incremental`, without a rebuild (the write kept it)."""
    if incremental:
        assert summary.is_fresh(st), "the write left the summary stale"
    assert summary.kept(st)
    assert summary.kept_triples(st) == summary.recount(st)


def article(doc: Document) -> ArticleGraph:
    return ArticleGraph(doc.source.id, "".join(nquads(to_triples(doc), graph_iri(doc.source.id))))


def flipped(doc: Document) -> Document:
    """The same article with its first claim-bearing statement's stance turned around."""
    sts = list(doc.statements)
    i = next(i for i, s in enumerate(sts) if s.claims)
    new = "denies" if sts[i].stance.value != "denies" else "asserts"
    sts[i] = dataclasses.replace(sts[i], stance=type(sts[i].stance)(new))
    return dataclasses.replace(doc, statements=sts)


@pytest.fixture(params=["embedded", "remote"])
def kind_store(request: pytest.FixtureRequest, tmp_path: Path,
               sparql_server: Callable[[str], ServerProcess]) -> Iterator[KnowledgeStore]:
    """An empty store: embedded, or a RemoteStore on the session's real `oxigraph serve`."""
    st = open_store(tmp_path / "store") if request.param == "embedded" else _store_on("remote", sparql_server)
    yield st
    st.close()


def test_every_write_keeps_the_summary_a_recount(kind_store: KnowledgeStore, sample_doc: Document) -> None:
    st = kind_store
    docs = list(iter_documents(15_000, seed=3))  # shared claims and hub actors across articles
    assert len(docs) >= 20
    consistent(st)
    st.ingest_many(docs[:12], validate=False)  # embedded: bulk_load batches
    consistent(st)
    st.ingest(sample_doc)
    consistent(st)
    st.write_articles([article(d) for d in docs[12:18]])  # corpus ingest's bulk path
    consistent(st)
    for d in docs[:4]:
        assert st.drop(d.source.id)
        consistent(st)
    st.ingest_many(docs[:4], validate=False)  # re-ingest what was dropped
    consistent(st)
    st.ingest(flipped(docs[5]), validate=False)  # replaced: a stance changes side
    consistent(st)
    # Graph Store PUT of an article graph with part of its statements, and of a graph of its own
    g = ox.NamedNode(str(graph_iri(docs[6].source.id)))
    triples = [q.triple for q in ox.parse("".join(nquads(to_triples(docs[6]), graph_iri(docs[6].source.id))),
                                                ox.RdfFormat.N_QUADS)]
    claim = next(t.object for t in triples if t.predicate.value == CG + "about")
    st.replace_graph(g, [t for t in triples if t.predicate.value != CG + "stance"][: len(triples) // 2])
    consistent(st)
    extra = ox.NamedNode("https://example.org/graph/extra")
    s = ox.NamedNode("https://example.org/st/1")
    st.replace_graph(extra, [ox.Triple(s, ox.NamedNode(CG + "about"), claim),
                             ox.Triple(s, ox.NamedNode(CG + "stance"), ox.NamedNode(CG + "Denies"))])
    consistent(st)
    st.add_to_graph(extra, [ox.Triple(s, ox.NamedNode(CG + "speaker"),
                                      ox.NamedNode("https://claimgraph.org/id/actor/someone-else"))])
    consistent(st)
    st.drop_graph(extra)
    consistent(st)
    # SPARQL Update may touch anything: marked stale, rebuilt before the next read
    st.update("DELETE { GRAPH ?g { ?st <https://claimgraph.org/ns#stance> <https://claimgraph.org/ns#Denies> } } "
              "WHERE { GRAPH ?g { ?st <https://claimgraph.org/ns#stance> <https://claimgraph.org/ns#Denies> } }")
    assert not summary.is_fresh(st)
    consistent(st, incremental=False)
    st.ingest(docs[6], validate=False)  # back to whole
    consistent(st)


def test_load_and_reindex_recount(tmp_path: Path, sample_doc: Document) -> None:
    a = open_store(tmp_path / "a")
    a.ingest_many(list(iter_documents(8_000, seed=5)), validate=False)
    a.ingest(sample_doc)
    buf = io.BytesIO()
    a.export(buf, "nquads")
    b = open_store(tmp_path / "b")
    b.load_nquads(buf.getvalue())
    consistent(b)
    assert summary.kept_triples(b) == summary.kept_triples(a)
    b.raw.update(summary.STALE)  # e.g. a write around claimgraph
    seen: list[tuple[int, int]] = []
    counted = summary.reindex(b, lambda done, total: seen.append((done, total)))
    assert counted["claims"] > 0 and seen[-1][0] == seen[-1][1] == counted["claims"] + counted["actors"]
    consistent(b)
    a.close()
    b.close()


def _answers(st: KnowledgeStore) -> dict[str, object]:
    claims = sorted(r[0].value for r in st.select("SELECT DISTINCT ?c WHERE { GRAPH ?g { ?c a cg:Claim } }").rows)
    actors = sorted(r[0].value for r in st.select("SELECT DISTINCT ?a WHERE { GRAPH ?g { ?x cg:speaker ?a } }").rows)
    out: dict[str, object] = {}
    for c in claims[::5]:
        out[c] = trace(st, node_id(c), limit=20)
        first = claim_timeline(st, node_id(c), limit=3)
        out[c + " timeline"] = [first, claim_timeline(st, node_id(c), limit=3, cursor=first["next"]),
                                claim_timeline(st, node_id(c), as_of="2019-06-15", limit=4)]
    for a in actors[::2]:
        out[a + " d2"] = neighbourhood(st, node_id(a), depth=2, limit=15)
        out[a + " in"] = neighbourhood(st, node_id(a), direction="in", limit=3)
        out[a + " said"] = neighbourhood(st, node_id(a), predicate="said", limit=3, cursor="Mw")
        out[a + " timeline"] = [actor_timeline(st, node_id(a), limit=4, cursor="2"),
                                actor_timeline(st, node_id(a), as_of="2018-01-31")]
    for k in (None, True, False):
        first = catalog.claims(st, contested=k, limit=7)
        out[f"claims {k}"] = [first, catalog.claims(st, contested=k, limit=7, cursor=first["next"])]
    return out


def test_views_answer_the_same_from_the_summary(tmp_path: Path, sample_doc: Document) -> None:
    st = open_store(tmp_path / "s")
    st.ingest_many(list(iter_documents(40_000, seed=1)), validate=False)
    st.ingest(sample_doc)
    kept = _answers(st)
    st.keeps_summary = False  # this handle now counts from the article graphs, as before
    counted = _answers(st)
    assert json.dumps(kept, sort_keys=True, default=str) == json.dumps(counted, sort_keys=True, default=str)
    st.close()
