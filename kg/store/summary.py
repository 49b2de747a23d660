"""Kept views: the summary graph, counts kept at every write instead of recomputed per request.

One named graph, `SUMMARY_GRAPH` (<https://claimgraph.org/id/summary>, a cg:SummaryGraph), holds

* per claim (an IRI typed cg:Claim with a schema:text in some graph): cg:statementCount (distinct
  statements about it), cg:supportCount / cg:opposeCount / cg:neutralCount (distinct statements
  whose stance is of that side in the ontology), cg:articleCount (graphs holding a statement about
  it), cg:contested (support and oppose both > 0), and a cg:Tally per stance (cg:tallyStance,
  cg:count);
* per actor (an IRI typed with an actor class in some graph): cg:statementCount (statements it
  speaks) and a cg:Tally per explorer edge kind and end (cg:tallyPredicate, cg:tallyEnd "subject" or
  "object", cg:count distinct neighbours): the neighbourhood's per-predicate totals;
* per claim and per actor, its timeline by month: a cg:TimeBucket per month ("YYYY-MM" of each
  statement's cg:statedOn, or "undated") with cg:count, cg:bucketSupports, cg:bucketOpposes and a
  cg:bucketStatement per statement (about the claim; spoken by the actor), so a timeline page reads
  the months it shows and no others;
* on the graph itself, while the summary is consistent with the article graphs, the marker
  `<graph> cg:summaryVersion "<layout> <ontology sha256>"`.

Every count is defined by the same SPARQL the views ran before (each pattern inside one article's
graph), so `rebuild` and the incremental `refresh` of a few entities give the same triples.

How writes keep it (both backends, under the store's writer lock): each write removes the marker in
the write's own transaction (or just before it), and when the summary was consistent before the
write, rewrites the entries of the claims and actors the written graphs mention, before and after,
and puts the marker back, in one more update. A claim's counts change only through triples of
statements about it, and a statement lives in one graph, so the claims and actors named in the old
and new content of the written graphs are all that can change. SPARQL Update may change anything:
it only removes the marker, and the summary is rebuilt before it is next read (`kept`). A crash
between the write and the refresh leaves the marker off, so nothing stale is ever read as fresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import StoreError
from ..rdf.mapper import ACTOR_CLASS
from ..rdf.vocab import CG, CG_NS, RDF, SCHEMA, SUMMARY_GRAPH, ontology_path, summary_node

if TYPE_CHECKING:
    from .base import KnowledgeStore

LAYOUT = "2"
"""Bump when the summary's triples change shape: a summary of another layout is stale."""

EDGE_PREDICATES: tuple[str, ...] = tuple(str(p) for p in (
    CG.speaker, CG.about, CG.recipient, SCHEMA.isPartOf, CG.proposes, CG.concerns, CG.actor,
    CG.counterpart, CG.affiliatedWith, SCHEMA.publisher))
"""The stored predicates of the explorer's edges (claimgraph.views.neighbourhood.EDGE_KINDS)."""

SIDES: dict[str, str] = {str(CG.SupportingStance): "supports", str(CG.OpposingStance): "opposes",
                         str(CG.NeutralStance): "neutral"}
CHUNK = 500
"""Entities per VALUES block: one index range each, and a bounded update text."""

_S = ox.NamedNode(str(SUMMARY_GRAPH))
_ONTOLOGY = ox.NamedNode(CG_NS.rstrip("#/"))
_N = {name: ox.NamedNode(str(CG[name])) for name in (
    "statementCount", "supportCount", "opposeCount", "neutralCount", "articleCount", "contested", "tallyOf",
    "tallyStance", "tallyPredicate", "tallyEnd", "count", "summaryVersion", "Tally", "SummaryGraph", "TimeBucket",
    "bucketMonth", "bucketSupports", "bucketOpposes", "bucketStatement")}
_TYPE = ox.NamedNode(str(RDF.type))
_SIDE_COUNT = {"supports": _N["supportCount"], "opposes": _N["opposeCount"], "neutral": _N["neutralCount"]}
_ACTOR_CLASSES = ", ".join(f"<{c}>" for c in ACTOR_CLASS.values())
_PREDS = ", ".join(f"<{p}>" for p in EDGE_PREDICATES)
_SIDE_CLASSES = ", ".join(f"<{c}>" for c in SIDES)


