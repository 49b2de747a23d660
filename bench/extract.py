"""Speed of automatic extraction against the bare spaCy parse of the same texts.

    python bench/extract.py [--repeat 2] [--texts N]

Texts: the PolNeAR dev articles when ../shared is present (read, never copied), else the sample
article repeated. Prints words/s of `nlp.pipe` alone and of the full extraction
(`claimgraph.extract.extract_many`: parse + statements + actors + relations + claims), and the
ratio of their times; the goal is <= 1.5 with the sentence embeddings of claim matching included. Each is timed `--repeat` times, alternating, best kept.
On a shared machine the two parses vary by more than the rules cost, so the rule layer is also
timed alone on the kept parses: (parse + rules) / parse is the steadier ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from claimgraph.extract import extract_many
from claimgraph.extract.nlp import nlp
from claimgraph.extract.pipeline import Meta, build

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "eval" / "quotes" / "polnear_dev.jsonl"
SAMPLE = ROOT / "samples" / "dw-jawzjan.txt"


def texts(limit: int | None) -> tuple[list[str], str]:
    if GOLD.exists():
        rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
        out = [r["text"] for r in rows]
        where = f"{len(out)} PolNeAR dev texts"
    else:
        out = [SAMPLE.read_text(encoding="utf-8")] * 40
        where = "the sample article x40"
    if limit:
        out = out[:limit]
        where += f" (first {limit})"
    return out, where


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--texts", type=int, default=None, help="use only the first N texts")
    args = ap.parse_args()
    items, where = texts(args.texts)
    words = sum(len(re.findall(r"\w+", t)) for t in items)
    model = nlp()
    list(model.pipe(items[:2]))  # warm up
    parse = full = rules = float("inf")
    statements = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        parsed = list(model.pipe(items, batch_size=16))
        parse = min(parse, time.perf_counter() - t0)
        t0 = time.perf_counter()
        docs = list(extract_many(items))
        full = min(full, time.perf_counter() - t0)
        statements = sum(len(d.statements) for d in docs)
        t0 = time.perf_counter()  # the rule layer alone, on the parses above (robust to CPU noise)
        for n, (text, doc) in enumerate(zip(items, parsed, strict=True)):
            build(text, doc, Meta(source_id=f"text-{n + 1}"))
        rules = min(rules, time.perf_counter() - t0)
    print(f"texts: {where}, {words} words, {statements} statements extracted")
    print(f"spaCy parse (nlp.pipe): {words / parse:8.0f} words/s  ({parse:.2f} s)")
    print(f"full extraction:        {words / full:8.0f} words/s  ({full:.2f} s)")
    print(f"rule layer alone:       {words / rules:8.0f} words/s  ({rules:.2f} s, {rules / parse:.1%} of the parse)")
    print(f"ratio full/parse: {full / parse:.3f}  (goal <= 1.5); (parse + rules)/parse: "
          f"{(parse + rules) / parse:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
