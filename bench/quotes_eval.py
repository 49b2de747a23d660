"""Write the extractor's statements on the PolNeAr dev texts as the quote scorer's predictions.

    python bench/quotes_eval.py [GOLD.jsonl] [PREDS.jsonl]
    python /work/shared/eval/quotes/score.py GOLD.jsonl PREDS.jsonl --gold-filter cue_class=speech

Only the texts are read from the gold file (never copied into the project).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from claimgraph.extract.pipeline import attributions_many, prediction

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "quotes" / "polnear_dev.jsonl"


def main(argv: list[str]) -> int:
    gold = Path(argv[1]) if len(argv) > 1 else GOLD
    out = Path(argv[2]) if len(argv) > 2 else Path("preds.jsonl")
    docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    texts = [d["text"] for d in docs]
    with out.open("w", encoding="utf-8") as f:
        for d, (text, atts) in zip(docs, attributions_many(texts), strict=True):
            f.write(json.dumps(prediction(d["doc_id"], text, atts), ensure_ascii=False) + "\n")
    print(f"{len(docs)} texts -> {out} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
