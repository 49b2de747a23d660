"""Load benchmark: the kg ingest path against raw pyoxigraph bulk_load of the same quads.

    python bench/load.py --triples 1000000 --seed 1
    python bench/load.py --triples 10000000 --skip-shacl      # issue 8: 10M in <= 90 s

Steps, each timed on its own so generation never counts as load time:
1. generate the synthetic Documents (bench/gen.py) and, in the same pass, write their N-Quads
   to a file (the raw peer's input, so it gets exactly the quads the kg path writes);
2. raw: a fresh on-disk `pyoxigraph.Store` bulk-loads the file;
3. kg: a fresh on-disk `OxigraphStore` runs `ingest_many(docs, validate=False)` (maps each
   document with `to_triples` + `nquads` and bulk-loads in batches);
4. the SHACL-validated per-document path (`ingest(doc)`) on a small sample, as a rate.
Both stores must end with the same article quads; the ratio kg/raw is the number to watch
(goal >= 0.8).
"""

from __future__ import annotations

import argparse
import gc
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import iter_mapped  # noqa: E402

from claimgraph.model import Document  # noqa: E402
from claimgraph.rdf.mapper import graph_iri, nquads  # noqa: E402
from claimgraph.store.embedded import OxigraphStore  # noqa: E402


def generate(n_triples: int, seed: int, path: Path) -> tuple[list[Document], int]:
    docs: list[Document] = []
    quads = 0
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        for doc, triples in iter_mapped(n_triples, seed):
            f.writelines(nquads(triples, graph_iri(doc.source.id)))
            quads += len(triples)
            docs.append(doc)
    return docs, quads


def article_quads(store: ox.Store) -> int:
    onto = ox.NamedNode("https://claimgraph.org/ns")
    return len(store) - len(list(store.quads_for_pattern(None, None, None, onto)))


def load_raw(path: Path, where: Path) -> tuple[float, int]:
    st = ox.Store(str(where))
    t0 = time.perf_counter()
    st.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    st.flush()
    dt = time.perf_counter() - t0
    return dt, len(st)


def load_kg(docs: list[Document], where: Path, batch: int | None = None) -> tuple[float, int]:
    st = OxigraphStore(where)  # opening loads the ontology graph: not part of the timed load
    t0 = time.perf_counter()
    if batch:
        st.ingest_many(docs, validate=False, batch_triples=batch)
    else:
        st.ingest_many(docs, validate=False)
    st.flush()
    dt = time.perf_counter() - t0
    n = article_quads(st.raw)
    st.close()
    return dt, n


def shacl_rate(docs: list[Document]) -> tuple[float, int]:
    st = OxigraphStore(None)
    t0 = time.perf_counter()
    report = None
    for d in docs:
        report = st.ingest(d, validate=True)
        assert report.outcome[d.source.id] == "added"
    dt = time.perf_counter() - t0
    return dt, article_quads(st.raw)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="kg ingest path vs raw pyoxigraph bulk_load")
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shacl-sample", type=int, default=30, help="documents for the validated-path rate")
    ap.add_argument("--repeat", type=int, default=1, help="alternate raw and kg runs this many times")
    ap.add_argument("--skip-shacl", action="store_true")
    ap.add_argument("--skip-raw", action="store_true", help="only the kg path (e.g. a second 10M run)")
    ap.add_argument("--batch", type=int, default=None, help="ingest_many batch_triples (default: its own)")
    ap.add_argument("--tmp", type=Path, default=None, help="where the stores and the N-Quads file go")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="cg-bench-", dir=args.tmp))
    try:
        print(f"python {platform.python_version()}, pyoxigraph {ox.__version__}, {platform.machine()}, "
              f"{platform.processor() or platform.platform()}")
        nq = tmp / "corpus.nq"
        t0 = time.perf_counter()
        docs, quads = generate(args.triples, args.seed, nq)
        gen_s = time.perf_counter() - t0
        print(f"generate: {len(docs)} articles, {quads} quads ({nq.stat().st_size / 1e6:.0f} MB N-Quads) "
              f"in {gen_s:.1f} s (not counted below)")
        gc.collect()

        raw_times: list[float] = []
        kg_times: list[float] = []
        raw_n = kg_n = None
        for i in range(args.repeat):  # alternate the two, so a busy moment hurts both alike
            if not args.skip_raw:
                dt, raw_n = load_raw(nq, tmp / f"raw{i}")
                raw_times.append(dt)
                print(f"raw  pyoxigraph bulk_load(file): {raw_n} quads in {dt:.2f} s = {raw_n / dt:,.0f} quads/s")
                shutil.rmtree(tmp / f"raw{i}")
                gc.collect()
            dt, kg_n = load_kg(docs, tmp / f"kg{i}", args.batch)
            kg_times.append(dt)
            print(f"kg   OxigraphStore.ingest_many(validate=False): {kg_n} quads in {dt:.2f} s = "
                  f"{kg_n / dt:,.0f} quads/s")
            shutil.rmtree(tmp / f"kg{i}")
            gc.collect()
            if kg_n != quads:
                raise SystemExit(f"kg path wrote {kg_n} article quads, expected {quads}")
            if raw_n is not None and raw_n != quads:
                raise SystemExit(f"raw path wrote {raw_n} quads, expected {quads}")
        best_kg = min(kg_times)
        print(f"kg best of {len(kg_times)}: {best_kg:.2f} s = {quads / best_kg:,.0f} quads/s")
        if raw_times:
            best_raw = min(raw_times)
            print(f"raw best of {len(raw_times)}: {best_raw:.2f} s = {quads / best_raw:,.0f} quads/s")
            print(f"ratio kg/raw (throughput, best runs): {best_raw / best_kg:.2f}x (goal >= 0.80)")

        if not args.skip_shacl:
            sample = docs[: args.shacl_sample]
            sh_s, sh_n = shacl_rate(sample)
            print(f"shacl-validated ingest(doc), {len(sample)} articles: {sh_s / len(sample):.3f} s/article, "
                  f"{sh_n / sh_s:,.0f} quads/s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
