"""Corpus ingest on Dask: 1 worker against 2 on this machine, and the store's write rates.

    python bench/corpus.py [--articles 24] [--workers 1,2] [--remote]

Articles: the PolNeAR dev texts when ../shared is present (read, never copied; repeated with a
new id to reach --articles), else the sample article's text with a new id each time. Each run
ingests them into a fresh embedded store on disk through `claimgraph.corpus.ingest` on a
LocalCluster of N single-threaded worker processes, without the claim linker (it runs on the
client and would be measured instead of the workers). Prints articles/s, the speed-up over one
worker, each worker's peak RSS and where the time went (parse, rules, mapping, SHACL validation:
summed over the workers; writing: on the client). Then the write rate of the bulk path alone
(`write_articles`) into the embedded store and, with --remote, into a stock `oxigraph serve`.

The machine is shared: the load average is printed before and after, and numbers taken under
load are not the machine's capacity.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT.parent / "shared" / "eval" / "quotes" / "polnear_dev.jsonl"
SAMPLE = ROOT / "samples" / "dw-jawzjan.txt"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def corpus(n: int, out: Path) -> tuple[Path, int]:
    """A JSON Lines corpus of n articles in a temporary file (never in the repository)."""
    if GOLD.exists():
        texts = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        texts = [SAMPLE.read_text(encoding="utf-8")]
    words = 0
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = texts[i % len(texts)]
            words += len(text.split())
            f.write(json.dumps({"id": f"bench-{i}", "title": f"Bench article {i}", "text": text}) + "\n")
    return out, words


def run(path: Path, workers: int, tmp: Path) -> dict:
    from claimgraph.corpus.ingest import ingest_corpus
    from claimgraph.store import open_store

    store = open_store(tmp / f"store-{workers}")
    report = ingest_corpus(store, [path], workers=workers, batch_size=2, write_batch=16, search_index=False)
    store.close()
    return {"report": report}


def write_rate(store, graphs) -> float:
    t = time.perf_counter()
    for i in range(0, len(graphs), 16):
        store.write_articles(graphs[i:i + 16])
    return len(graphs) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=24)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--remote", action="store_true", help="also measure writes into a stock oxigraph serve")
    args = ap.parse_args()
    print(f"load average before: {load()} (2 cores, shared with other engineers' jobs)")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path, words = corpus(args.articles, tmp / "corpus.jsonl")
        print(f"{args.articles} articles, {words:,} words ({words // args.articles} per article)")
        base = None
        for n in [int(x) for x in args.workers.split(",")]:
            rep = run(path, n, tmp)["report"]
            rate = rep.ingested / rep.wall
            base = base or rate
            work = {k: v for k, v in rep.seconds.items() if k in ("parse", "rules", "mapping", "validate", "writing")}
            total = sum(work.values()) or 1.0
            shares = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in work.items())
            rss = ", ".join(f"{v:.0f}" for v in sorted(rep.workers.values()))
            print(f"workers={n}: {rep.summary()} in {rep.wall:.1f} s = {rate:.2f} articles/s "
                  f"(speed-up {rate / base:.2f}x); peak RSS per worker MiB: {rss}; time: {shares}")
        print(f"load average after runs: {load()}")

        # the store's side alone: how fast the bulk path takes already-mapped articles
        from claimgraph.corpus.ingest import process_batch
        from claimgraph.corpus.inputs import read_corpus
        from claimgraph.store import ArticleGraph, open_store

        arts = [a for a in read_corpus([path]) if hasattr(a, "digest")][:8]
        mapped = [x for x in process_batch(arts).items if hasattr(x, "nquads")]
        graphs = [ArticleGraph(f"w-{i}-{m.doc.source.id}", m.nquads.replace(
            f"/graph/{m.doc.source.id}>", f"/graph/w-{i}-{m.doc.source.id}>"))
            for i in range(max(1, 400 // len(mapped))) for m in mapped]
        quads = sum(g.nquads.count("\n") for g in graphs)
        emb = open_store(tmp / "write-rate")
        r = write_rate(emb, graphs)
        print(f"write rate, embedded bulk path: {r:.0f} articles/s ({r * quads / len(graphs):,.0f} quads/s)")
        emb.close()
        if args.remote:
            from tests.remote_server import OxigraphServer

            server = OxigraphServer(tmp / "stock", union=False).start()
            try:
                remote = open_store(server.store_url)
                r = write_rate(remote, graphs)
                print(f"write rate, stock oxigraph serve (Graph Store POST): {r:.0f} articles/s "
                      f"({r * quads / len(graphs):,.0f} quads/s)")
                remote.close()
            finally:
                server.stop()
    print(f"load average at the end: {load()}")


if __name__ == "__main__":  # LocalCluster's worker processes re-import this module
    main()
