"""Run the extractor over the PolNeAR dev texts and write the quote scorer's predictions.

    python bench/quotes_eval.py [GOLD.jsonl] [PREDS.jsonl] [--documents]
    python ../shared/eval/quotes/score.py ../shared/eval/quotes/polnear_dev.jsonl preds.jsonl \
        --gold-filter cue_class=speech

Only the texts (and doc ids) are read from the gold file; nothing of it is copied into the project.
By default the predictions are the extractor's statement layer (`quotes.find` on the same parse:
quote fragments, speaker mention, cue, kind). With ``--documents`` they are the statements of the
full extraction's Documents (`extract_many`): one span per quote, and only statements whose
speaker resolved to an actor.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from claimgraph.extract.pipeline import attributions_many, prediction

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "quotes" / "polnear_dev.jsonl"


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    gold = Path(args[0]) if args else GOLD
    out = Path(args[1]) if len(args) > 1 else Path("preds.jsonl")
    docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    texts = [d["text"] for d in docs]
    with out.open("w", encoding="utf-8") as f:
        if "--documents" in argv:
            from claimgraph.extract import document_prediction, extract_many

            for d, doc in zip(docs, extract_many(texts), strict=True):
                f.write(json.dumps(document_prediction(d["doc_id"], doc), ensure_ascii=False) + "\n")
        else:
            for d, (text, atts) in zip(docs, attributions_many(texts), strict=True):
                f.write(json.dumps(prediction(d["doc_id"], text, atts), ensure_ascii=False) + "\n")
    print(f"{len(docs)} texts -> {out} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
