"""Score automatic extraction against the claim gold in bench/gold/ (docs/annotation-guide.md).

    python bench/claims_eval.py                      # the sample and every dev gold article
    python bench/claims_eval.py --sample             # only bench/gold/*.json (the shipped sample)
    python bench/claims_eval.py --dev --corpus       # dev articles, plus claims contested across articles
    python bench/claims_eval.py --verbose --json out.json

Each gold file is standoff: offsets, ids and labels only. The article text comes from `samples/`
(the sample) or from ../shared/eval/quotes/polnear_dev.jsonl (PolNeAR dev articles; their gold is
skipped with a reason when ../shared is absent); a text whose sha256 differs from the gold's is refused.
`claimgraph.extract.extract_text` runs on each text and the prediction is compared with the gold:

* statements are aligned by quote overlap (alphanumeric characters): a predicted quote covering
  >= 30% of a gold quote and the gold quote covering >= 30% of the predicted one; best Jaccard first,
  one-to-one;
* predicted actors are mapped to gold actors by mention and speaker-mention span overlap, then by
  normalised name;
* claim linking: pairs of matched statements of one article that share a claim, gold vs prediction
  (pairwise P/R/F1), and gold claims with a + and a - statement where one predicted claim is linked by
  both sides' matched statements with the right polarity;
* stance accuracy and polarity accuracy on matched statements; gold denials given a negative stance;
* relation F1 over (type, actor, counterpart) after actor mapping, symmetric types order-free;
* actor F1: gold actors that speak, end a relation or are concerned by a claim vs the predicted
  actors (a predicted actor that maps to no gold actor is a false positive);
* claim coverage: gold claims with a matched statement whose prediction links some claim;
* `--corpus`: gold claims asserted in one article and denied in another, and whether the predicted
  claim ids of the two sides are equal.

Stances and relation types are compared as strings, so new values from the extractor count as soon
as they equal the gold's. Nothing of the corpus text is printed except with --verbose, which shows
nothing but ids.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "bench" / "gold"
DEV_JSONL = ROOT.parent / "shared" / "eval" / "quotes" / "polnear_dev.jsonl"

POLARITY = {
    "asserts": 1, "claims": 1, "alleges": 1, "confirms": 1, "warns": 1, "welcomes": 1,
    "pledges": 1, "proposes": 1,
    "denies": -1, "rejects": -1,
    "questions": 0,
}
STANCES = frozenset(POLARITY)
RELATION_TYPES = frozenset({
    "rivalry", "fighting", "attack", "alliance", "cooperation", "tacit_cooperation", "support",
    "surrender", "captured_territory", "safe_haven", "pressure", "peace_offer", "peace_rejection",
    "opposition", "accusation", "negotiation",
})
SYMMETRIC = frozenset({"rivalry", "fighting", "alliance", "cooperation", "tacit_cooperation", "negotiation"})
# other spellings an extractor may use for the same type (compared after lowercasing, '-' -> '_')
TYPE_ALIASES = {
    "rejects_peace_offer": "peace_rejection", "peace_offer_rejection": "peace_rejection",
    "rejection": "peace_rejection", "captured": "captured_territory", "capture": "captured_territory",
    "safehaven": "safe_haven", "harbouring": "safe_haven", "harboring": "safe_haven",
    "clash": "fighting", "clashes": "fighting",
}
ACTOR_TYPES = frozenset({
    "person", "armed_group", "government", "government_agency", "state", "media", "organisation",
    "collective", "unnamed_source",
})
MIN_COVER = 0.3


def norm_type(value: object) -> str:
    t = str(getattr(value, "value", value)).lower().replace("-", "_").replace(" ", "_")
    return TYPE_ALIASES.get(t, t)


def stance_of(value: object) -> str:
    return str(getattr(value, "value", value)).lower()


def polarity(stance: str) -> int | None:
    return POLARITY.get(stance)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DROP = re.compile(r"^(the|a|an|mr|mrs|ms|dr|sen|rep|gov|gen|president)\s+")


def norm_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    while True:
        t = _DROP.sub("", s)
        if t == s:
            return s
        s = t


# ---------------------------------------------------------------- loading


@dataclass
class Article:
    doc_id: str
    path: Path
    gold: dict
    text: str
    corpus: str  # "sample" | "polnear_dev"


def gold_files(which: str = "all") -> list[Path]:
    files: list[Path] = []
    if which in ("all", "sample"):
        files += sorted(GOLD_DIR.glob("*.json"))
    if which in ("all", "dev"):
        files += sorted((GOLD_DIR / "polnear").glob("*.json"))
    return files


def load_dev_texts(path: Path = DEV_JSONL) -> dict[str, str]:
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                texts[d["doc_id"]] = d["text"]
    return texts


def load_articles(which: str = "all", dev_jsonl: Path = DEV_JSONL) -> tuple[list[Article], list[str]]:
    """The gold articles with their texts, and the reasons for those skipped."""
    arts: list[Article] = []
    skipped: list[str] = []
    dev_texts: dict[str, str] | None = None
    for p in gold_files(which):
        g = json.loads(p.read_text(encoding="utf-8"))
        if g.get("corpus") == "polnear_dev":
            if dev_texts is None:
                if not dev_jsonl.exists():
                    skipped.append(f"{p.name}: {dev_jsonl} is absent (PolNeAR dev texts)")
                    dev_texts = {}
                    continue
                dev_texts = load_dev_texts(dev_jsonl)
            if not dev_texts:
                skipped.append(f"{p.name}: {dev_jsonl} is absent (PolNeAR dev texts)")
                continue
            text = dev_texts.get(g["doc_id"])
            if text is None:
                skipped.append(f"{p.name}: {g['doc_id']} is not in {dev_jsonl.name}")
                continue
        else:
            text = (ROOT / g["text_file"]).read_text(encoding="utf-8")
        if sha256(text) != g["text_sha256"]:
            raise SystemExit(f"{p}: the text's sha256 is {sha256(text)}, the gold was made on "
                             f"{g['text_sha256']}; refusing to score a different text")
        arts.append(Article(g["doc_id"], p, g, text, g.get("corpus", "sample")))
    return arts, skipped


# ---------------------------------------------------------------- spans


def alnum(text: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(k for s, e in spans for k in range(max(0, s), min(len(text), e)) if text[k].isalnum())


def gold_quote_spans(st: dict) -> list[tuple[int, int]]:
    if st.get("quote_spans"):
        return [tuple(x) for x in st["quote_spans"]]
    return [tuple(st["quote"])]


def span_t(span: object) -> tuple[int, int] | None:
    if span is None:
        return None
    return (int(span.start), int(span.end))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


# ---------------------------------------------------------------- the prediction, as plain data


@dataclass
class Pred:
    statements: list[dict]
    actors: list[dict]
    claims: dict[str, dict]
    relations: list[dict]


def plain(doc) -> Pred:
    sts = []
    for s in doc.statements:
        sts.append({
            "quote": span_t(s.quote), "speakers": list(s.speakers), "stance": stance_of(s.stance),
            "claims": list(s.claims), "speaker_mention": span_t(getattr(s, "speaker_mention", None)),
        })
    actors = [{"id": a.id, "name": a.name, "aliases": list(getattr(a, "aliases", []) or []),
               "mentions": [span_t(m) for m in getattr(a, "mentions", []) or []]} for a in doc.actors]
    claims = {c.id: {"id": c.id, "relation": getattr(c, "relation", None),
                     "concerns": list(getattr(c, "concerns", []) or [])} for c in doc.claims}
    rels = [{"id": r.id, "type": norm_type(r.type), "actor": r.actor, "counterpart": r.counterpart}
            for r in doc.relations]
    return Pred(sts, actors, claims, rels)


# ---------------------------------------------------------------- alignment


def align_statements(text: str, gold_sts: list[dict], pred_sts: list[dict]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs: mutual coverage >= 30%, best Jaccard first, one-to-one."""
    g_sets = [alnum(text, gold_quote_spans(g)) for g in gold_sts]
    p_sets = [alnum(text, [p["quote"]]) if p["quote"] else frozenset() for p in pred_sts]
    cands = []
    for i, g in enumerate(g_sets):
        if not g:
            continue
        for j, p in enumerate(p_sets):
            if not p:
                continue
            inter = len(g & p)
            if inter and inter / len(g) >= MIN_COVER and inter / len(p) >= MIN_COVER:
                cands.append((inter / len(g | p), i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def map_actors(text: str, gold: dict, pred: Pred) -> dict[str, str | None]:
    """Predicted actor id -> gold actor id (or None): span votes, then normalised names."""
    g_spans: list[tuple[tuple[int, int], str]] = []
    names: dict[str, set[str]] = defaultdict(set)
    for a in gold["actors"]:
        for m in a.get("mentions", []):
            g_spans.append(((m[0], m[1]), a["id"]))
            names[norm_name(text[m[0]:m[1]])].add(a["id"])
        for n in [a["name"], *a.get("aliases", [])]:
            names[norm_name(n)].add(a["id"])
        names[norm_name(a["id"].replace("-", " "))].add(a["id"])
    for st in gold["statements"]:
        if st.get("speaker_mention") and len(st.get("speakers", [])) == 1:
            g_spans.append((tuple(st["speaker_mention"]), st["speakers"][0]))
    p_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a in pred.actors:
        p_spans[a["id"]] += [m for m in a["mentions"] if m]
    for st in pred.statements:
        if st["speaker_mention"] and len(st["speakers"]) == 1:
            p_spans[st["speakers"][0]].append(st["speaker_mention"])
    out: dict[str, str | None] = {}
    for a in pred.actors:
        votes: Counter[str] = Counter()
        for ps in p_spans[a["id"]]:
            best = 0.0
            best_ids: set[str] = set()
            for gs, gid in g_spans:
                o = overlap(ps, gs)
                if o > best + 1e-9:
                    best, best_ids = o, {gid}
                elif o > 0 and abs(o - best) <= 1e-9:
                    best_ids.add(gid)
            if best >= 0.5:
                for gid in best_ids:
                    votes[gid] += best / len(best_ids)
        for n in [a["name"], a["id"].replace("-", " "), *a["aliases"]]:
            for gid in names.get(norm_name(n), ()):
                votes[gid] += 0.75
        out[a["id"]] = max(sorted(votes), key=lambda k: votes[k]) if votes else None
    return out


# ---------------------------------------------------------------- counts


COUNTERS = (
    "gold_statements", "pred_statements", "matched", "speaker_right",
    "link_tp", "link_fp", "link_fn", "contested", "contested_right",
    "stance_right", "polarity_right", "gold_negative", "gold_negative_matched", "negative_right",
    "rel_tp", "rel_fp", "rel_fn", "actor_tp", "actor_fp", "actor_gold", "actor_hit",
    "claims_with_statements", "claims_covered",
)


@dataclass
class ArticleResult:
    doc_id: str
    corpus: str
    n: Counter = field(default_factory=Counter)
    # (gold claim, polarity) -> predicted claim ids linked by the matched statements (for --corpus)
    sides: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    errors: dict[str, list] = field(default_factory=lambda: defaultdict(list))


def score_article(art: Article, pred: Pred) -> ArticleResult:
    g, text = art.gold, art.text
    res = ArticleResult(art.doc_id, art.corpus)
    n = res.n
    gsts, psts = g["statements"], pred.statements
    pairs = align_statements(text, gsts, psts)
    amap = map_actors(text, g, pred)
    n["gold_statements"], n["pred_statements"], n["matched"] = len(gsts), len(psts), len(pairs)
    matched_g = {i: j for i, j in pairs}

    for i, j in pairs:
        gs, ps = gsts[i], psts[j]
        if {amap.get(s) for s in ps["speakers"]} == set(gs.get("speakers", [])):
            n["speaker_right"] += 1
        else:
            res.errors["speaker"].append((gs["id"], gs.get("speakers"), ps["speakers"]))
        if ps["stance"] == gs["stance"]:
            n["stance_right"] += 1
        else:
            res.errors["stance"].append((gs["id"], gs["stance"], ps["stance"]))
        if polarity(ps["stance"]) == polarity(gs["stance"]):
            n["polarity_right"] += 1
    for i, gs in enumerate(gsts):
        if polarity(gs["stance"]) == -1:
            n["gold_negative"] += 1
            if i in matched_g:
                n["gold_negative_matched"] += 1
                if polarity(psts[matched_g[i]]["stance"]) == -1:
                    n["negative_right"] += 1

    # claim linking, pairwise over matched statements
    for a in range(len(pairs)):
        for b in range(a + 1, len(pairs)):
            (gi, pi), (gj, pj) = pairs[a], pairs[b]
            gl = bool(set(gsts[gi]["claims"]) & set(gsts[gj]["claims"]))
            pl = bool(set(psts[pi]["claims"]) & set(psts[pj]["claims"]))
            if gl and pl:
                n["link_tp"] += 1
            elif pl:
                n["link_fp"] += 1
            elif gl:
                n["link_fn"] += 1
                res.errors["link"].append((gsts[gi]["id"], gsts[gj]["id"]))

    # contested claims (within the article) and the sides for --corpus
    for c in g["claims"]:
        cid = c["id"]
        sides: dict[int, list[int]] = {1: [], -1: []}
        for i, gs in enumerate(gsts):
            p = polarity(gs["stance"])
            if cid in gs["claims"] and p in sides:
                sides[p].append(i)
        for pol, idx in sides.items():
            for i in idx:
                if i in matched_g:
                    ps = psts[matched_g[i]]
                    if polarity(ps["stance"]) == pol:
                        res.sides[(cid, pol)].update(ps["claims"])
        if sides[1] and sides[-1]:
            n["contested"] += 1
            if res.sides.get((cid, 1), set()) & res.sides.get((cid, -1), set()):
                n["contested_right"] += 1
            else:
                res.errors["contested"].append(cid)
        linked = [i for i, gs in enumerate(gsts) if cid in gs["claims"]]
        if linked:
            n["claims_with_statements"] += 1
            if any(i in matched_g and psts[matched_g[i]]["claims"] for i in linked):
                n["claims_covered"] += 1

    # relations
    def key(t: str, a: str | None, b: str | None) -> tuple:
        if t in SYMMETRIC and a is not None and b is not None and b < a:
            a, b = b, a
        return (t, a, b)

    gold_rel = {key(norm_type(r["type"]), r["actor"], r["counterpart"]) for r in g["relations"]}
    pred_rel = {key(r["type"], amap.get(r["actor"]), amap.get(r["counterpart"])) for r in pred.relations}
    n["rel_tp"] = len(gold_rel & pred_rel)
    n["rel_fp"] = len(pred_rel - gold_rel)
    n["rel_fn"] = len(gold_rel - pred_rel)
    res.errors["relation_fp"] = sorted(map(str, pred_rel - gold_rel))
    res.errors["relation_fn"] = sorted(map(str, gold_rel - pred_rel))

    # actors
    salient = set()
    for st in gsts:
        salient.update(st.get("speakers", []))
    for r in g["relations"]:
        salient.update((r["actor"], r["counterpart"]))
    for c in g["claims"]:
        salient.update(c.get("concerns", []))
    hit: set[str] = set()
    for a in pred.actors:
        m = amap.get(a["id"])
        if m is None:
            n["actor_fp"] += 1
            res.errors["actor_fp"].append(a["id"])
        elif m in salient:
            if m in hit:
                n["actor_fp"] += 1  # a second predicted actor for one gold actor
                res.errors["actor_duplicate"].append((a["id"], m))
            else:
                hit.add(m)
                n["actor_tp"] += 1
    n["actor_gold"], n["actor_hit"] = len(salient), len(hit)
    res.errors["actor_fn"] = sorted(salient - hit)
    return res


# ---------------------------------------------------------------- measures


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def ratio(x: int, y: int) -> dict:
    return {"value": round(x / y, 4) if y else 0.0, "x": x, "y": y}


def measures(n: Counter) -> dict:
    m = n["matched"]
    return {
        "statements": prf(m, n["pred_statements"] - m, n["gold_statements"] - m),
        "speaker_accuracy": ratio(n["speaker_right"], m),
        "claim_linking": prf(n["link_tp"], n["link_fp"], n["link_fn"]),
        "contested_both_sides": ratio(n["contested_right"], n["contested"]),
        "stance_accuracy": ratio(n["stance_right"], m),
        "polarity_accuracy": ratio(n["polarity_right"], m),
        "denials_negative": {**ratio(n["negative_right"], n["gold_negative"]),
                             "matched": n["gold_negative_matched"]},
        "relations": prf(n["rel_tp"], n["rel_fp"], n["rel_fn"]),
        "actors": prf(n["actor_tp"], n["actor_fp"], n["actor_gold"] - n["actor_hit"]),
        "claim_coverage": ratio(n["claims_covered"], n["claims_with_statements"]),
    }


def cross_article(results: list[ArticleResult], golds: dict[str, dict]) -> dict:
    """Gold claims with a + statement in one article and a - statement in another."""
    pos: dict[str, dict[str, set[str]]] = defaultdict(dict)
    neg: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for r in results:
        g = golds[r.doc_id]
        for st in g["statements"]:
            p = polarity(st["stance"])
            for cid in st["claims"]:
                if p == 1:
                    pos[cid].setdefault(r.doc_id, set())
                elif p == -1:
                    neg[cid].setdefault(r.doc_id, set())
        for (cid, p), ids in r.sides.items():
            (pos if p == 1 else neg)[cid].setdefault(r.doc_id, set()).update(ids)
    rows = []
    for cid in sorted(set(pos) & set(neg)):
        pairs = [(a, b) for a in pos[cid] for b in neg[cid] if a != b]
        if not pairs:
            continue
        linked = any(pos[cid][a] & neg[cid][b] for a, b in pairs)
        rows.append({"claim": cid, "asserted_in": sorted(pos[cid]), "denied_in": sorted(neg[cid]),
                     "linked": linked})
    return {**ratio(sum(r["linked"] for r in rows), len(rows)), "claims": rows}


@dataclass
class Report:
    results: list[ArticleResult]
    skipped: list[str]
    seconds: float
    golds: dict[str, dict]

    def totals(self, corpus: str | None = None) -> Counter:
        n: Counter = Counter()
        for r in self.results:
            if corpus is None or r.corpus == corpus:
                n.update(r.n)
        return n

    def measures(self, corpus: str | None = None) -> dict:
        return measures(self.totals(corpus))

    def summary(self, corpus_mode: bool = False) -> dict:
        out = {"articles": len(self.results), "skipped": self.skipped, "seconds": round(self.seconds, 2),
               "all": self.measures(),
               "by_corpus": {c: self.measures(c) for c in sorted({r.corpus for r in self.results})},
               "per_article": {r.doc_id: self._article(r) for r in self.results}}
        if corpus_mode:
            out["cross_article"] = cross_article([r for r in self.results if r.corpus == "polnear_dev"],
                                                 self.golds)
        return out

    def _article(self, r: ArticleResult) -> dict:
        m = measures(r.n)
        return {"corpus": r.corpus, "measures": m, "errors": {k: v for k, v in r.errors.items() if v}}


def evaluate(articles: list[Article], skipped: list[str] | None = None, extract=None,
             link: bool = False) -> Report:
    """Score each article; with `link`, the dev articles go through one cross-article claim linker
    in order (as `claimgraph ingest` of the corpus does), so claims shared across articles can meet."""
    if extract is None:
        from claimgraph.extract import extract_text as extract
    linker = None
    if link:
        from claimgraph.corpus.linking import Linker

        linker = Linker()
    t0 = time.perf_counter()
    results = []
    for art in articles:
        doc = extract(art.text)
        if linker is not None and art.corpus == "polnear_dev":
            doc = linker.link(replace(doc, source=replace(doc.source, id=art.doc_id)))
        if doc.source.text != art.text:
            raise SystemExit(f"{art.doc_id}: the extractor changed the text (a front-matter header?); "
                             "offsets would not compare")
        results.append(score_article(art, plain(doc)))
    return Report(results, list(skipped or []), time.perf_counter() - t0, {a.doc_id: a.gold for a in articles})


# ---------------------------------------------------------------- printing


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def lines(m: dict) -> list[str]:
    s, ln, a, r = m["statements"], m["claim_linking"], m["actors"], m["relations"]
    d = m["denials_negative"]
    return [
        f"statements matched        P {_pct(s['P'])}  R {_pct(s['R'])}  F1 {_pct(s['F1'])}"
        f"  ({s['tp']} matched, {s['tp'] + s['fp']} predicted, {s['tp'] + s['fn']} gold)",
        f"speaker accuracy          {_pct(m['speaker_accuracy']['value'])}%"
        f"  ({m['speaker_accuracy']['x']} of {m['speaker_accuracy']['y']} matched)",
        f"claim linking (pairwise)  P {_pct(ln['P'])}  R {_pct(ln['R'])}  F1 {_pct(ln['F1'])}"
        f"  (tp {ln['tp']} fp {ln['fp']} fn {ln['fn']})",
        f"contested, both sides     {m['contested_both_sides']['x']} of {m['contested_both_sides']['y']}"
        " gold contested claims linked by one predicted claim with the right polarities",
        f"stance accuracy           {_pct(m['stance_accuracy']['value'])}%"
        f"  ({m['stance_accuracy']['x']} of {m['stance_accuracy']['y']} matched)",
        f"polarity accuracy         {_pct(m['polarity_accuracy']['value'])}%"
        f"  ({m['polarity_accuracy']['x']} of {m['polarity_accuracy']['y']} matched)",
        f"denials negative          {d['x']} of {d['y']} gold denials/rejections ({d['matched']} matched)",
        f"relation F1               P {_pct(r['P'])}  R {_pct(r['R'])}  F1 {_pct(r['F1'])}"
        f"  (tp {r['tp']} fp {r['fp']} fn {r['fn']})",
        f"actor F1                  P {_pct(a['P'])}  R {_pct(a['R'])}  F1 {_pct(a['F1'])}"
        f"  (tp {a['tp']} fp {a['fp']} missed {a['fn']})",
        f"claim coverage            {_pct(m['claim_coverage']['value'])}%"
        f"  ({m['claim_coverage']['x']} of {m['claim_coverage']['y']} gold claims)",
    ]


def print_report(rep: Report, verbose: bool = False, corpus_mode: bool = False, out=sys.stdout) -> dict:
    summ = rep.summary(corpus_mode)
    by = Counter(r.corpus for r in rep.results)
    print(f"claims_eval: {len(rep.results)} gold articles ({', '.join(f'{v} {k}' for k, v in by.items())})"
          f" in {rep.seconds:.1f} s", file=out)
    for s in rep.skipped:
        print(f"  skipped: {s}", file=out)
    sections = [("all", summ["all"])]
    if len(summ["by_corpus"]) > 1:
        sections += list(summ["by_corpus"].items())
    for name, m in sections:
        print(f"[{name}]", file=out)
        for line in lines(m):
            print("  " + line, file=out)
    if corpus_mode:
        x = summ["cross_article"]
        print(f"[cross-article] {x['x']} of {x['y']} gold claims asserted in one dev article and denied in "
              "another are linked by equal predicted claim ids", file=out)
        if verbose:
            for row in x["claims"]:
                print(f"  {'yes' if row['linked'] else 'no ':3} {row['claim']}: + {', '.join(row['asserted_in'])}"
                      f" / - {', '.join(row['denied_in'])}", file=out)
    if verbose:
        hdr = f"{'article':52} {'gold':>4} {'pred':>4} {'mat':>4} {'spk':>4} {'link':>5} {'stnc':>5}" \
              f" {'neg':>5} {'relF':>5} {'actF':>5} {'cov':>5}"
        print(hdr, file=out)
        for r in rep.results:
            m = summ["per_article"][r.doc_id]["measures"]
            print(f"{r.doc_id[:52]:52} {r.n['gold_statements']:4} {r.n['pred_statements']:4} {r.n['matched']:4}"
                  f" {r.n['speaker_right']:4} {m['claim_linking']['F1']:5.2f} {m['stance_accuracy']['value']:5.2f}"
                  f" {r.n['negative_right']:2}/{r.n['gold_negative']:<2} {m['relations']['F1']:5.2f}"
                  f" {m['actors']['F1']:5.2f} {m['claim_coverage']['value']:5.2f}", file=out)
            for k, v in summ["per_article"][r.doc_id]["errors"].items():
                print(f"    {k}: {v}", file=out)
    return summ


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", action="store_true", help="only the sample gold (bench/gold/*.json)")
    ap.add_argument("--dev", action="store_true", help="only the PolNeAR dev gold (bench/gold/polnear/)")
    ap.add_argument("--corpus", action="store_true", help="also claims contested across dev articles")
    ap.add_argument("--no-link", action="store_true",
                    help="with --corpus: do not link claims across articles (claimgraph.corpus.linking)")
    ap.add_argument("--verbose", "-v", action="store_true", help="per-article table and errors (ids only)")
    ap.add_argument("--json", metavar="OUT", help="write the summary as JSON")
    ap.add_argument("--dev-jsonl", default=str(DEV_JSONL), help="the PolNeAR dev texts")
    a = ap.parse_args(argv)
    which = "sample" if a.sample and not a.dev else "dev" if a.dev and not a.sample else "all"
    arts, skipped = load_articles(which, Path(a.dev_jsonl))
    rep = evaluate(arts, skipped, link=a.corpus and not a.no_link)
    summ = print_report(rep, a.verbose, a.corpus)
    if a.json:
        Path(a.json).write_text(json.dumps(summ, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
