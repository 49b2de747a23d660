"""Every named query and API list on a multi-article corpus: rows are distinct and counts equal a
recount. Shared nodes (actors, claims) are stored once per article graph, so over the union
default graph a careless join returns a hub's row once per article (issue 19: one actor printed
1,000 times on 84 articles). Also: every queries/*.rq is self-contained SPARQL (its own PREFIX
lines), parsed by a client that knows no prefixes, and runs unchanged through the server."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib.plugins.sparql import prepareQuery

import claimgraph
from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.store import KnowledgeStore, open_store
from claimgraph.views import catalog
from claimgraph.views.named import named_queries, queries_dir

from .conftest import ROOT, SAMPLES
from .livesrv import serve


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus ~65 generated articles whose actors and claims recur across articles."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen import iter_documents  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    data = tmp_path_factory.mktemp("corpus") / "data"
    st = open_store(data)
    st.ingest(claimgraph.load_annotation(SAMPLES / "dw-jawzjan.yaml"))
    st.ingest_many(list(iter_documents(40_000, seed=1)))
    st.close()
    return data


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> Iterator[KnowledgeStore]:
    st = open_store(corpus_dir, read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="module")
def server(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import shutil

    copy = tmp_path_factory.mktemp("corpus-server") / "data"
    shutil.copytree(corpus_dir, copy)
    with serve(create_app(Settings(data=str(copy)))) as url:
        yield url


def _statements(store: KnowledgeStore) -> list[dict[str, Any]]:
    """One row per (statement, speaker, claim): the raw facts a recount starts from."""
    return store.select("""SELECT DISTINCT ?st ?a ?src ?claim ?stance WHERE { GRAPH ?g {
        ?st a cg:Statement ; schema:isPartOf ?src ; cg:stance ?stance .
        OPTIONAL { ?st cg:speaker ?a } OPTIONAL { ?st cg:about ?claim } } }""").dicts()


def _sides(store: KnowledgeStore) -> dict[str, str]:
    return {k: catalog.side(v) for k, v in catalog.stance_sides(store).items()}


def _params(store: KnowledgeStore) -> dict[str, str]:
    """Parameters that hit the corpus's hubs: the most quoted actor, a busy source, a contested claim."""
    rows = _statements(store)
    top = Counter(r["a"] for r in rows if r["a"]).most_common(1)[0][0]
    src = Counter(r["src"] for r in rows).most_common(1)[0][0]
    claim = Counter(r["claim"] for r in rows if r["claim"] and r["a"] == top).most_common(1)
    return {"actor": top.rsplit("/", 1)[1], "source": src.rsplit("/", 1)[1],
            "claim": claim[0][0].rsplit("/", 1)[1] if claim else ""}


def _bind(name: str, params: dict[str, str]) -> dict[str, str]:
    nq = named_queries()[name]
    return {p.name: params[p.name] for p in nq.params if p.name in params and (p.required or p.name == "actor")}


NAMES = sorted(named_queries())


def test_the_corpus_has_shared_hubs(corpus: KnowledgeStore) -> None:
    graphs = defaultdict(set)
    for r in corpus.select("SELECT DISTINCT ?a ?g WHERE { GRAPH ?g { ?a schema:name ?n } }").dicts():
        graphs[r["a"]].add(r["g"])
    assert max(len(g) for g in graphs.values()) >= 10, "no actor named in 10 articles: the test proves nothing"


@pytest.mark.parametrize("name", NAMES)
def test_named_query_rows_are_distinct(corpus: KnowledgeStore, name: str) -> None:
    nq = named_queries()[name]
    params = _params(corpus)
    for values in ({k: v for k, v in _bind(name, params).items() if v},
                   {p.name: params[p.name] for p in nq.params if p.required}):
        rows = corpus.select(nq.sparql, nq.bind(values), limit=100_000)
        assert not rows.truncated
        tuples = [tuple(r) for r in rows.rows]
        dupes = [t for t, n in Counter(tuples).items() if n > 1]
        assert not dupes, f"{name} {values}: {len(tuples) - len(set(tuples))} repeated rows, e.g. {dupes[0]}"


def test_actors_by_statements_counts_equal_a_recount(corpus: KnowledgeStore) -> None:
    facts = _statements(corpus)
    want: dict[str, tuple[int, int, int]] = {}
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in facts:
        if r["a"]:
            by[r["a"]].append(r)
    for a, rs in by.items():
        want[a] = (len({r["st"] for r in rs}), len({r["claim"] for r in rs if r["claim"]}), len({r["src"] for r in rs}))
    nq = named_queries()["actors-by-statements"]
    rows = corpus.select(nq.sparql, nq.bind({}), limit=100_000).dicts()
    assert len(rows) == len({r["actor"] for r in rows}) == len(want)
    for r in rows:
        assert (int(r["statements"]), int(r["claims"]), int(r["sources"])) == want[r["actor"]], r["name"]
    assert [int(r["statements"]) for r in rows] == sorted((int(r["statements"]) for r in rows), reverse=True)


