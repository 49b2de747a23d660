"""Explorer API benchmark: p50/p95 of trace, neighbourhood (depth 2, cytoscape) and search, over
HTTP against a live uvicorn server on 127.0.0.1, on a generated store (bench/gen.py, 1M triples).

    python bench/api.py --triples 1000000 --seed 1 [--runs 100]
    python bench/api.py --data d1m/ --runs 20     # an existing store (copied, never written)

Peers measured side by side, so each number has a ratio:
- HTTP vs the same claimgraph function called in process (the cost of the API layer);
- search through the FTS5 index vs the same words found by a SPARQL CONTAINS scan over every
  text literal (what an index-less search would do).
Targets are the hardest ones: the claim with most statements, the actor who said most.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
# this script is bench/api.py: its own directory must not shadow the `api` package
sys.path[0] = str(ROOT)
sys.path.append(str(ROOT / "bench"))

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from claimgraph.rdf.nodeid import node_id  # noqa: E402
from claimgraph.store import KnowledgeStore, open_store  # noqa: E402
from claimgraph.views.catalog import claims as list_claims  # noqa: E402
from claimgraph.views.neighbourhood import as_cytoscape, neighbourhood  # noqa: E402
from claimgraph.views.search import TextIndex  # noqa: E402
from claimgraph.views.timeline import actor_timeline  # noqa: E402
from claimgraph.views.trace import trace  # noqa: E402
from tests.livesrv import serve  # noqa: E402

TOP_CLAIM = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s cg:about ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 1"""
TOP_SPEAKER = """SELECT ?a (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s cg:speaker ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 1"""
SCAN = """SELECT DISTINCT ?node WHERE {
  { ?node schema:text ?t } UNION { ?node schema:name ?t } UNION { ?q oa:exact ?t . BIND(?q AS ?node) }
  FILTER(CONTAINS(LCASE(STR(?t)), ?word)) } LIMIT 20"""


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm caches once
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return statistics.median(xs), xs[min(len(xs) - 1, int(len(xs) * 0.95))]


def build(where: Path, triples: int, seed: int) -> KnowledgeStore:
    from gen import write_nquads

    buf = io.StringIO()
    t = time.perf_counter()
    write_nquads(triples, seed, buf)
    st = open_store(where)
    st.load_nquads(buf.getvalue().encode())
    print(f"store: {len(st):,} quads, {len(st.sources()):,} articles, built in {time.perf_counter() - t:.1f} s")
    return st


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--data", type=Path, help="an existing data directory (copied) instead of --triples")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.data:  # a copy: the search index and the summary are written beside the store
            shutil.copytree(args.data, Path(tmp) / "store")
            st = open_store(Path(tmp) / "store")
            print(f"store: {len(st):,} quads, {len(st.sources()):,} articles, copied from {args.data}")
        else:
            st = build(Path(tmp) / "store", args.triples, args.seed)
        claim = node_id(st.select(TOP_CLAIM).rows[0][0].value)
        row = st.select(TOP_SPEAKER).rows[0]
        actor = node_id(row[0].value)
        print(f"targets: {claim} ; {actor} (said {row[1].value} statements)")
        t = time.perf_counter()
        idx = TextIndex(st)
        print(f"search index: {len(idx):,} texts in {time.perf_counter() - t:.2f} s")
        words = [w for w in ("taliban", "ceasefire", "minister", "attack") if idx.search(w, 1)][:2] or ["the"]
        with serve(create_app(Settings(data=tmp), st)) as base, httpx.Client(base_url=base, timeout=60) as c:
            c.get("/api/v1/search", params={"q": words[0]}).raise_for_status()  # builds the app's index
            cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
                ("trace (top claim, page 50)", lambda: c.get(f"/api/v1/claims/{claim.split('/', 1)[1]}/trace").raise_for_status(),
                 lambda: trace(st, claim, limit=50)),  # the API's default page
                ("neighbourhood d=2 cytoscape", lambda: c.get(f"/api/v1/nodes/{actor}/neighbourhood",
                                                              params={"depth": 2, "format": "cytoscape"}).raise_for_status(),
                 lambda: as_cytoscape(neighbourhood(st, actor, depth=2))),
                ("contested claims, first page", lambda: c.get("/api/v1/claims", params={"contested": "true"}).raise_for_status(),
                 lambda: list_claims(st, contested=True)),
                ("actor timeline (top actor, page 50)", lambda: c.get(f"/api/v1/actors/{actor}/timeline").raise_for_status(),
                 lambda: actor_timeline(st, actor, limit=50)),
                (f"search {words[0]!r}", lambda: c.get("/api/v1/search", params={"q": words[0]}).raise_for_status(),
                 lambda: idx.search(words[0], 20)),
            ]
            print(f"{'case':32} {'HTTP p50':>9} {'p95':>8} {'in-process p50':>15} {'p95':>8}  (ms, {args.runs} runs)")
            for name, http, direct in cases:
                hp50, hp95 = timed(http, args.runs)
                dp50, dp95 = timed(direct, args.runs)
                print(f"{name:32} {hp50:9.1f} {hp95:8.1f} {dp50:15.1f} {dp95:8.1f}   HTTP/in-process {hp50 / dp50:.2f}x")
            n = neighbourhood(st, actor, depth=2)
            print(f"  neighbourhood answer: {len(n['nodes'])} nodes, {len(n['edges'])} edges, truncated={n['truncated']}")
            fts50, _ = timed(lambda: idx.search(words[0], 20), args.runs)
            scan50, scan95 = timed(lambda: st.select(SCAN, {"word": words[0]}), max(3, args.runs // 10))
            print(f"search peer: SPARQL CONTAINS scan p50 {scan50:.1f} ms p95 {scan95:.1f} ms; "
                  f"FTS5 is {scan50 / fts50:.0f}x faster")
        st.close()


if __name__ == "__main__":
    main()
