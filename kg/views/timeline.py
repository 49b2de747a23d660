"""Statements in time: an actor's timeline, a claim's timeline of assertions and denials, "as of" a day.

Each statement's day is its `cg:statedOn` (the day the text gives, else its article's; `basis` says
which). A statement from an article without a date has no day: it is listed under `undated`, never
placed on the timeline by a guess, and an `as_of` question leaves it out and says how many it left.

A hub actor speaks in thousands of articles, so a timeline is answered a page at a time: the
statements in time order (dated ones, then the undated), `limit` of them from `cursor` on, with
`total`, `counts` and `first` covering them all. The months come from the summary graph's time
buckets when it is kept (claimgraph.store.summary), so a page reads the statements of the months
it shows and no others; otherwise they are counted from the article graphs, with the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..errors import ClaimgraphError, NotFound
from ..rdf.nodeid import node_id
from ..rdf.vocab import CG, entity_iri
from ..store import summary
from ..store.base import KnowledgeStore
from ..store.summary import UNDATED, TimeBucket
from .catalog import local, side, stance_sides, values_block

# The details of the statements of a few months, each statement bound first and read inside its
# own graph, one straight pattern per question (an OPTIONAL's right side is read over the whole
# store by Oxigraph, and a claim or actor shared by many articles must not be joined over the union).
_DETAILS = {
    "core": """SELECT ?st ?stance ?quote ?start ?source WHERE {{ {values} GRAPH ?g {{
      ?st cg:stance ?stance ; cg:evidence ?span ; schema:isPartOf ?article . ?article cg:sourceId ?source .
      ?span oa:hasSelector ?pos . ?pos oa:start ?start . ?span oa:hasSelector ?sel . ?sel oa:exact ?quote }} }}""",
    "day": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:statedOn ?v }} }}",
    "basis": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:dateBasis ?v }} }}",
    "headline": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st schema:isPartOf ?a . ?a schema:headline ?v }} }}",
    "url": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st schema:isPartOf ?a . ?a schema:url ?v }} }}",
    "claims": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:about ?v }} }}",
    "claimText": "SELECT ?st ?v ?t WHERE {{ {values} GRAPH ?g {{ ?st cg:about ?v . ?v schema:text ?t }} }}",
    "speakers": "SELECT ?st ?v WHERE {{ {values} GRAPH ?g {{ ?st cg:speaker ?v }} }}",
    "speakerName": "SELECT ?st ?v ?t WHERE {{ {values} GRAPH ?g {{ ?st cg:speaker ?v . ?v schema:name ?t }} }}",
}
_EXISTS = "ASK { GRAPH ?g { ?node ?p ?o } }"
_BASIS = {str(CG.TextDate): "text", str(CG.ArticleDate): "article"}
_ROLE = {"actor": str(CG.speaker), "claim": str(CG.about)}
UNDATED_NOTE = "from articles without a date: claimgraph does not guess when they were said"
CHUNK = 500
"""Statements per VALUES block when reading a page's details."""


def _day(as_of: str | dt.date | None) -> dt.date | None:
    if as_of is None or isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise ClaimgraphError(f"as_of {as_of!r} is not a day (YYYY-MM-DD)") from None


def _offset(cursor: str | None, limit: int | None) -> int:
    if limit is not None and limit < 1:
        raise ClaimgraphError(f"limit must be at least 1, not {limit}")
    if cursor is None or cursor == "":
        return 0
    if not cursor.isdigit():
        raise ClaimgraphError(f"cursor {cursor!r} is not one this timeline gave (use the 'next' of a page)")
    return int(cursor)


def actor_timeline(store: KnowledgeStore, actor_id: str, as_of: str | dt.date | None = None, *,
                   limit: int | None = None, cursor: str | None = None) -> dict[str, Any]:
    """What an actor said, in time order: each statement with its day, stance, side, claims and quote.
    `limit` statements from `cursor` (a page's `next`) on; all of them without a limit."""
    slug = actor_id.removeprefix("actor/")
    return _timeline(store, "actor", slug, as_of, limit, cursor)


