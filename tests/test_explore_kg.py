"""The explorer functions in claimgraph (trace, neighbourhood, catalog, search) on real stores."""

from __future__ import annotations

import copy
import io

import pytest

from claimgraph.errors import ClaimgraphError, NotFound
from claimgraph.model import Document
from claimgraph.store import KnowledgeStore
from claimgraph.views import catalog
from claimgraph.views.neighbourhood import as_cytoscape, neighbourhood
from claimgraph.views.search import TextIndex, search
from claimgraph.views.trace import trace

TACIT = "claim/afghan-government-tacitly-cooperates-with-taliban"


def _copies(store: KnowledgeStore, doc: Document, n: int) -> None:
    for i in range(n):
        d = copy.deepcopy(doc)
        d.source.id = f"copy-{i:03d}"
        # statement ids default to source + offsets, so every copy adds new statements by the same actors
        for s in d.statements:
            s.id = None
        store.ingest(d, validate=False)  # the sample validates once; copies only differ in ids


def test_unknown_ids_raise_not_found(store: KnowledgeStore) -> None:
    for call in (lambda: trace(store, "claim/nope"), lambda: catalog.actor(store, "nobody"),
                 lambda: catalog.claim(store, "nope"), lambda: catalog.source(store, "nowhere"),
                 lambda: neighbourhood(store, "actor/nobody"), lambda: neighbourhood(store, "span/x")):
        with pytest.raises(NotFound):
            call()


def test_trace_counts_and_quotes(store: KnowledgeStore) -> None:
    t = trace(store, TACIT)
    assert t["sides"] == {"supports": 4, "opposes": 1, "neutral": 1}
    assert sum(t["counts"].values()) == len(t["statements"]) == 6
    assert {s["source"]["id"] for s in t["statements"]} == {"source/dw-31lts"}


def test_trace_pages_whole_articles_with_a_cursor(store: KnowledgeStore, sample_doc: Document) -> None:
    _copies(store, sample_doc, 4)  # 5 articles, 6 statements about the claim in each
    full = trace(store, TACIT)
    assert full["total"] == len(full["statements"]) == 30 and full["next"] is None
    assert sum(full["counts"].values()) == 30 and full["related"]
    seen, cursor, pages = [], None, 0
    while True:
        page = trace(store, TACIT, limit=13, cursor=cursor)
        pages += 1
        # counts cover every statement on every page; a page holds whole articles, at most `limit`
        assert page["counts"] == full["counts"] and page["total"] == 30
        assert len(page["statements"]) == (12 if page["next"] else 6), (pages, page["next"])
        assert len({s["source"]["id"] for s in page["statements"]}) == (2 if page["next"] else 1)
        assert bool(page["related"]) == (cursor is None)
        seen += [s["id"] for s in page["statements"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == 3 and seen[:24] == [s["id"] for s in full["statements"]][:24]
    assert sorted(seen) == sorted(s["id"] for s in full["statements"])
    one = trace(store, TACIT, limit=1)  # an article larger than the page still comes whole
    assert len(one["statements"]) == 6 and one["next"] == one["statements"][0]["source"]["id"]
    for bad in ("nonsense", "actor/x"):
        with pytest.raises(ClaimgraphError):
            trace(store, TACIT, limit=5, cursor=bad)
    with pytest.raises(ClaimgraphError):
        trace(store, TACIT, limit=0)


def test_hub_is_cut_with_totals_and_a_cursor(store: KnowledgeStore, sample_doc: Document) -> None:
    _copies(store, sample_doc, 6)
    full = neighbourhood(store, "actor/taliban", limit=1000)
    said = next(g for g in full["groups"] if g["label"] == "said")
    assert said["total"] == 7 * 7 and not full["truncated"]  # 7 statements by the Taliban, 7 copies
    seen: list[str] = []
    cursor = None
    while True:
        page = neighbourhood(store, "actor/taliban", limit=25, cursor=cursor)
        assert len(page["nodes"]) <= 26 and page["groups"] == full["groups"]
        seen += [n["id"] for n in page["nodes"][1:]]
        cursor = page["next"]
        if cursor is None:
            break
        assert page["truncated"]
    assert sorted(seen) == sorted(n["id"] for n in full["nodes"][1:])
    with pytest.raises(ClaimgraphError):
        neighbourhood(store, "actor/taliban", limit=1001)


def test_edges_among_neighbours_are_included(store: KnowledgeStore) -> None:
    res = neighbourhood(store, TACIT, depth=1)
    ids = {n["id"] for n in res["nodes"]}
    # the relation and its two actors are all neighbours of the claim: the relation's own edges show
    rel = "relation/tacit-cooperation.afghan-government.taliban"
    assert rel in ids and {"actor/afghan-government", "actor/taliban"} <= ids
    assert {(e["source"], e["label"], e["target"]) for e in res["edges"]} >= {
        (rel, "actor", "actor/afghan-government"), (rel, "counterpart", "actor/taliban")}
    cy = as_cytoscape(res)
    assert len(cy["elements"]["edges"]) == len(res["edges"])


def test_index_rebuilds_on_bulk_load(store: KnowledgeStore, sample_doc: Document) -> None:
    idx = TextIndex(store)
    n = len(idx)
    buf = io.BytesIO()
    store.export(buf, "nquads")
    store.drop("dw-31lts")
    assert search(idx, "Fakur") == []
    store.load_nquads(buf.getvalue())  # a bulk load says None: rebuild
    assert len(idx) == n and search(idx, "Fakur")[0]["id"] == "actor/yonus-fakur"


def test_search_stems_and_falls_back_to_any_word(store: KnowledgeStore) -> None:
    assert search(store, "cooperate")[0]["id"] == TACIT  # stemmed: cooperate ~ cooperation
    assert search(store, "Fakur xyzzy")[0]["id"] == "actor/yonus-fakur"
    with pytest.raises(ClaimgraphError):
        search(store, "   ")