@cache
def marker_value() -> str:
    """The marker's literal: the layout and the ontology it was counted with (a new ontology may put
    a stance on another side, so a summary counted with an older one is stale)."""
    return f"{LAYOUT} {hashlib.sha256(ontology_path().read_bytes()).hexdigest()}"


def _marker() -> ox.Triple:
    return ox.Triple(_S, _N["summaryVersion"], ox.Literal(marker_value()))


STALE = f"DELETE WHERE {{ GRAPH {_S} {{ {_S} {_N['summaryVersion']} ?v }} }}"
"""The update operation that marks the summary stale; writes run it in their own transaction."""
_FRESH = f"ASK WHERE {{ GRAPH {_S} {{ {_S} {_N['summaryVersion']} ?v }} }}"


# ------------------------------------------------------------------ what a write touches

# every node at either end of an explorer edge is an actor candidate (arbitrary Graph Store
# content may put an actor anywhere); the refresh keeps those typed as actors
_TOUCHED = """SELECT DISTINCT ?e ?k WHERE {{ {values} GRAPH ?g {{
  {{ ?e a cg:Claim BIND("c" AS ?k) }} UNION {{ ?st cg:about ?e BIND("c" AS ?k) }}
  UNION {{ ?e a ?t FILTER(?t IN ({actors})) BIND("a" AS ?k) }}
  UNION {{ ?x ?p ?e FILTER(?p IN ({preds})) BIND("a" AS ?k) }}
  UNION {{ ?e ?p ?x FILTER(?p IN ({preds})) BIND("a" AS ?k) }}
}} FILTER(isIRI(?e)) }}"""


@dataclass(slots=True)
class Touched:
    """Claims and actor candidates (IRIs) whose summary entries a write may have changed."""

    claims: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)

    def __or__(self, other: Touched) -> Touched:
        return Touched(self.claims | other.claims, self.actors | other.actors)


def _values(var: str, iris: Iterable[str]) -> str:
    # IRIs the store itself returned, re-checked by pyoxigraph: nothing can break out of <...>
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def _chunks(items: Iterable[str], n: int = CHUNK) -> Iterator[list[str]]:
    ordered = sorted(items)
    for i in range(0, len(ordered), n):
        yield ordered[i:i + n]


def touched(store: KnowledgeStore, graphs: Iterable[str]) -> Touched:
    """The claims and actor candidates named in these graphs as they are now."""
    out = Touched()
    for chunk in _chunks(set(graphs), 100):
        q = _TOUCHED.format(values=_values("g", chunk), actors=_ACTOR_CLASSES, preds=_PREDS)
        for e, k in store.select(q).rows:
            if e is not None and k is not None:
                (out.claims if k.value == "c" else out.actors).add(e.value)
    return out


# ------------------------------------------------------------------ counting

_CLAIMS = "SELECT DISTINCT ?c WHERE {{ {values} GRAPH ?g {{ ?c a cg:Claim ; schema:text ?t }} FILTER(isIRI(?c)) }}"
_CLAIM_STANCES = ("SELECT ?c ?stance (COUNT(DISTINCT ?st) AS ?n) WHERE {{ {values} "
                  "GRAPH ?g {{ ?st cg:about ?c ; cg:stance ?stance }} }} GROUP BY ?c ?stance")
# per side, distinct statements (what the claim list and contested-claims.rq count), the side read
# from the ontology's graph
_CLAIM_SIDES = ("SELECT ?c ?cls (COUNT(DISTINCT ?st) AS ?n) WHERE {{ {values} "
                "GRAPH ?g {{ ?st cg:about ?c ; cg:stance ?stance }} GRAPH ?o {{ ?stance a ?cls }} "
                "FILTER(?cls IN ({sides})) }} GROUP BY ?c ?cls")
_CLAIM_TOTALS = ("SELECT ?c (COUNT(DISTINCT ?st) AS ?n) (COUNT(DISTINCT ?g) AS ?a) WHERE {{ {values} "
                 "GRAPH ?g {{ ?st cg:about ?c }} }} GROUP BY ?c")
