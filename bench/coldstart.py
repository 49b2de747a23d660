"""Cold start: `claimgraph serve` from exec to its first 200, per URL, on a given data directory.

    python bench/coldstart.py                      # a store made from samples/, 5 starts
    python bench/coldstart.py --data d1m/ --runs 3

Each run starts `python -m claimgraph.cli serve` on a free port, polls every 5 ms and prints the
time to the first 200 of /api/v1/status, of `ASK {}` on /sparql (a query worker must be up) and
of the explorer's first page; then the server's RSS with its workers. The load average is printed
with every run: on a shared machine, start-up time is mostly waiting for a core.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import procinfo  # noqa: E402

URLS = {"status": "/api/v1/status", "sparql ASK": "/sparql?query=ASK%20%7B%7D", "explorer": "/"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample_store(tmp: Path) -> Path:
    import claimgraph

    path = tmp / "store"
    st = claimgraph.open_store(path)
    for f in sorted((HERE.parent / "samples").glob("*.yaml")):
        with contextlib.suppress(claimgraph.ClaimgraphError):
            st.ingest(claimgraph.load_annotation(f))
    st.close()
    return path


def rss_mib(pid: int) -> float:
    """RSS of `pid` and its children (the query workers), MiB."""
    return procinfo.rss_mib([pid, *procinfo.children(pid)])


def one_start(data: Path) -> dict[str, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMGRAPH_")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(data), "--port",
                             str(port), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, float] = {}
    try:
        with httpx.Client(timeout=30) as c:
            pending = dict(URLS)
            while pending and time.perf_counter() - t0 < 60:
                for name, path in list(pending.items()):
                    try:
                        if c.get(f"http://127.0.0.1:{port}{path}").status_code == 200:
                            out[name] = time.perf_counter() - t0
                            del pending[name]
                    except httpx.TransportError:
                        break  # not listening yet
                time.sleep(0.005)
        time.sleep(1.0)
        out["rss"] = rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="data directory (default: a store made from samples/)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or sample_store(Path(tmp))
        one_start(data)  # warm the page cache: every run below reads the same files
        runs = []
        for i in range(args.runs):
            r = one_start(data)
            runs.append(r)
            print(f"run {i + 1}: load average {os.getloadavg()[0]:.1f}; "
                  + "; ".join(f"{k} {v:.2f} s" for k, v in r.items() if k != "rss")
                  + f"; RSS with workers {r['rss']:.0f} MiB", flush=True)
        print(f"median of {len(runs)} (load average now {os.getloadavg()[0]:.1f}): "
              + "; ".join(f"{k} {statistics.median(r[k] for r in runs if k in r):.2f} s" for k in URLS))


if __name__ == "__main__":
    main()
