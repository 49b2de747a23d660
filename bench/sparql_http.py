"""SPARQL over HTTP: claimgraph's /sparql against Oxigraph's own server, on the same data, side by side.

    python bench/sparql_http.py                       # 200k triples, 3 s per case
    python bench/sparql_http.py --triples 1000000 --seconds 5
    python bench/sparql_http.py --data d1m/ --seconds 3  # an existing store (copied, never written)

Both servers serve one store made from the same `bench/gen.py` corpus (seed 1) and get the same
queries (default graph = union of the article graphs: claimgraph's default, `oxigraph
serve-read-only --union-default-graph`) at concurrency 1 and 4: counts and a top-10, the
statements of the hub actor, the hub claim's statements with their quotes (a trace page) and the
first page of the contested claims. claimgraph runs twice, with its result cache on and off
(CLAIMGRAPH_RESULT_CACHE_MB=0). Printed per case: requests/s, p50 and p95 latency for each server
and the throughput ratios to Oxigraph; the row counts, which must be the same everywhere; then
each server's RSS (claimgraph counted with its query worker processes) and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import procinfo

HERE = Path(__file__).resolve().parent
PROLOGUE = """PREFIX cg: <https://claimgraph.org/ns#>
PREFIX schema: <https://schema.org/>
"""
QUERIES = {
    "count-articles": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }",
    "top-speakers": """SELECT ?speaker (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s cg:speaker ?speaker }
                       GROUP BY ?speaker ORDER BY DESC(?n) LIMIT 10""",
    "lookup-100": """SELECT DISTINCT ?s ?name WHERE { ?s cg:speaker ?a . ?a schema:name ?name } LIMIT 100""",
}
HUB_ACTOR = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?s cg:speaker ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 1"
HUB_CLAIM = "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s cg:about ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 1"


def mix(url: str, params: dict[str, str]) -> dict[str, str]:
    """The realistic part: texts bound to the hub actor and the hub claim of this corpus."""
    def first(q: str) -> str:
        r = httpx.post(url, params=params, content=PROLOGUE + q, timeout=300,
                       headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        b = r.json()["results"]["bindings"][0]
        return next(v["value"] for k, v in b.items() if k != "n")

    actor, claim = first(HUB_ACTOR), first(HUB_CLAIM)
    named = (HERE.parent / "queries" / "statements-by-actor.rq").read_text(encoding="utf-8")
    by_actor = named.replace("WHERE {", f"WHERE {{ VALUES ?actor {{ <{actor}> }}", 1) + "\nLIMIT 50"
    contested = (HERE.parent / "queries" / "contested-claims.rq").read_text(encoding="utf-8") + "\nLIMIT 50"
    trace = f"""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?st ?speaker ?quote ?source WHERE {{ GRAPH ?g {{
          ?st cg:about <{claim}> ; cg:evidence ?span ; schema:isPartOf ?article .
          OPTIONAL {{ ?st cg:speaker ?speaker }}
          ?span oa:hasSelector ?sel . ?sel oa:exact ?quote . ?article cg:sourceId ?source }} }}
        ORDER BY ?source LIMIT 50"""
    return {"actor-statements": by_actor, "claim-trace": trace, "contested-50": contested}


def rows(url: str, params: dict[str, str], query: str) -> int:
    r = httpx.post(url, params=params, content=PROLOGUE + query, timeout=300,
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.args}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"server did not start: {proc.args}")


def drive(url: str, params: dict[str, str], query: str, concurrency: int, seconds: float) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p95 ms) of POSTing `query` from `concurrency` threads for `seconds`."""
    lat: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    errors: list[str] = []

    def loop() -> None:
        with httpx.Client(timeout=60) as c:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = c.post(url, params=params, content=PROLOGUE + query,
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": "application/sparql-results+json"})
                dt = time.perf_counter() - t0
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                with lock:
                    lat.append(dt)

    t0 = time.monotonic()
    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    if errors:
        raise SystemExit(f"{url}: {errors[0]}")
    lat.sort()
    p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
    return len(lat) / wall, statistics.median(lat) * 1000, p95 * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=200_000)
    ap.add_argument("--data", type=Path, help="an existing claimgraph data directory (copied) instead of --triples")
    ap.add_argument("--seconds", type=float, default=3.0, help="per query, server and concurrency")
    ap.add_argument("--concurrency", default="1,4")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-bench-http-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        from claimgraph.store import open_store

        if a.data:  # a copy: the servers write beside the store (search index, summary)
            shutil.copytree(a.data, tmp / "cg")
            st = open_store(tmp / "cg")
        else:
            corpus = tmp / "corpus.nq"
            subprocess.run([sys.executable, str(HERE / "gen.py"), "--triples", str(a.triples), "--seed", "1",
                            "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
            st = open_store(tmp / "cg")
            st.load_nquads(corpus)
        quads = len(st)
        st.close()
        shutil.copytree(tmp / "cg", tmp / "cg-off")  # one server per data directory (RocksDB's lock)
        # the same data: the corpus and what the claimgraph store holds besides (the ontology graph
        # the named queries read labels from)
        import pyoxigraph

        everything = tmp / "everything.nq"
        ro = pyoxigraph.Store.read_only(str(tmp / "cg"))
        ro.dump(str(everything), pyoxigraph.RdfFormat.N_QUADS)
        del ro
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "ox"), "--file", str(everything)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"data: {quads} quads from " + (str(a.data) if a.data else f"bench/gen.py --triples {a.triples} --seed 1"))

        env = {**os.environ, "CLAIMGRAPH_RATE_PER_MINUTE": "100000000", "CLAIMGRAPH_MAX_ROWS": "100000",
               "CLAIMGRAPH_QUERY_TIMEOUT": "60"}  # the client's timeout: a 1M query at c=4 may pass 10 s
        servers: dict[str, tuple[str, dict[str, str], subprocess.Popen[bytes]]] = {}
        for name, cache, data in (("cache on", "64", "cg"), ("cache off", "0", "cg-off")):
            port = free_port()
            proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(tmp / data),
                                     "--port", str(port), "--log-level", "warning"],
                                    env={**env, "CLAIMGRAPH_RESULT_CACHE_MB": cache},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(proc)
            servers[name] = (f"http://127.0.0.1:{port}/sparql", {}, proc)
        ox_port = free_port()
        ox = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(tmp / "ox"), "--bind",
                               f"127.0.0.1:{ox_port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(ox)
        servers["oxigraph"] = (f"http://127.0.0.1:{ox_port}/query", {}, ox)
        for url, params, proc in servers.values():
            wait_up(url.rsplit("/", 1)[0] + "/", proc)
            httpx.post(url, params=params, content="ASK {}", timeout=120,
                       headers={"Content-Type": "application/sparql-query"})  # warm-up (workers start)
        queries = {**QUERIES, **mix(*servers["oxigraph"][:2])}
        for name, query in queries.items():
            counts = {k: rows(url, params, query) for k, (url, params, _p) in servers.items()}
            if len(set(counts.values())) != 1:
                raise SystemExit(f"{name}: different row counts {counts}")
            print(f"{name}: {counts['oxigraph']} rows on every server")

        print(f"\nload average {os.getloadavg()[0]:.1f} at the start; req/s, p50 / p95 ms")
        print(f"{'query':16} {'conc':>4} | {'cache on':>23} | {'cache off':>23} | {'oxigraph':>23} | "
              f"{'on/ox':>5} {'off/ox':>6}")
        for name, query in queries.items():
            for conc in (int(c) for c in a.concurrency.split(",")):
                res = {k: drive(url, params, query, conc, a.seconds) for k, (url, params, _p) in servers.items()}
                cells = " | ".join(f"{r[0]:7.1f} {r[1]:7.1f} {r[2]:7.1f}" for r in res.values())
                o = res["oxigraph"][0]
                print(f"{name:16} {conc:>4} | {cells} | {res['cache on'][0] / o:5.2f} {res['cache off'][0] / o:6.2f}",
                      flush=True)
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
        print("RSS after the run: " + ", ".join(f"{k} {procinfo.rss_mib([p.pid, *procinfo.children(p.pid)]):.0f} MiB"
                                                  for k, (_u, _q, p) in servers.items())
              + " (claimgraph incl. its query workers)")
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