# a timeline's statements: those the view lists (a stance and evidence), each with its day
_TIMELINE = ("SELECT DISTINCT ?e ?st ?day ?stance WHERE {{ {values} GRAPH ?g {{ "
             "?st <{pred}> ?e ; cg:stance ?stance ; cg:evidence ?span . OPTIONAL {{ ?st cg:statedOn ?day }} }} }}")
_STANCE_SIDES = "SELECT ?s ?cls WHERE {{ GRAPH ?o {{ ?s a ?cls }} FILTER(?cls IN ({sides})) }}"
UNDATED = "undated"
"""The month of the time bucket of statements without a day."""
_ACTORS = "SELECT DISTINCT ?a WHERE {{ {values} GRAPH ?g {{ ?a a ?t }} FILTER(?t IN ({actors}) && isIRI(?a)) }}"
# the neighbourhood's per-predicate totals (views/neighbourhood.py _GROUPS), for many nodes at once
_ACTOR_EDGES = """SELECT ?node ?p ?dir (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {values}
  {{ GRAPH ?g {{ ?node ?p ?x }} FILTER(?p IN ({preds})) BIND("subject" AS ?dir) }}
  UNION {{ GRAPH ?g {{ ?x ?p ?node }} FILTER(?p IN ({preds})) BIND("object" AS ?dir) }}
}} GROUP BY ?node ?p ?dir"""


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def _claim_triples(store: KnowledgeStore, claims: list[str]) -> list[ox.Triple]:
    values = _values("c", claims)
    stances: dict[str, dict[str, int]] = {}
    for c, stance, n in store.select(_CLAIM_STANCES.format(values=values)).rows:
        if c is not None and stance is not None and n is not None:
            stances.setdefault(c.value, {})[stance.value] = int(n.value)
    sides: dict[str, dict[str, int]] = {}
    for c, cls, n in store.select(_CLAIM_SIDES.format(values=values, sides=_SIDE_CLASSES), {"o": _ONTOLOGY}).rows:
        if c is not None and cls is not None and n is not None:
            sides.setdefault(c.value, {})[SIDES[cls.value]] = int(n.value)
    totals: dict[str, tuple[int, int]] = {}
    for c, n, a in store.select(_CLAIM_TOTALS.format(values=values)).rows:
        if c is not None and n is not None and a is not None:
            totals[c.value] = (int(n.value), int(a.value))
    out: list[ox.Triple] = []
    for c in claims:
        node = ox.NamedNode(c)
        n, a = totals.get(c, (0, 0))
        side = sides.get(c, {})
        out += [ox.Triple(node, _N["statementCount"], _int(n)), ox.Triple(node, _N["articleCount"], _int(a))]
        out += [ox.Triple(node, _SIDE_COUNT[k], _int(side.get(k, 0))) for k in ("supports", "opposes", "neutral")]
        contested = side.get("supports", 0) > 0 and side.get("opposes", 0) > 0
        out.append(ox.Triple(node, _N["contested"], ox.Literal(contested)))
        for stance, k in sorted(stances.get(c, {}).items()):
            t = ox.NamedNode(str(summary_node(c, "stance", stance.rsplit("#", 1)[-1].rsplit("/", 1)[-1])))
            out += [ox.Triple(t, _TYPE, _N["Tally"]), ox.Triple(t, _N["tallyOf"], node),
                    ox.Triple(t, _N["tallyStance"], ox.NamedNode(stance)), ox.Triple(t, _N["count"], _int(k))]
    return out + _bucket_triples(store, claims, str(CG.about))


@dataclass(frozen=True, slots=True)
class TimeBucket:
    """One month of a claim's or an actor's timeline, as kept: statements, supporting, opposing."""

    month: str
    statements: int
    supports: int
    opposes: int


def month_of(day: str | None) -> str:
    """The time bucket of a statement stated on `day` (ISO), or `UNDATED`."""
    return day[:7] if day else UNDATED


