"""The foundation: model <-> RDF round trip, idempotent and atomic ingest, SHACL, spans, exports."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

import claimgraph
from claimgraph.errors import AnnotationError, ValidationError
from claimgraph.model import Document, Span, annotation
from claimgraph.rdf import mapper
from claimgraph.rdf.vocab import CG, RDF, SCHEMA
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.store.embedded import OxigraphStore

from .conftest import SAMPLES


def canonical(doc: Document) -> dict:
    """The document as data with every list sorted (RDF has no order)."""
    d = annotation.to_dict(doc)

    def sort(x: object) -> object:
        if isinstance(x, dict):
            return {k: sort(v) for k, v in x.items() if k != "id" or "quote" not in x}
        if isinstance(x, list):
            return sorted((sort(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return x

    return sort(d)  # type: ignore[return-value]


def test_round_trip_model_rdf_model(sample_doc: Document) -> None:
    back = mapper.from_graph(mapper.to_graph(sample_doc), sample_doc.source.id)
    assert canonical(back) == canonical(sample_doc)


def test_round_trip_through_the_store(store: KnowledgeStore, sample_doc: Document) -> None:
    buf = io.BytesIO()
    store.export(buf, "turtle", sample_doc.source.id)
    back = mapper.from_graph(Graph().parse(data=buf.getvalue(), format="turtle"), sample_doc.source.id)
    assert canonical(back) == canonical(sample_doc)


def test_iris_are_deterministic_and_there_are_no_blank_nodes(sample_doc: Document) -> None:
    a, b = mapper.to_triples(sample_doc), mapper.to_triples(copy.deepcopy(sample_doc))
    assert a == b
    assert all(not isinstance(t, ox.BlankNode) and "_:" not in str(t)[:2] for tr in a for t in tr)


def test_every_quote_span_matches_the_text(sample_doc: Document) -> None:
    text = sample_doc.source.text
    spans = sample_doc.spans()
    assert len(spans) > 50
    for where, span in spans:
        assert text[span.start:span.end] == span.text, where


def test_reingest_changes_nothing(tmp_path: Path, sample_doc: Document) -> None:
    st = open_store(tmp_path / "s")
    assert st.ingest(sample_doc).outcome == {"dw-31lts": "added"}
    n = len(st)
    st.close()
    st = open_store(tmp_path / "s")  # persistence: reopen from disk
    assert len(st) == n
    assert st.ingest(sample_doc).outcome == {"dw-31lts": "unchanged"}
    assert st.ingest_many([sample_doc]).outcome == {"dw-31lts": "unchanged"}
    assert len(st) == n
    st.close()


def test_changed_article_replaces_its_graph_whole(empty_store: KnowledgeStore, sample_doc: Document) -> None:
    empty_store.ingest(sample_doc)
    smaller = copy.deepcopy(sample_doc)
    smaller.statements = smaller.statements[:3]
    assert empty_store.ingest(smaller).outcome == {"dw-31lts": "replaced"}
    n = empty_store.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a cg:Statement } }").rows[0][0]
    assert int(n.value) == 3


def test_shacl_rejection_writes_nothing(empty_store: KnowledgeStore, sample_doc: Document) -> None:
    before = len(empty_store)
    bad = copy.deepcopy(sample_doc)
    bad.statements[0].speakers = []  # a non-narration statement without a speaker
    with pytest.raises(ValidationError) as e:
        empty_store.ingest(bad, validate=True)
    msg = str(e.value)
    assert "statement/dw-31lts.269-463" in msg and "speaker" in msg and "nothing was written" in msg
    assert len(empty_store) == before
    assert empty_store.sources() == []


def test_shacl_rejects_in_a_batch_before_any_write(empty_store: KnowledgeStore, sample_doc: Document) -> None:
    good = copy.deepcopy(sample_doc)
    good.source.id = "good-article"
    bad = copy.deepcopy(sample_doc)
    bad.source.id = "bad-article"
    bad.claims[0].text = ""  # passes the model check, breaks the claim shape
    with pytest.raises(ValidationError, match="claim needs its text"):
        empty_store.ingest_many([good, bad])
    assert empty_store.sources() == []


def test_failure_midway_leaves_the_store_unchanged(tmp_path: Path, sample_doc: Document,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    st = OxigraphStore(tmp_path / "s")
    st.ingest(sample_doc)
    before = sorted(str(q) for q in st.raw)
    changed = copy.deepcopy(sample_doc)
    changed.statements = changed.statements[:5]

    real_nt = mapper._nt
    calls = {"n": 0}

    def exploding(term: object) -> str:
        calls["n"] += 1
        if calls["n"] == 300:  # midway through serialising the new graph
            raise RuntimeError("injected failure")
        return real_nt(term)  # type: ignore[arg-type]

    monkeypatch.setattr(mapper, "_nt", exploding)
    with pytest.raises(RuntimeError, match="injected"):
        st.ingest(changed)
    monkeypatch.setattr(mapper, "_nt", real_nt)
    assert sorted(str(q) for q in st.raw) == before

    # a failure inside the store's own write (an update that breaks at its last operation)
    with pytest.raises(OSError):
        raise_in_store_update(st)
    assert sorted(str(q) for q in st.raw) == before
    st.close()


def raise_in_store_update(st: OxigraphStore) -> None:
    g = mapper.graph_iri("dw-31lts")
    try:
        st.raw.update(f"DROP GRAPH <{g}> ; DROP GRAPH <{g}/does-not-exist>")
    except RuntimeError as e:
        raise OSError(str(e)) from None


def test_annotation_offsets_that_do_not_match_are_rejected(tmp_path: Path) -> None:
    raw = (SAMPLES / "dw-jawzjan.yaml").read_text().replace("start: 269\n", "start: 270\n", 1)
    (tmp_path / "dw-jawzjan.txt").write_text((SAMPLES / "dw-jawzjan.txt").read_text())
    p = tmp_path / "bad.yaml"
    p.write_text(raw)
    with pytest.raises(AnnotationError, match=r"text\[270:463\]"):
        annotation.load(p)


def test_bad_url_is_a_clear_error(sample_doc: Document) -> None:
    bad = copy.deepcopy(sample_doc)
    bad.source.url = "not a url"
    assert any("not an absolute http(s) URL" in p for p in bad.check())


def test_annotation_spans_may_be_given_by_text() -> None:
    doc = annotation.loads(
        "source: {id: t1, text: 'Ann said hello. Bob said hello.'}\n"
        "actors: [{id: bob, name: Bob, type: person}]\n"
        "statements: [{speakers: [bob], cue: {text: said, occurrence: 2}, quote: {text: hello, after: 16}}]\n")
    s = doc.statements[0]
    assert (s.cue.start, s.quote.start) == (20, 25)
    assert s.quote == Span(25, 30, "hello")


@pytest.mark.parametrize("fmt", ["trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"])
def test_exports_parse_back(store: KnowledgeStore, fmt: str) -> None:
    buf = io.BytesIO()
    store.export(buf, fmt)
    data = buf.getvalue()
    rdflib_fmt = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "ntriples": "nt",
                  "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
    if fmt in ("trig", "nquads", "jsonld"):  # dataset formats keep the article graphs
        ds = Dataset()
        ds.parse(data=data, format=rdflib_fmt)
        graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert str(mapper.graph_iri("dw-31lts")) in graphs
        n = sum(len(g) for g in ds.graphs())
        assert n == len(store)
    else:
        g = Graph().parse(data=data, format=rdflib_fmt)
        assert (None, RDF.type, CG.Statement) in g
        assert len(set(g.subjects(RDF.type, CG.Statement))) == 30
        assert (mapper.source_iri("dw-31lts"), SCHEMA.headline, None) in g


def test_stats_and_drop(store: KnowledgeStore) -> None:
    s = store.stats()
    assert (s.articles, s.statements, s.claims, s.contested_claims) == (1, 30, 20, 3)
    assert store.drop("dw-31lts") is True
    assert store.drop("dw-31lts") is False
    assert store.stats().statements == 0


def test_bulk_load_marker_is_recovered(tmp_path: Path, sample_doc: Document) -> None:
    st = OxigraphStore(tmp_path / "s")
    st.ingest(sample_doc)
    st.close()
    # a crash between writing the marker and finishing the bulk load leaves the marker behind
    (tmp_path / "s" / "claimgraph-bulk-pending.json").write_text(json.dumps([str(mapper.graph_iri("dw-31lts"))]))
    st = OxigraphStore(tmp_path / "s")
    assert st.sources() == []
    assert not (tmp_path / "s" / "claimgraph-bulk-pending.json").exists()
    st.close()


def test_public_face() -> None:
    assert claimgraph.load_annotation is annotation.load
    assert hasattr(claimgraph, "open_store")


@pytest.mark.parametrize("text", ["", "plain", "qu\"ote\\ and\nnew line\r\n", "\\\"\\n", "Ünïcödé — ‘marks’", "1", "true"])
def test_fast_string_literals_equal_rdflib_literals(text: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import XSD

    from claimgraph.rdf.mapper import _nt, _str

    fast, slow = _str(text), Literal(text, datatype=XSD.string)
    assert fast == slow and hash(fast) == hash(slow) and fast.eq(slow)
    assert (fast.value, fast.datatype, fast.language, fast.ill_typed) == \
        (slow.value, slow.datatype, slow.language, slow.ill_typed)
    assert fast.n3() == slow.n3() and _nt(fast) == _nt(slow)
    # and the N-Quads form reads back as the same string
    [quad] = ox.parse(f"<urn:s> <urn:p> {_nt(fast)} <urn:g> .\n".encode(), ox.RdfFormat.N_QUADS)
    assert quad.object.value == text
