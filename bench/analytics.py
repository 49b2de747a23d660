"""Time the signed actor network and its analytics on a large store; goal: network + balance +
centrality under 5 s at 1M triples.

    python bench/analytics.py --triples 1000000

The corpus comes from bench/gen.py (seeded, shaped like annotated news). The peer, measured
side by side on the same store, builds the same pair signs the naive way: one SELECT of every
relation's raw triples, grouped in Python. The ratio says what the SPARQL aggregation buys.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.store import KnowledgeStore, open_store
from claimgraph.views import analytics

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import write_nquads  # noqa: E402


def _timed(label: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    dt = time.perf_counter() - t0
    print(f"  {label:<34} {dt:7.2f} s")
    return out, dt


def naive_statements(store: KnowledgeStore) -> int:
    """Peer: the statements aggregate joined straight on the union graph (no DISTINCT subquery),
    where a shared claim's triples repeat once per article that holds them."""
    q = analytics.STATEMENTS_Q.replace(
        "  { SELECT DISTINCT ?claim ?rel WHERE { ?claim cg:proposes ?rel } }\n", "  ?claim cg:proposes ?rel .\n")
    assert q != analytics.STATEMENTS_Q
    return len(store.select(q, limit=None))


def kg_statements(store: KnowledgeStore) -> int:
    return len(store.select(analytics.STATEMENTS_Q, limit=None))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tmp", type=Path, default=None)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="cg-bench-analytics-", dir=args.tmp))
    try:
        nq = tmp / "corpus.nq"
        t0 = time.perf_counter()
        with open(nq, "w", encoding="utf-8", buffering=1 << 20) as f:
            write_nquads(args.triples, args.seed, f)
        store = open_store(tmp / "store")
        n = store.load_nquads(nq)
        print(f"corpus: {n} quads, {len(store.sources())} articles, loaded in {time.perf_counter() - t0:.1f} s "
              "(not counted)")
        print("kg analytics:")
        multi, t_net = _timed("actor_network (2 SPARQL aggregates)", analytics.actor_network, store)
        g, t_sig = _timed("signed_graph", analytics.signed_graph, multi)
        b, t_bal = _timed("balance (network + triads + tensions)", analytics.balance, store)
        c, t_cen = _timed("centrality (network + betweenness)", analytics.centrality, store)
        k, t_con = _timed("controversy", analytics.controversy, store)
        print(f"  network: {multi.number_of_nodes()} actors, {multi.number_of_edges()} relations, "
              f"{g.number_of_edges()} pairs; {b['triads']} triads, balance score {b['balance_score']}, "
              f"{len(b['tensions'])} tensions; {len(k)} claims")
        print("statements aggregate, side by side:")
        n1, t_kg = _timed("kg (DISTINCT subquery)", kg_statements, store)
        n2, t_naive = _timed("peer (direct join)", naive_statements, store)
        print(f"  same rows: {n1 == n2} ({n1}); ratio peer/kg {t_naive / t_kg:.1f}x")
        total = t_bal + t_cen
        print(f"balance + centrality: {total:.2f} s (goal < 5 s: {'met' if total < 5 else 'NOT met'})")
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