def _months(store: KnowledgeStore, entities: list[str], pred: str) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """entity -> month -> [(statement, side)] in statement order: each entity's timeline by month, counted
    from the article graphs (a statement with two days or stances takes the least of each, as the view does)."""
    sides = {s.value: SIDES[c.value] for s, c in store.select(_STANCE_SIDES.format(sides=_SIDE_CLASSES),
                                                               {"o": _ONTOLOGY}).rows if s is not None and c is not None}
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    for e, st, day, stance in store.select(_TIMELINE.format(values=_values("e", entities), pred=pred)).rows:
        if e is None or st is None or stance is None:
            continue
        d = day.value if day is not None else ""
        old = seen.setdefault(e.value, {}).get(st.value)
        if old is not None:
            d = min((x for x in (old[0], d) if x), default="")
        seen[e.value][st.value] = (d, stance.value if old is None else min(old[1], stance.value))
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for e, sts in seen.items():
        for st, (d, stance) in sorted(sts.items()):
            out.setdefault(e, {}).setdefault(month_of(d), []).append((st, sides.get(stance, "neutral")))
    return out


def _bucket(month: str, sts: list[tuple[str, str]]) -> TimeBucket:
    return TimeBucket(month, len(sts), sum(side == "supports" for _, side in sts),
                      sum(side == "opposes" for _, side in sts))


def _bucket_triples(store: KnowledgeStore, entities: list[str], pred: str) -> list[ox.Triple]:
    counted = _months(store, entities, pred)
    out: list[ox.Triple] = []
    for e in entities:
        for m, sts in sorted(counted.get(e, {}).items()):
            k, b = _bucket(m, sts), ox.NamedNode(str(summary_node(e, "month", m)))
            out += [ox.Triple(b, _TYPE, _N["TimeBucket"]), ox.Triple(b, _N["tallyOf"], ox.NamedNode(e)),
                    ox.Triple(b, _N["bucketMonth"], ox.Literal(m)), ox.Triple(b, _N["count"], _int(k.statements)),
                    ox.Triple(b, _N["bucketSupports"], _int(k.supports)),
                    ox.Triple(b, _N["bucketOpposes"], _int(k.opposes))]
            out += [ox.Triple(b, _N["bucketStatement"], ox.NamedNode(st)) for st, _ in sts]
    return out


def _actor_triples(store: KnowledgeStore, actors: list[str]) -> list[ox.Triple]:
    edges: dict[str, list[tuple[str, str, int]]] = {}
    for node, p, d, n in store.select(_ACTOR_EDGES.format(values=_values("node", actors), preds=_PREDS)).rows:
        if node is not None and p is not None and d is not None and n is not None:
            edges.setdefault(node.value, []).append((p.value, d.value, int(n.value)))
    out: list[ox.Triple] = []
    speaker = str(CG.speaker)
    for a in actors:
        node = ox.NamedNode(a)
        rows = sorted(edges.get(a, []))
        said = sum(n for p, d, n in rows if p == speaker and d == "object")
        out.append(ox.Triple(node, _N["statementCount"], _int(said)))
        for p, d, n in rows:
            t = ox.NamedNode(str(summary_node(a, "edge", p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], d)))
            out += [ox.Triple(t, _TYPE, _N["Tally"]), ox.Triple(t, _N["tallyOf"], node),
                    ox.Triple(t, _N["tallyPredicate"], ox.NamedNode(p)), ox.Triple(t, _N["tallyEnd"], ox.Literal(d)),
                    ox.Triple(t, _N["count"], _int(n))]
    return out + _bucket_triples(store, actors, str(CG.speaker))


def _existing(store: KnowledgeStore, query: str, var: str, iris: Iterable[str]) -> list[str]:
    out: set[str] = set()
    for chunk in _chunks(iris):
        rows = store.select(query.format(values=_values(var, chunk), actors=_ACTOR_CLASSES)).rows
        out |= {r[0].value for r in rows if r[0] is not None}
    return sorted(out)


def _insert(triples: list[ox.Triple]) -> list[str]:
    return [f"INSERT DATA {{ GRAPH {_S} {{\n" + "".join(f"{t} .\n" for t in triples[i:i + 5000]) + "} }"
            for i in range(0, len(triples), 5000)]


def _fresh_ops() -> list[str]:
    return [STALE, f"INSERT DATA {{ GRAPH {_S} {{ {_S} {_TYPE} {_N['SummaryGraph']} . {_marker()} }} }}"]


def fresh_update() -> str:
    """The update that marks the summary consistent again (after a write that changed nothing)."""
    return " ;\n".join(_fresh_ops())