def claim_timeline(store: KnowledgeStore, claim_id: str, as_of: str | dt.date | None = None, *,
                   limit: int | None = None, cursor: str | None = None) -> dict[str, Any]:
    """A claim's assertions and denials in time order, and whether it was contested as of each day."""
    slug = claim_id.removeprefix("claim/")
    return _timeline(store, "claim", slug, as_of, limit, cursor)


def _details(store: KnowledgeStore, statements: list[str]) -> list[dict[str, Any]]:
    """The timeline items of these statements, unordered (a statement without evidence has none)."""
    sides = stance_sides(store)
    items: dict[str, dict[str, Any]] = {}
    extra: dict[str, dict[str, list[Any]]] = {}
    for i in range(0, len(statements), CHUNK):
        values = values_block("st", statements[i:i + CHUNK])
        for r in store.select(_DETAILS["core"].format(values=values)).dicts():
            old = items.get(r["st"])
            if old is None or (r["stance"], r["start"]) < (old["_stance"], old["start"]):
                items[r["st"]] = {"statement": node_id(r["st"]), "_stance": r["stance"], "quote": r["quote"],
                                  "start": r["start"], "source": r["source"]}
        for field, q in _DETAILS.items():
            if field == "core":
                continue
            for row in store.select(q.format(values=values)).rows:
                vals = [None if t is None else t.value for t in row]
                extra.setdefault(vals[0], {}).setdefault(field, []).append(vals[1:])
    out = []
    for st, item in items.items():
        got = extra.get(st, {})
        days = sorted(v[0] for v in got.get("day", []))
        stance = item.pop("_stance")
        names = {v[0]: v[1] for v in got.get("speakerName", [])}
        texts = {v[0]: v[1] for v in got.get("claimText", [])}
        item.update({
            "day": days[0] if days else None, "date_basis": _BASIS.get(min((v[0] for v in got.get("basis", [])), default="")),
            "stance": local(stance), "side": side(sides.get(stance)),
            "headline": min((v[0] for v in got.get("headline", [])), default=None),
            "url": min((v[0] for v in got.get("url", [])), default=None),
            "claims": [{"id": node_id(c), "text": texts.get(c)} for c in sorted({v[0] for v in got.get("claims", [])})],
            "speakers": [{"id": node_id(s), "name": names.get(s)} for s in sorted({v[0] for v in got.get("speakers", [])})],
        })
        out.append({k: item[k] for k in ("statement", "day", "date_basis", "stance", "side", "quote", "start", "source",
                                          "headline", "url", "claims", "speakers")})
    return out


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["day"] or "", item["source"], item["start"], item["statement"])


def _timeline(store: KnowledgeStore, kind: str, slug: str, as_of: str | dt.date | None,
              limit: int | None, cursor: str | None) -> dict[str, Any]:
    iri = entity_iri(kind, slug)
    day = _day(as_of)
    offset = _offset(cursor, limit)
    if not store.query(_EXISTS, {"node": iri}):
        raise NotFound(f"{kind} {slug!r} not found in the store")
    # kept unless the summary has no months for it: a node the summary does not count (a speaker not
    # typed as an actor, written around claimgraph) is counted here, as the views always did
    buckets = summary.time_buckets(store, str(iri)) if summary.kept(store) else []
    if buckets:
        members: Callable[[list[str]], list[str]] = lambda months: summary.bucket_statements(store, str(iri), months)  # noqa: E731
    else:
        buckets, counted = summary.count_buckets(store, str(iri), _ROLE[kind])
        members = lambda months: [st for m in months for st in counted.get(m, [])]  # noqa: E731
    out = _Pager(store, buckets, members, day).page(offset, limit, contested=kind == "claim")
    return {"id": f"{kind}/{slug}", "as_of": day.isoformat() if day else None, **out}


