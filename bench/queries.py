"""Query benchmark at scale (issue 8): trace, neighbourhood depth 2, contested claims, actor
timeline and search on a generated store, embedded and remote, each beside its peers.

    python bench/queries.py --triples 1000000                 # generates and loads the corpus
    python bench/queries.py --data big/ --runs 20             # an existing data dir (e.g. 10M)

Columns (p50 / p95 in ms over --runs runs, after one warm-up run):
- kg: the claimgraph function on the embedded store (OxigraphStore, in process);
- kg remote: the same function on a RemoteStore against `oxigraph serve --union-default-graph`
  started here on a copy of the data dir;
- raw: the exact SPARQL texts claimgraph sent (recorded on the first call, bindings inlined) run
  directly with pyoxigraph `Store.query` on the same store and consumed: the floor, what the
  database costs without claimgraph's Python;
- server: the same texts POSTed straight to the Oxigraph server's /query (body read, not parsed);
- ratios kg/raw and kg remote/server;
- kg counted: the same function on the same handle with the summary graph switched off
  (`keeps_summary = False`: every count read from the article graphs, as before issue 16).
Search has no SPARQL of its own; its peer is a SPARQL CONTAINS scan over every text literal.
Then memory and cold start of `claimgraph serve` on the same data, and `OxigraphStore(path)` open time.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import procinfo  # noqa: E402

from claimgraph.rdf.nodeid import node_id  # noqa: E402
from claimgraph.rdf.vocab import PREFIXES, sparql_prefixes  # noqa: E402
from claimgraph.store import KnowledgeStore  # noqa: E402
from claimgraph.store.embedded import OxigraphStore  # noqa: E402
from claimgraph.store.remote import RemoteStore  # noqa: E402
from claimgraph.store.sparql_text import bind  # noqa: E402
from claimgraph.views import catalog  # noqa: E402
from claimgraph.views.named import get_named_query  # noqa: E402
from claimgraph.views.neighbourhood import neighbourhood  # noqa: E402
from claimgraph.views.search import TextIndex  # noqa: E402
from claimgraph.views.timeline import actor_timeline  # noqa: E402
from claimgraph.views.trace import trace  # noqa: E402

CLAIMS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s cg:about ?c } } GROUP BY ?c"
SPEAKERS = "SELECT ?a (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s cg:speaker ?a } } GROUP BY ?a"
SCAN = """SELECT DISTINCT ?node WHERE {
  { ?node schema:text ?t } UNION { ?node schema:name ?t } UNION { ?q oa:exact ?t . BIND(?q AS ?node) }
  FILTER(CONTAINS(LCASE(STR(?t)), ?word)) } LIMIT 20"""
TRACE_PAGE = 50  # the API's default page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(fn: Callable[[], Any], runs: int, budget_s: float) -> tuple[float, float, int]:
    """p50, p95 (ms) and the number of runs; stops early once `budget_s` is spent (at least 3 runs,
    or 1 when the warm-up alone took more than a third of the budget)."""
    t = time.perf_counter()
    fn()  # warm-up
    least = 3 if (time.perf_counter() - t) * 3 <= budget_s else 1
    xs: list[float] = []
    start = time.perf_counter()
    while len(xs) < runs and (len(xs) < least or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return statistics.median(xs), xs[min(len(xs) - 1, int(len(xs) * 0.95))], len(xs)


class Recorder:
    """Wraps a store's `query` to keep the SPARQL texts (bindings inlined) a call sends."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store, self.texts = store, []  # type: ignore[var-annotated]
        self._orig = store.query

    def __enter__(self) -> Recorder:
        def query(sparql: str, bindings: Any = None, **kw: Any) -> Any:
            self.texts.append(bind(sparql, bindings))
            return self._orig(sparql, bindings, **kw)
        self.store.query = query  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        del self.store.query  # back to the class's method


def build(data: Path, triples: int, seed: int, work: Path) -> Path:
    from gen import write_nquads

    nq = work / "corpus.nq"
    t = time.perf_counter()
    with open(nq, "w", encoding="utf-8", buffering=1 << 20) as f:
        write_nquads(triples, seed, f)
    st = OxigraphStore(data)
    n = st.load_nquads(nq)
    st.close()
    print(f"built {data}: {n:,} quads in {time.perf_counter() - t:.0f} s")
    return nq