def _entries(store: KnowledgeStore, entities: Iterable[str]) -> set[ox.Triple]:
    """The summary's triples about these entities as kept: their own and their tallies' and buckets'."""
    out: set[ox.Triple] = set()
    for chunk in _chunks(entities):
        q = (f"SELECT ?s ?p ?o WHERE {{ {_values('e', chunk)} GRAPH {_S} {{ {{ ?e ?p ?o BIND(?e AS ?s) }} "
             f"UNION {{ ?s {_N['tallyOf']} ?e . ?s ?p ?o }} }} }}")
        out |= {ox.Triple(s, p, o) for s, p, o in store.select(q).rows if s is not None and p is not None and o is not None}
    return out


def _delete_data(triples: list[ox.Triple]) -> list[str]:
    return [f"DELETE DATA {{ GRAPH {_S} {{\n" + "".join(f"{t} .\n" for t in triples[i:i + 5000]) + "} }"
            for i in range(0, len(triples), 5000)]


def refresh(store: KnowledgeStore, what: Touched) -> None:
    """Recount the entries of these claims and actor candidates from the article graphs, write what
    differs from the kept ones and mark the summary consistent, in one update. Only correct when the
    rest of the summary is: callers (the write paths) run it when the summary was consistent before
    their write. Writing the difference matters for a hub: an article naming an actor who spoke
    1,833 times changes a few of its 2,000 kept triples (rewriting all of them cost 0.6 s at 1M)."""
    claims = _existing(store, _CLAIMS, "c", what.claims)
    actors = _existing(store, _ACTORS, "a", what.actors)
    triples: list[ox.Triple] = []
    for chunk in _chunks(claims):
        triples += _claim_triples(store, chunk)
    for chunk in _chunks(actors):
        triples += _actor_triples(store, chunk)
    new, old = set(triples), _entries(store, what.claims | what.actors)
    gone, added = sorted(old - new, key=str), sorted(new - old, key=str)
    store._write_summary(" ;\n".join([*_delete_data(gone), *_insert(added), *_fresh_ops()]))


def _everything(store: KnowledgeStore) -> tuple[list[str], list[str]]:
    claims = {r[0].value for r in store.select(_CLAIMS.format(values="")).rows if r[0] is not None}
    actors = {r[0].value for r in store.select(_ACTORS.format(values="", actors=_ACTOR_CLASSES)).rows
              if r[0] is not None}
    return sorted(claims), sorted(actors)


def _counted(store: KnowledgeStore, claims: list[str], actors: list[str]) -> Iterator[tuple[int, list[ox.Triple]]]:
    """(entities done, their triples) a chunk at a time: claims, then actors."""
    for chunk in _chunks(claims):
        yield len(chunk), _claim_triples(store, chunk)
    for chunk in _chunks(actors):
        yield len(chunk), _actor_triples(store, chunk)


def rebuild(store: KnowledgeStore, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Recount the whole summary from the article graphs (`claimgraph reindex`); the caller holds the
    writer lock. `progress(done, total)` hears each chunk of entities. Returns what it counted."""
    claims, actors = _everything(store)
    total, done, triples = len(claims) + len(actors), 0, 0
    # dropped (so marked stale) first: a rebuild cut short is rebuilt again, never read
    store._write_summary(f"DROP SILENT GRAPH {_S}")
    for n, ts in _counted(store, claims, actors):
        if ts:
            store._write_summary(" ;\n".join(_insert(ts)))
        triples += len(ts)
        done += n
        if progress is not None:
            progress(done, total)
    store._write_summary(fresh_update())
    return {"claims": len(claims), "actors": len(actors), "triples": triples + 2}


def reindex(store: KnowledgeStore, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """`claimgraph reindex`: rebuild the summary graph from the article graphs under the writer lock
    (listeners hear that the store changed); returns what it counted."""
    if not getattr(store, "keeps_summary", False):
        raise StoreError(f"{type(store).__name__} keeps no summary graph (a reasoned view reads the "
                         "summary of the store it reasons over: reindex that)")
    if not store.writable:
        raise StoreError("this store was opened read-only: reindex needs to write the summary graph")
    with store.writing():
        return rebuild(store, progress)


def recount(store: KnowledgeStore) -> set[ox.Triple]:
    """The summary's triples as a rebuild would count them now, without writing (to check the kept ones)."""
    claims, actors = _everything(store)
    out = {t for _, ts in _counted(store, claims, actors) for t in ts}
    return out | {ox.Triple(_S, _TYPE, _N["SummaryGraph"]), _marker()}


def kept_triples(store: KnowledgeStore) -> set[ox.Triple]:
    """The summary graph's triples as kept in the store."""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {_S} {{ ?s ?p ?o }} }}").rows
    return {ox.Triple(s, p, o) for s, p, o in rows if s is not None and p is not None and o is not None}


