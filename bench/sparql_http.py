"""SPARQL over HTTP: claimgraph's /sparql against Oxigraph's own server, on the same data, side by side.

    python bench/sparql_http.py                       # 200k triples, 3 s per case
    python bench/sparql_http.py --triples 1000000 --seconds 5

Both servers serve one store made from the same `bench/gen.py` corpus (seed 1) and get the same
queries (default graph = union of the article graphs: claimgraph's default, Oxigraph's
`union-default-graph` parameter) at concurrency 1 and 4. Printed per case: requests/s, p50 and p95
latency for each server and the throughput ratio claimgraph/oxigraph; then each server's RSS
(claimgraph counted with its query worker processes).
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
    ap.add_argument("--seconds", type=float, default=3.0, help="per query, server and concurrency")
    ap.add_argument("--concurrency", default="1,4")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-bench-http-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        corpus = tmp / "corpus.nq"
        subprocess.run([sys.executable, str(HERE / "gen.py"), "--triples", str(a.triples), "--seed", "1",
                        "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
        from claimgraph.store import open_store

        st = open_store(tmp / "cg")
        quads = st.load_nquads(corpus)
        st.close()
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "ox"), "--file", str(corpus)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"data: {quads} quads from bench/gen.py --triples {a.triples} --seed 1")

        cg_port, ox_port = free_port(), free_port()
        env = {**os.environ, "CLAIMGRAPH_RATE_PER_MINUTE": "100000000", "CLAIMGRAPH_MAX_ROWS": "100000"}
        cg = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(tmp / "cg"),
                               "--port", str(cg_port), "--log-level", "warning"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ox = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(tmp / "ox"), "--bind",
                               f"127.0.0.1:{ox_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs += [cg, ox]
        servers = {"claimgraph": (f"http://127.0.0.1:{cg_port}/sparql", {}, cg),
                   "oxigraph": (f"http://127.0.0.1:{ox_port}/query", {"union-default-graph": ""}, ox)}
        for url, params, proc in servers.values():
            wait_up(url.rsplit("/", 1)[0] + "/", proc)
            httpx.post(url, params=params, content="ASK {}", timeout=120,
                       headers={"Content-Type": "application/sparql-query"})  # warm-up (workers start)

        print(f"\n{'query':16} {'conc':>4} | {'claimgraph req/s':>16} {'p50 ms':>8} {'p95 ms':>8} | "
              f"{'oxigraph req/s':>14} {'p50 ms':>8} {'p95 ms':>8} | {'ratio':>5}")
        for name, query in QUERIES.items():
            for conc in (int(c) for c in a.concurrency.split(",")):
                res = {k: drive(url, params, query, conc, a.seconds) for k, (url, params, _p) in servers.items()}
                c, o = res["claimgraph"], res["oxigraph"]
                print(f"{name:16} {conc:>4} | {c[0]:16.1f} {c[1]:8.1f} {c[2]:8.1f} | "
                      f"{o[0]:14.1f} {o[1]:8.1f} {o[2]:8.1f} | {c[0] / o[0]:5.2f}")
        print("\nRSS after the run: " + ", ".join(f"{k} {procinfo.rss_mib([p.pid, *procinfo.children(p.pid)]):.0f} MiB"
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