def start_server(location: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(["oxigraph", "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("oxigraph serve did not come up")


def serve_memory(data: Path, claim: str, actor: str, word: str) -> dict[str, float]:
    """Cold start and RSS of `claimgraph serve --data DIR` (the store must not be open elsewhere)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(data), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, float] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
            while True:
                try:
                    if c.get("/api/v1/status").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.01)
                if proc.poll() is not None:
                    raise SystemExit("claimgraph serve exited")
            out["cold_start_s"] = time.perf_counter() - t0
            out["rss_idle_mib"] = procinfo.rss_mib([proc.pid])
            t = time.perf_counter()
            c.get("/api/v1/search", params={"q": word}).raise_for_status()
            out["first_search_s"] = time.perf_counter() - t
            for _ in range(3):
                c.get(f"/api/v1/claims/{claim.split('/', 1)[1]}/trace").raise_for_status()
                c.get(f"/api/v1/nodes/{actor}/neighbourhood", params={"depth": 2}).raise_for_status()
                c.get("/api/v1/search", params={"q": word}).raise_for_status()
                c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
            out["rss_busy_mib"] = procinfo.rss_mib([proc.pid])
            out["rss_children_mib"] = procinfo.rss_mib(procinfo.children(proc.pid))
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def main(argv: list[str] | None = None) -> None:  # noqa: C901 - one linear script
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=None, help="existing data dir (not modified); else one is built")
    ap.add_argument("--work", type=Path, default=None, help="scratch dir (default: a temp dir)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per case and column at most (>= 3 runs)")
    ap.add_argument("--no-remote", action="store_true")
    ap.add_argument("--no-serve", action="store_true", help="skip the cold start and RSS of claimgraph serve")
    args = ap.parse_args(argv)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    work = Path(tempfile.mkdtemp(prefix="cg-bench-queries-", dir=args.work))
    server = None
    try:
        data = args.data
        if data is None:
            data = work / "data"
            build(data, args.triples, args.seed, work)
        t = time.perf_counter()
        st = OxigraphStore(data)
        print(f"store: {len(st):,} quads; opened in {(time.perf_counter() - t) * 1000:.0f} ms")
        claims = sorted(((int(r[1].value), r[0].value) for r in st.select(CLAIMS).rows), reverse=True)
        speakers = sorted(((int(r[1].value), r[0].value) for r in st.select(SPEAKERS).rows), reverse=True)
        hub_c, med_c = claims[0], claims[len(claims) // 2]
        hub_a, med_a = speakers[0], speakers[len(speakers) // 2]
        print(f"targets: hub claim {node_id(hub_c[1])} ({hub_c[0]} statements), median claim ({med_c[0]}); "
              f"hub actor {node_id(hub_a[1])} ({hub_a[0]} statements), median actor ({med_a[0]})")
        remote = None
        if not args.no_remote:
            copy = work / "server-data"
            t = time.perf_counter()
            st.close()  # a consistent copy: nothing writes while it is taken
            shutil.copytree(data, copy)
            st = OxigraphStore(data)
            port = free_port()
            server = start_server(copy, port)
            remote = RemoteStore(f"http://127.0.0.1:{port}", read_only=True, timeout=600)
            print(f"oxigraph serve on a copy of the data dir, up in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        idx = TextIndex(st)
        n_texts = len(idx)
        print(f"search index: {n_texts:,} texts built in {time.perf_counter() - t:.1f} s")
        word = next((w for w in ("ceasefire", "minister", "attack", "talks") if idx.search(w, 1)), "the")
        contested, timeline = get_named_query("contested-claims"), get_named_query("actor-timeline")

        def cases(s: KnowledgeStore) -> list[tuple[str, Callable[[], Any]]]:
            return [
                (f"trace hub claim ({hub_c[0]} st., page {TRACE_PAGE})", lambda: trace(s, node_id(hub_c[1]), limit=TRACE_PAGE)),
                (f"trace median claim ({med_c[0]} st.)", lambda: trace(s, node_id(med_c[1]), limit=TRACE_PAGE)),
                (f"neighbourhood d=2 hub actor ({hub_a[0]})", lambda: neighbourhood(s, node_id(hub_a[1]), depth=2)),
                (f"neighbourhood d=2 median actor ({med_a[0]})", lambda: neighbourhood(s, node_id(med_a[1]), depth=2)),
                ("contested claims, first page of 50 (GET /api/v1/claims?contested=true)",
                 lambda: catalog.claims(s, contested=True, limit=50)),
                (f"actor timeline hub actor, first page of 50 ({hub_a[0]})",
                 lambda: actor_timeline(s, node_id(hub_a[1]), limit=50)),
                (f"actor timeline median actor, first page of 50 ({med_a[0]})",
                 lambda: actor_timeline(s, node_id(med_a[1]), limit=50)),
                ("contested-claims.rq (all rows)", lambda: s.select(contested.sparql, contested.bind({}), limit=None)),
                (f"actor-timeline.rq hub actor ({hub_a[0]})",
                 lambda: s.select(timeline.sparql, timeline.bind({"actor": node_id(hub_a[1]).split("/", 1)[1]}), limit=None)),
                (f"actor-timeline.rq median actor ({med_a[0]})",
                 lambda: s.select(timeline.sparql, timeline.bind({"actor": node_id(med_a[1]).split("/", 1)[1]}), limit=None)),
            ]

        http = httpx.Client(timeout=600)
        prefixes = sparql_prefixes()

        def replay_raw(texts: list[str]) -> None:
            for q in texts:
                res = st.raw.query(q, use_default_graph_as_union=True, prefixes=PREFIXES)
                if hasattr(res, "__iter__"):
                    for _ in res:
                        pass

        def replay_server(texts: list[str]) -> None:
            for q in texts:
                r = http.post(remote.query_url, data={"query": prefixes + q},  # type: ignore[union-attr]
                              headers={"Accept": "application/sparql-results+json"})
                r.raise_for_status()

        rows = []
        remote_cases = dict(cases(remote)) if remote is not None else {}
        for name, fn in cases(st):
            with Recorder(st) as rec:
                fn()
            texts = rec.texts
            kg = timed(fn, args.runs, args.budget)
            rw = timed(lambda texts=texts: replay_raw(texts), args.runs, args.budget)
            rm = sv = None
            if remote is not None:
                rm = timed(remote_cases[name], args.runs, args.budget)
                sv = timed(lambda texts=texts: replay_server(texts), args.runs, args.budget)
            st.keeps_summary = False  # this handle now counts from the article graphs
            counted = timed(fn, args.runs, args.budget) if "rq" not in name else None
            del st.keeps_summary
            rows.append((name, len(texts), kg, rw, rm, sv, counted))
            print(f"  measured {name}", flush=True)
        ix = timed(lambda: idx.search(word, 20), args.runs, args.budget)
        scan = timed(lambda: replay_raw([bind(SCAN, {"word": word})]), args.runs, args.budget)
        rows.append((f"search {word!r} (FTS5; peer: SPARQL CONTAINS)", 1, ix, scan, None, None, None))

        def cell(x: tuple[float, float, int] | None) -> str:
            return "-" if x is None else f"{x[0]:,.1f} / {x[1]:,.1f}"

        print()
        print("| case | queries | runs | kg p50 / p95 | kg counted (no summary) | raw pyoxigraph | kg / raw | kg remote | oxigraph server /query | remote / server |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, nq, kg, rw, rm, sv, ct in rows:
            r1 = f"{kg[0] / rw[0]:.2f}x" if rw and rw[0] > 0 else "-"
            r2 = f"{rm[0] / sv[0]:.2f}x" if rm and sv and sv[0] > 0 else "-"
            n = min(x[2] for x in (kg, rw, rm, sv, ct) if x is not None)
            print(f"| {name} | {nq} | {n} | {cell(kg)} | {cell(ct)} | {cell(rw)} | {r1} | {cell(rm)} | {cell(sv)} | {r2} |")
        print(f"\n(ms; runs per cell: up to {args.runs}, at most ~{args.budget:.0f} s each; "
              f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        http.close()
        if remote is not None:
            remote.close()
        idx.close()
        st.close()
        gc.collect()  # the pyoxigraph Store holds the data dir's lock until it is freed
        opens = []
        for _ in range(3):
            t = time.perf_counter()
            OxigraphStore(data).close()
            opens.append((time.perf_counter() - t) * 1000)
        print(f"OxigraphStore(path) open + close: {min(opens):.0f} ms best of 3")
        if args.no_serve:
            return
        mem = serve_memory(data, node_id(hub_c[1]), node_id(hub_a[1]), word)
        print(f"claimgraph serve: cold start to first /api/v1/status {mem['cold_start_s']:.2f} s (goal <= 0.5 s); "
              f"RSS idle {mem['rss_idle_mib']:.0f} MiB, after trace/neighbourhood/search/sparql "
              f"{mem['rss_busy_mib']:.0f} MiB (goal <= 300 MiB) + SPARQL workers {mem['rss_children_mib']:.0f} MiB; "
              f"first search (index) {mem['first_search_s']:.1f} s")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
