"""Claims across a real corpus (issue 20): the 84 PolNeAR dev articles (evaluation-only data, read
from ../shared, never copied) ingested as one corpus with the cross-article claim linker. The
contested-claims query must list a claim that one article supports and another opposes, each side
with its own article and quote. Skipped, with the reason, where ../shared is absent."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from claimgraph.corpus.ingest import default_linker, ingest_corpus
from claimgraph.model import Stance, slugify
from claimgraph.store import open_store
from claimgraph.views.named import get_named_query

from .conftest import SHARED

POLNEAR = SHARED / "eval" / "quotes" / "polnear_dev.jsonl"
GOLD = Path(__file__).resolve().parent.parent / "bench" / "gold" / "polnear"
POLARITY = {s.value: s.polarity for s in Stance}
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not POLNEAR.exists(), reason=f"{POLNEAR} is absent (evaluation data in ../shared)")]


def test_a_claim_is_supported_in_one_article_and_opposed_in_another(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    report = ingest_corpus(st, [POLNEAR], link=default_linker(st), search_index=False)
    assert report.ingested == 84, report
    rows = st.select(get_named_query("contested-claims").sparql).dicts()
    sides: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        assert r["quote"] and r["start"] is not None  # every side comes with its words and offsets
        sides[str(r["claim"])][str(r["side"])].add(str(r["source"]))
    # measured 2026-12-07 (second session): 11 contested claims; floor just under that
    assert len(sides) >= 8, sorted(sides)
    # the claims our gold (bench/gold/polnear/, docs/annotation-guide.md) has asserted in one article and
    # denied in another: the store must hold one predicted claim on both sides for at least one of them
    # (measured: 1 of 3, c-clinton-mishandled-classified-info; the other two need contraries by meaning,
    # "supported the invasion" against "totally against the war")
    found = [cid for cid, (plus, minus) in _gold_cross_article().items() if _linked(rows, plus, minus)]
    assert "c-clinton-mishandled-classified-info" in found, found
    st.close()


def _gold_cross_article() -> dict[str, tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]]:
    """Gold claim -> (its + statements, its - statements) as (source id, quote start, end), for the claims
    whose two sides lie in different articles."""
    sides: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for f in sorted(GOLD.glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        for st in g["statements"]:
            pol = POLARITY.get(st["stance"], 0)
            for cid in st["claims"]:
                if pol:
                    sides[cid][0 if pol > 0 else 1].append((slugify(g["doc_id"]), *st["quote"]))
    return {c: (p, m) for c, (p, m) in sides.items() if any(a[0] != b[0] for a in p for b in m)}


def _linked(rows: list[dict], plus: list[tuple[str, int, int]], minus: list[tuple[str, int, int]]) -> bool:
    """Does one contested claim carry a row over a + quote and a row over a - quote in another article?"""
    def claims_at(spots: list[tuple[str, int, int]], side: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            for src, a, b in spots:
                s, e = int(r["start"]), int(r["end"])
                if str(r["source"]) == src and str(r["side"]) == side and min(b, e) - max(a, s) >= 0.3 * (b - a):
                    out[str(r["claim"])].add(src)
        return out
    pos, neg = claims_at(plus, "supports"), claims_at(minus, "opposes")
    return any(a != b for c in set(pos) & set(neg) for a in pos[c] for b in neg[c])