def is_fresh(store: KnowledgeStore) -> bool:
    """Whether the summary is marked consistent with the article graphs, for this layout and ontology."""
    return bool(store.query(_FRESH, {"v": ox.Literal(marker_value())}))


def kept(store: KnowledgeStore) -> bool:
    """Whether readers may use the summary: consistent, or made so now (rebuilt under the writer lock
    when a write such as a SPARQL Update left it stale). False on a store that keeps none (a reasoned
    view) or a read-only handle on a stale one: readers then count from the article graphs."""
    if not getattr(store, "keeps_summary", False):
        return False
    if is_fresh(store):
        return True
    if not store.writable:
        return False
    with store.writing():  # listeners hear that the summary graph changed (result caches)
        if not is_fresh(store):
            rebuild(store)
    return True


@contextmanager
def keeping(store: KnowledgeStore, graphs: list[str], *, before: bool = True) -> Iterator[None]:
    """Around a write of these named graphs that removes the marker itself (`STALE` in its own
    transaction): the entries they touch are refreshed after it when the summary was consistent
    before. `before=False` when the graphs are new (nothing to read first)."""
    if not getattr(store, "keeps_summary", False):
        yield
        return
    fresh = is_fresh(store)
    old = touched(store, graphs) if fresh and before else Touched()
    yield
    if fresh:
        refresh(store, old | touched(store, graphs))


# ------------------------------------------------------------------ reading

_CLAIM_ENTRY = f"""SELECT ?p ?o ?stance WHERE {{ GRAPH {_S} {{
  {{ ?c ?p ?o }} UNION {{ ?t {_N['tallyOf']} ?c ; {_N['tallyStance']} ?stance ; {_N['count']} ?o BIND({_N['count']} AS ?p) }}
}} }}"""
_ACTOR_ENTRY = f"""SELECT ?pred ?end ?n WHERE {{ GRAPH {_S} {{
  ?t {_N['tallyOf']} ?a ; {_N['tallyPredicate']} ?pred ; {_N['tallyEnd']} ?end ; {_N['count']} ?n }} }}"""
_CLAIM_IDS = f"SELECT ?c WHERE {{ GRAPH {_S} {{ ?c {_N['contested']} ?k }} }}"  # every kept claim has the flag
_CLAIM_IDS_BY = {k: f"SELECT ?c WHERE {{ GRAPH {_S} {{ ?c {_N['contested']} {ox.Literal(k)} }} }}" for k in (True, False)}
_CLAIM_COUNTS = ("SELECT ?c ?sup ?opp WHERE {{ {values} GRAPH " + str(_S) + " {{ ?c " + str(_N["supportCount"])
                 + " ?sup ; " + str(_N["opposeCount"]) + " ?opp }} }}")


def claim_entry(store: KnowledgeStore, claim: str) -> dict[str, Any] | None:
    """A claim's kept counts: {statements, articles, supports, opposes, neutral, contested,
    stances: {stance IRI: n}}, or None when the summary has no entry for it."""
    rows = store.select(_CLAIM_ENTRY, {"c": ox.NamedNode(claim)}).rows
    if not rows:
        return None
    out: dict[str, Any] = {"stances": {}}
    names = {_N[k].value: v for k, v in (("statementCount", "statements"), ("articleCount", "articles"),
                                        ("supportCount", "supports"), ("opposeCount", "opposes"),
                                        ("neutralCount", "neutral"), ("contested", "contested"))}
    for p, o, stance in rows:
        if p is None or o is None:
            continue
        if stance is not None:
            out["stances"][stance.value] = int(o.value)
        elif p.value in names:
            out[names[p.value]] = o.value == "true" if names[p.value] == "contested" else int(o.value)
    return out if "statements" in out else None