class _Pager:
    """Cuts a page of the timeline from its months, reading the statements of a month only when the
    page, `first` or the `as_of` day needs them."""

    def __init__(self, store: KnowledgeStore, buckets: list[TimeBucket],
                 members: Callable[[list[str]], list[str]], day: dt.date | None) -> None:
        self.store, self.members, self.cut = store, members, day.isoformat() if day else None
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.later = sum(b.statements for b in buckets if b.month != UNDATED and self.cut and b.month > self.cut[:7])
        self.undated = next((b.statements for b in buckets if b.month == UNDATED), 0)
        self.dated = [b for b in buckets if b.month != UNDATED and not (self.cut and b.month > self.cut[:7])]
        if self.cut and self.dated and self.dated[-1].month == self.cut[:7]:
            # the as_of month: what was said after the day is left out, and its counts are those left
            last = self.dated[-1]
            keep = [i for i in self._of([last])[last.month] if i["day"] and i["day"] <= self.cut]
            self.later += last.statements - len(keep)
            self.items[last.month] = keep
            self.dated[-1] = TimeBucket(last.month, len(keep), sum(i["side"] == "supports" for i in keep),
                                        sum(i["side"] == "opposes" for i in keep))

    def _of(self, buckets: list[TimeBucket]) -> dict[str, list[dict[str, Any]]]:
        missing = [b.month for b in buckets if b.month not in self.items]
        if missing:
            found = _details(self.store, self.members(missing))
            for m in missing:
                self.items[m] = []
            asked = set(missing)
            for item in found:
                if summary.month_of(item["day"]) in asked:
                    self.items[summary.month_of(item["day"])].append(item)
            for m in missing:
                self.items[m].sort(key=_order)
        return {b.month: self.items[b.month] for b in buckets}

    def page(self, offset: int, limit: int | None, *, contested: bool) -> dict[str, Any]:
        seq = self.dated + ([TimeBucket(UNDATED, self.undated, 0, 0)] if self.undated and not self.cut else [])
        total = sum(b.statements for b in seq)
        end = total if limit is None else offset + limit
        pos, need, before = 0, [], []
        for b in seq:
            if pos + b.statements > offset and pos < end and b.statements:
                need.append((pos, b))
            elif pos + b.statements <= offset:
                before.append(b)
            pos += b.statements
        got = self._of([b for _, b in need])
        run = [i for _, b in need for i in got[b.month]]
        start = need[0][0] if need else 0
        page = run[offset - start:end - start]
        out: dict[str, Any] = {}
        if self.cut:
            out["left_out"] = {"later": self.later, "undated": self.undated}
        out["items"] = [i for i in page if i["day"]]
        out["undated"] = [i for i in page if not i["day"]]
        if self.undated:
            out["undated_note"] = UNDATED_NOTE
        # copies: the same statement on the page gets contested_so_far, `first` never does
        out["first"] = {s: None if (i := self._first(s)) is None else dict(i) for s in ("supports", "opposes")}
        if contested:
            # contested from the first day both sides have spoken: the months before the page say
            # which sides had spoken by then
            seen = {s for b in before if b.month != UNDATED for s, n in (("supports", b.supports), ("opposes", b.opposes)) if n}
            marks = {}
            for i in run:
                if i["day"]:
                    seen.add(i["side"])
                    marks[i["statement"]] = {"supports", "opposes"} <= seen
            for i in out["items"]:
                i["contested_so_far"] = marks[i["statement"]]
            out["contested"] = any(b.supports for b in self.dated) and any(b.opposes for b in self.dated)
        out["total"] = total
        out["counts"] = {"dated": sum(b.statements for b in self.dated), "undated": 0 if self.cut else self.undated}
        out["limit"] = limit
        out["next"] = str(end) if end < total else None
        return out

    def _first(self, which: str) -> dict[str, Any] | None:
        for b in self.dated:
            if (b.supports if which == "supports" else b.opposes):
                return next((i for i in self._of([b])[b.month] if i["side"] == which), None)
        return None