def test_claims_by_deniers_counts_equal_a_recount(corpus: KnowledgeStore) -> None:
    sides = _sides(corpus)
    deniers: dict[str, set[str]] = defaultdict(set)
    supporters: dict[str, set[str]] = defaultdict(set)
    opposed: set[str] = set()
    for r in _statements(corpus):
        if not r["claim"]:
            continue
        side = sides.get(r["stance"])
        if side == "opposes":
            opposed.add(r["claim"])
            if r["a"]:
                deniers[r["claim"]].add(r["a"])
        elif side == "supports" and r["a"]:
            supporters[r["claim"]].add(r["a"])
    nq = named_queries()["claims-by-deniers"]
    rows = corpus.select(nq.sparql, nq.bind({}), limit=100_000).dicts()
    assert {r["claim"] for r in rows} == opposed and len(rows) == len(opposed)
    for r in rows:
        assert int(r["deniers"]) == len(deniers[r["claim"]]), r["claimText"]
        assert int(r["supporters"]) == len(supporters[r["claim"]]), r["claimText"]


def test_contested_claims_are_those_with_both_sides(corpus: KnowledgeStore) -> None:
    sides = _sides(corpus)
    seen: dict[str, set[str]] = defaultdict(set)
    for r in _statements(corpus):
        if r["claim"] and sides.get(r["stance"]) in ("supports", "opposes"):
            seen[r["claim"]].add(sides[r["stance"]])
    want = {c for c, s in seen.items() if len(s) == 2}
    nq = named_queries()["contested-claims"]
    rows = corpus.select(nq.sparql, nq.bind({}), limit=100_000).dicts()
    assert {r["claim"] for r in rows} == want
    # one row per (statement quote, speaker): statements of a contested claim, each once
    per_claim = Counter(r["claim"] for r in rows)
    facts = {(r["claim"], r["st"]) for r in _statements(corpus) if r["claim"] in want
             and sides.get(r["stance"]) in ("supports", "opposes", "neutral")}
    assert sum(per_claim.values()) >= len(facts)


def _all_pages(fn: Any, **kw: Any) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = fn(**kw, limit=7, cursor=cursor)
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items


def test_api_actor_list_is_distinct_and_counts_equal_a_recount(corpus: KnowledgeStore) -> None:
    said: dict[str, set[str]] = defaultdict(set)
    for r in _statements(corpus):
        if r["a"]:
            said[r["a"].split("/id/", 1)[1]].add(r["st"])
    items = _all_pages(lambda **kw: catalog.actors(corpus, **kw))
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    for i in items:
        assert i["statements"] == len(said.get(i["id"], ())), i["id"]
    assert catalog.actors(corpus, limit=1000)["items"] == items


def test_api_claim_list_is_distinct_and_counts_equal_a_recount(corpus: KnowledgeStore) -> None:
    sides = _sides(corpus)
    count: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in _statements(corpus):
        if r["claim"]:
            count[(r["claim"].split("/id/", 1)[1], sides.get(r["stance"], ""))].add(r["st"])
    items = _all_pages(lambda **kw: catalog.claims(corpus, **kw))
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))
    for i in items:
        assert (i["supports"], i["opposes"]) == (len(count[(i["id"], "supports")]), len(count[(i["id"], "opposes")]))
    contested = _all_pages(lambda **kw: catalog.claims(corpus, contested=True, **kw))
    assert [i["id"] for i in contested] == [i["id"] for i in items if i["contested"]]


# ---------------------------------------------------------------- self-contained SPARQL


@pytest.mark.parametrize("name", NAMES)
def test_every_query_file_parses_without_predeclared_prefixes(name: str) -> None:
    # rdflib's parser + algebra translation only (nothing is evaluated), with no namespaces given:
    # what a client that checks a query before sending it does
    text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    prepareQuery(text)


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_runs_through_the_server(server: str, corpus: KnowledgeStore, name: str) -> None:
    params = {k: v for k, v in _bind(name, _params(corpus)).items() if v}
    r = httpx.get(f"{server}/api/v1/queries/{name}", params=params, timeout=60)
    assert r.status_code == 200, r.text[:300]
    rows = [tuple(sorted(x.items())) for x in r.json()["rows"]]
    assert len(rows) == len(set(rows))
    # the file's text as it is, sent to the SPARQL endpoint: it must not need the server's prefixes
    text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    nq = named_queries()[name]
    if all(not p.required for p in nq.params):
        s = httpx.post(f"{server}/sparql", data={"query": text},
                       headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert s.status_code == 200, s.text[:300]
        plain = httpx.get(f"{server}/api/v1/queries/{name}", timeout=60).json()
        assert len(s.json()["results"]["bindings"]) == len(plain["rows"]) or plain["truncated"]