def actor_tallies(store: KnowledgeStore, actor: str) -> list[tuple[str, str, int]] | None:
    """An actor's kept neighbour counts: (predicate IRI, "subject"|"object", n) per edge kind and end,
    or None when the summary has no entry for it (not an actor)."""
    a = ox.NamedNode(actor)
    if not store.query(f"ASK WHERE {{ GRAPH {_S} {{ ?a {_N['statementCount']} ?n }} }}", {"a": a}):
        return None
    return sorted((r[0].value, r[1].value, int(r[2].value)) for r in store.select(_ACTOR_ENTRY, {"a": a}).rows
                  if r[0] is not None and r[1] is not None and r[2] is not None)


def claim_ids(store: KnowledgeStore, contested: bool | None = None) -> list[str]:
    """The IRIs of every kept claim, or of the contested (True) or uncontested (False) ones: one
    index range, no counts (a page reads its own with `claim_counts`)."""
    if contested is None:
        return [r[0].value for r in store.select(_CLAIM_IDS).rows if r[0] is not None]
    return [r[0].value for r in store.select(_CLAIM_IDS_BY[contested]).rows if r[0] is not None]


def claim_counts(store: KnowledgeStore, claims: list[str]) -> dict[str, tuple[int, int]]:
    """Claim IRI -> (supporting, opposing) statements, as kept, for these claims."""
    out: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(claims):
        for c, sup, opp in store.select(_CLAIM_COUNTS.format(values=_values("c", chunk))).rows:
            if c is not None and sup is not None and opp is not None:
                out[c.value] = (int(sup.value), int(opp.value))
    return out


_BUCKETS = f"""SELECT ?m ?n ?sup ?opp WHERE {{ GRAPH {_S} {{
  ?b {_N['tallyOf']} ?e ; {_N['bucketMonth']} ?m ; {_N['count']} ?n ; {_N['bucketSupports']} ?sup ;
     {_N['bucketOpposes']} ?opp }} }}"""
_BUCKET_STATEMENTS = "SELECT ?st WHERE {{ {values} GRAPH " + str(_S) + " {{ ?b " + str(_N["bucketStatement"]) + " ?st }} }}"


def time_buckets(store: KnowledgeStore, entity: str) -> list[TimeBucket]:
    """The entity's kept timeline months in time order, the undated bucket last (none: no statements)."""
    out = [TimeBucket(m.value, int(n.value), int(s.value), int(o.value))
           for m, n, s, o in store.select(_BUCKETS, {"e": ox.NamedNode(entity)}).rows
           if m is not None and n is not None and s is not None and o is not None]
    return sorted(out, key=lambda b: (b.month == UNDATED, b.month))


def count_buckets(store: KnowledgeStore, entity: str, pred: str) -> tuple[list[TimeBucket], dict[str, list[str]]]:
    """The entity's timeline months and their statements counted from the article graphs, as
    `time_buckets` and `bucket_statements` read them kept (`pred`: cg:speaker for an actor, cg:about
    for a claim)."""
    months = _months(store, [entity], pred).get(entity, {})
    buckets = sorted((_bucket(m, sts) for m, sts in months.items()), key=lambda b: (b.month == UNDATED, b.month))
    return buckets, {m: [st for st, _ in sts] for m, sts in months.items()}


def bucket_statements(store: KnowledgeStore, entity: str, months: Iterable[str]) -> list[str]:
    """The statement IRIs kept in these months of the entity's timeline."""
    buckets = [str(summary_node(entity, "month", m)) for m in months]
    if not buckets:
        return []
    rows = store.select(_BUCKET_STATEMENTS.format(values=_values("b", buckets))).rows
    return [r[0].value for r in rows if r[0] is not None]


__all__ = ["EDGE_PREDICATES", "LAYOUT", "STALE", "SUMMARY_GRAPH", "TimeBucket", "Touched", "UNDATED",
           "actor_tallies", "bucket_statements", "claim_counts", "claim_entry", "claim_ids", "count_buckets", "fresh_update",
           "is_fresh", "keeping", "kept", "kept_triples", "marker_value", "month_of", "rebuild", "recount",
           "refresh", "reindex", "time_buckets", "touched"]
