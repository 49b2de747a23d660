"""Graph analytics over the signed actor network: structural balance, centrality, controversy.

The network is read with two SPARQL aggregations (relations grouped by relation, statements
grouped by relation and stance), never by walking triples in Python; networkx does the graph
work. A relation's sign comes from the `cg:sign` annotation on its class in the ontology graph,
so a new relation kind needs only an ontology edit.

Status of a relation (how the reporting presents it):
  * ``denied``  - at least one statement with an opposing stance (denies, rejects) is about it;
  * ``fact``    - narration evidence in an article, or a supporting statement that asserts it
                  (asserts, confirms, welcomes, warns), or no statement at all;
  * ``alleged`` - only hedged supporting statements (alleges, claims).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from itertools import combinations
from typing import Any, Literal

import networkx as nx

from ..errors import ClaimgraphError
from ..rdf.terms import to_python
from ..rdf.vocab import CG, CG_NS, ID_BASE
from ..store.base import KnowledgeStore

Include = Literal["all", "undisputed"]
ONTOLOGY_GRAPH = CG_NS.rstrip("#")
"""The named graph holding the ontology (the cg: namespace IRI without its '#')."""
HEDGED = (CG.Alleges, CG.Claims)

# Oxigraph joins in the order written, so each pattern starts from its most selective triple;
# the time window is applied to the (small) table of sources, so the aggregates group by source.
SOURCES_Q = """
SELECT ?src ?sid ?date WHERE {
  GRAPH ?g { ?src a schema:NewsArticle ; cg:sourceId ?sid . OPTIONAL { ?src schema:datePublished ?date } }
}"""

STANCES_Q = f"""
SELECT ?stance ?cls WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?stance a ?cls . ?cls rdfs:subClassOf+ cg:Stance }}
}}"""

# One row per (relation, article): class, sign (from the ontology graph), ends, narration evidence.
RELATIONS_Q = f"""
SELECT ?rel ?type ?sign ?a ?b ?src (COUNT(DISTINCT ?ev) AS ?narration)
WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:subClassOf+ cg:ActorRelation ; cg:sign ?sign }}
  GRAPH ?g {{
    ?rel cg:actor ?a ; a ?type ; cg:counterpart ?b .
    ?src a schema:NewsArticle .
    OPTIONAL {{ ?rel cg:evidence ?ev }}
  }}
}}
GROUP BY ?rel ?type ?sign ?a ?b ?src
"""

# One row per (relation, stance, article): the statements about claims proposing it, and speakers.
STATEMENTS_Q = """
SELECT ?rel ?stance ?src (COUNT(DISTINCT ?st) AS ?n)
       (GROUP_CONCAT(DISTINCT STR(?st); separator=" ") AS ?statements)
       (GROUP_CONCAT(DISTINCT STR(?speaker); separator=" ") AS ?speakers)
WHERE {
  GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance ; schema:isPartOf ?src . OPTIONAL { ?st cg:speaker ?speaker } }
  # DISTINCT first: a shared claim's triples repeat once per article graph
  { SELECT DISTINCT ?claim ?rel WHERE { GRAPH ?h { ?claim cg:proposes ?rel } } }
}
GROUP BY ?rel ?stance ?src
"""

# Names of the relation ends, bound by a VALUES block of their (minted) IRIs. Name and type are
# joined inside one article graph: over the union graph a hub actor named in 1,000 articles gave
# 1,000 x 1,000 (name, type) rows.
ACTORS_Q = """
SELECT ?actor (SAMPLE(?n) AS ?name) (SAMPLE(?t) AS ?type) WHERE {
  GRAPH ?g { ?actor schema:name ?n ; a ?t }
} GROUP BY ?actor
"""

SPOKEN_Q = """
SELECT ?actor ?src (COUNT(DISTINCT ?st) AS ?n) WHERE {
  GRAPH ?g { ?st cg:speaker ?actor ; schema:isPartOf ?src }
} GROUP BY ?actor ?src
"""

ABOUT_Q = """
SELECT ?actor ?src (COUNT(DISTINCT ?st) AS ?n) (GROUP_CONCAT(DISTINCT STR(?claim); separator=" ") AS ?claims)
WHERE {
  GRAPH ?g { ?st cg:about ?claim ; schema:isPartOf ?src }
  { SELECT DISTINCT ?claim ?actor WHERE { GRAPH ?h { ?claim cg:concerns ?actor } } }
} GROUP BY ?actor ?src
"""

CLAIMS_Q = """
SELECT ?claim ?stance ?src (COUNT(DISTINCT ?st) AS ?n)
       (GROUP_CONCAT(DISTINCT STR(?speaker); separator=" ") AS ?speakers)
WHERE {
  GRAPH ?g { ?st cg:about ?claim ; cg:stance ?stance ; schema:isPartOf ?src . OPTIONAL { ?st cg:speaker ?speaker } }
} GROUP BY ?claim ?stance ?src
"""

CLAIM_TEXT_Q = """
SELECT ?claim (SAMPLE(?t) AS ?text) WHERE { GRAPH ?g { ?claim a cg:Claim ; schema:text ?t } } GROUP BY ?claim
"""

# Details of the statements shown as evidence (bound by a VALUES block of statement IRIs).
STATEMENT_DETAIL_Q = """
SELECT ?st (SAMPLE(?stance) AS ?stance) (SAMPLE(?q) AS ?quote) (SAMPLE(?cue) AS ?cue)
       (SAMPLE(?sid) AS ?source) (GROUP_CONCAT(DISTINCT STR(?speaker); separator=" ") AS ?speakers)
       (GROUP_CONCAT(DISTINCT STR(?claim); separator=" ") AS ?claims)
WHERE {
  GRAPH ?g {
    ?st cg:stance ?stance ; schema:isPartOf ?src ; cg:evidence ?span .
    ?src cg:sourceId ?sid .
    ?span oa:hasSelector ?sel . ?sel oa:exact ?q .
    OPTIONAL { ?st cg:cueText ?cue }
    OPTIONAL { ?st cg:speaker ?speaker }
    OPTIONAL { ?st cg:about ?claim }
  }
} GROUP BY ?st
"""


def slug(iri: str) -> str:
    """The last path segment of a minted IRI (the id the annotation gave)."""
    return iri[len(ID_BASE):].split("/", 1)[1] if iri.startswith(ID_BASE) else iri


def _day(v: str | date | datetime | None, name: str) -> date | None:
    if v is None or isinstance(v, date) and not isinstance(v, datetime):
        return v  # type: ignore[return-value]
    if isinstance(v, datetime):
        return v.date()
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        raise ClaimgraphError(f"{name}: {v!r} is not a date (YYYY-MM-DD)") from None


def _in_window(store: KnowledgeStore, since: Any, until: Any) -> dict[str, str]:
    """Source IRI -> source id, for the articles published in [since, until]. With a window, an
    article without a datePublished is left out rather than guessed."""
    lo, hi = _day(since, "since"), _day(until, "until")
    out = {}
    for r in _select(store, SOURCES_Q, {}):
        if lo or hi:
            d = _day(r["date"], "datePublished") if r["date"] is not None else None
            if d is None or (lo and d < lo) or (hi and d > hi):
                continue
        out[r["src"]] = r["sid"]
    return out


def _stances(store: KnowledgeStore) -> dict[str, str]:
    """Stance individual -> 'support' | 'oppose' | 'neutral', read from the ontology graph."""
    side = {str(CG.SupportingStance): "support", str(CG.OpposingStance): "oppose", str(CG.NeutralStance): "neutral"}
    return {r["stance"]: side[r["cls"]] for r in _select(store, STANCES_Q, {}) if r["cls"] in side}


def _select(store: KnowledgeStore, q: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    return store.select(q, bindings or None, limit=None).dicts()


def _words(v: Any) -> list[str]:
    return sorted(str(v).split()) if v else []


@dataclass
class RelationInfo:
    id: str
    type: str
    sign: int
    actor: str
    counterpart: str
    sources: list[str]
    narration: int = 0
    supporting: list[str] = field(default_factory=list)
    hedged: list[str] = field(default_factory=list)
    opposing: list[str] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)
    speakers: set[str] = field(default_factory=set)

    @property
    def status(self) -> str:
        if self.opposing:
            return "denied"
        if self.narration or self.supporting or not self.hedged:
            return "fact"
        return "alleged"

    @property
    def weight(self) -> int:
        return max(1, self.narration + len(self.supporting) + len(self.hedged))


def relations(store: KnowledgeStore, *, since: Any = None, until: Any = None) -> list[RelationInfo]:
    """Every actor relation (in the window) with its sign, evidence and statements."""
    window = _in_window(store, since, until)
    side = _stances(store)
    hedged = {str(h) for h in HEDGED}
    rels: dict[str, RelationInfo] = {}
    for r in _select(store, RELATIONS_Q, {}):
        sid = window.get(r["src"])
        if sid is None:
            continue
        rid = slug(r["rel"])
        info = rels.get(rid)
        if info is None:
            info = rels[rid] = RelationInfo(rid, r["type"].removeprefix(CG_NS), int(r["sign"]), slug(r["a"]),
                                            slug(r["b"]), [])
        info.sources.append(sid)
        info.narration += int(r["narration"])
    for r in _select(store, STATEMENTS_Q, {}):
        info = rels.get(slug(r["rel"]))
        sid = window.get(r["src"])
        if info is None or sid is None:
            continue
        sts = [slug(x) for x in _words(r["statements"])]
        kind = side.get(r["stance"], "neutral")
        if kind == "oppose":
            info.opposing += sts
        elif kind == "neutral":
            info.neutral += sts
        elif r["stance"] in hedged:
            info.hedged += sts
        else:
            info.supporting += sts
        info.speakers |= {slug(x) for x in _words(r["speakers"])}
        info.sources.append(sid)
    for info in rels.values():
        info.sources = sorted(set(info.sources))
        for lst in (info.supporting, info.hedged, info.opposing, info.neutral):
            lst.sort()
    return sorted(rels.values(), key=lambda x: x.id)


def _type_name(iri_tail: str) -> str:
    return iri_tail.rsplit("#", 1)[-1]


def actor_network(store: KnowledgeStore, *, include: Include = "all", since: Any = None,
                  until: Any = None) -> nx.MultiGraph:
    """Actors as nodes, one edge per relation (key = relation id) carrying sign, weight, type,
    status and evidence. ``include="undisputed"`` leaves out relations someone denies."""
    if include not in ("all", "undisputed"):
        raise ClaimgraphError(f"include must be 'all' or 'undisputed', not {include!r}")
    g = nx.MultiGraph()
    rels = relations(store, since=since, until=until)
    ends = sorted({n for r in rels for n in (r.actor, r.counterpart)})
    if ends:
        from ..rdf.mapper import actor_iri

        values = " ".join(f"<{actor_iri(n)}>" for n in ends)  # minted IRIs, not user text
        for a in _select(store, ACTORS_Q.replace("WHERE {", "WHERE {\n  VALUES ?actor { " + values + " }", 1), {}):
            g.add_node(slug(a["actor"]), name=a["name"], type=_type_name(a["type"]))
    for r in rels:
        if include == "undisputed" and r.opposing:
            continue
        for n in (r.actor, r.counterpart):
            if n not in g:
                g.add_node(n, name=n, type="")
        g.add_edge(r.actor, r.counterpart, key=r.id, relation=r.id, type=_type_name(r.type), sign=r.sign,
                   weight=r.weight, status=r.status, actor=r.actor, counterpart=r.counterpart,
                   sources=r.sources, narration=r.narration, supporting=r.supporting, alleging=r.hedged,
                   denying=r.opposing, questioning=r.neutral)
    return g


def signed_graph(multi: nx.MultiGraph) -> nx.Graph:
    """One edge per actor pair: sign of the sum of its relations' signs (0 = no sign)."""
    g = nx.Graph()
    g.add_nodes_from(multi.nodes(data=True))
    for u, v, d in multi.edges(data=True):
        if u == v:
            continue
        if not g.has_edge(u, v):
            g.add_edge(u, v, total=0, relations=[], weight=0)
        e = g[u][v]
        e["total"] += d["sign"]
        e["relations"].append(d["relation"])
        e["weight"] += d["weight"]
    for _, _, e in g.edges(data=True):
        e["sign"] = (e["total"] > 0) - (e["total"] < 0)
        e["relations"].sort()
    return g


# ------------------------------------------------------------------ balance


@dataclass
class Triad:
    actors: tuple[str, str, str]
    signs: tuple[int, int, int]
    """Signs of the pairs (a,b), (a,c), (b,c)."""
    balanced: bool


def triads(g: nx.Graph) -> list[Triad]:
    """Every triangle of signed (non-zero) pair edges, sorted by its actors."""
    signed = nx.Graph((u, v) for u, v, e in g.edges(data=True) if e["sign"])
    out = []
    for a, b, c in sorted(tuple(sorted(t)) for t in _triangles(signed)):
        s = (g[a][b]["sign"], g[a][c]["sign"], g[b][c]["sign"])
        out.append(Triad((a, b, c), s, s[0] * s[1] * s[2] > 0))
    return out


def _triangles(g: nx.Graph) -> Iterable[tuple[str, str, str]]:
    order = {n: i for i, n in enumerate(sorted(g))}
    for u in g:
        later = [v for v in g[u] if order[v] > order[u]]
        for v, w in combinations(later, 2):
            if g.has_edge(v, w):
                yield (u, v, w)


def _statements(store: KnowledgeStore, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Quote, stance, speakers and source of each statement id (one query, bound by VALUES)."""
    from ..rdf.mapper import statement_iri

    ids = sorted(set(ids))
    if not ids:
        return {}
    values = " ".join(f"<{statement_iri(i)}>" for i in ids)  # minted IRIs, not user text
    q = STATEMENT_DETAIL_Q.replace("WHERE {", "WHERE {\n  VALUES ?st { " + values + " }", 1)
    out = {}
    for r in _select(store, q, {}):
        out[slug(r["st"])] = {
            "statement": slug(r["st"]), "stance": slug(r["stance"]).rsplit("#", 1)[-1].lower(),
            "speakers": [slug(s) for s in _words(r["speakers"])], "cue": r["cue"], "quote": r["quote"],
            "source": r["source"], "claims": [slug(c) for c in _words(r["claims"])],
        }
    return out


def balance(store: KnowledgeStore, *, include: Include = "all", since: Any = None,
            until: Any = None) -> dict[str, Any]:
    """Balanced and unbalanced triads, the balance score, and the 'enemy of my enemy' tensions:
    pairs with a common enemy but no undisputed positive relation, with the evidence for and
    against any positive relation between them."""
    multi = actor_network(store, include=include, since=since, until=until)
    g = signed_graph(multi)
    ts = triads(g)
    n_bal = sum(t.balanced for t in ts)
    tensions = []
    enemies = {n: {m for m in g[n] if g[n][m]["sign"] < 0} for n in g}
    wanted: set[str] = set()
    for a, b in combinations(sorted(g), 2):
        common = sorted(enemies[a] & enemies[b])
        if not common:
            continue
        positive = [d for _, d in multi.get_edge_data(a, b, default={}).items() if d["sign"] > 0]
        if any(d["status"] != "denied" for d in positive) and (not g.has_edge(a, b) or g[a][b]["sign"] > 0):
            continue  # friends already, as the proverb wants
        pair = g[a][b] if g.has_edge(a, b) else None
        tension = {
            "actors": [a, b], "names": [g.nodes[a].get("name", a), g.nodes[b].get("name", b)],
            "common_enemies": common, "pair_sign": pair["sign"] if pair else None,
            "pair_relations": pair["relations"] if pair else [],
            "positive_relations": [
                {"relation": d["relation"], "type": d["type"], "status": d["status"],
                 "alleging": d["alleging"] + d["supporting"], "denying": d["denying"],
                 "questioning": d["questioning"]} for d in sorted(positive, key=lambda d: d["relation"])],
        }
        for p in tension["positive_relations"]:
            wanted |= set(p["alleging"]) | set(p["denying"]) | set(p["questioning"])
        tensions.append(tension)
    details = _statements(store, wanted)
    for t in tensions:
        for p in t["positive_relations"]:
            for k in ("alleging", "denying", "questioning"):
                p[k] = [details.get(s, {"statement": s}) for s in p[k]]
    # pairs with evidence on a positive relation first: those are the ones worth reading
    tensions.sort(key=lambda t: (not t["positive_relations"], -len(t["common_enemies"]), t["actors"]))
    return {
        "include": include, "actors": g.number_of_nodes(), "pairs": g.number_of_edges(),
        "triads": len(ts), "balanced": [asdict(t) for t in ts if t.balanced],
        "unbalanced": [asdict(t) for t in ts if not t.balanced],
        "balance_score": round(n_bal / len(ts), 4) if ts else None,
        "tensions": tensions,
    }


# ------------------------------------------------------------------ centrality, controversy


def centrality(store: KnowledgeStore, *, include: Include = "all", since: Any = None,
               until: Any = None) -> list[dict[str, Any]]:
    """Actors by statements made, statements about them and betweenness in the actor network."""
    window = _in_window(store, since, until)
    g = signed_graph(actor_network(store, include=include, since=since, until=until))
    between = nx.betweenness_centrality(g, normalized=True) if g.number_of_nodes() else {}
    spoken: dict[str, int] = defaultdict(int)
    for r in _select(store, SPOKEN_Q, {}):
        if r["src"] in window:
            spoken[slug(r["actor"])] += int(r["n"])
    about_n: dict[str, int] = defaultdict(int)
    about_c: dict[str, set[str]] = defaultdict(set)
    for r in _select(store, ABOUT_Q, {}):
        if r["src"] in window:
            about_n[slug(r["actor"])] += int(r["n"])
            about_c[slug(r["actor"])] |= set(_words(r["claims"]))
    about = {a: (n, len(about_c[a])) for a, n in about_n.items()}
    rows = []
    for n in sorted(set(g) | set(spoken) | set(about)):
        rows.append({
            "actor": n, "name": g.nodes[n].get("name", n) if n in g else n,
            "statements_made": spoken.get(n, 0), "statements_about": about.get(n, (0, 0))[0],
            "claims_about": about.get(n, (0, 0))[1], "degree": g.degree(n) if n in g else 0,
            "betweenness": round(between.get(n, 0.0), 4),
        })
    rows.sort(key=lambda r: (-r["statements_made"] - r["statements_about"], -r["betweenness"], r["actor"]))
    return rows


def controversy(store: KnowledgeStore, *, since: Any = None, until: Any = None) -> list[dict[str, Any]]:
    """Claims by controversy: score = min(asserters, deniers) * log2(1 + distinct speakers) * distinct
    sources, so a claim is controversial only when both sides have speakers; ties keep more voices first."""
    acc: dict[str, dict[str, Any]] = defaultdict(lambda: {"text": None, "support": set(), "oppose": set(),
                                                          "neutral": set(), "statements": 0, "sources": set()})
    window = _in_window(store, since, until)
    side = _stances(store)
    for r in _select(store, CLAIMS_Q, {}):
        sid = window.get(r["src"])
        if sid is None:
            continue
        c = acc[slug(r["claim"])]
        c[side.get(r["stance"], "neutral")] |= {slug(x) for x in _words(r["speakers"])}
        c["statements"] += int(r["n"])
        c["sources"].add(sid)
    texts = {slug(r["claim"]): r["text"] for r in _select(store, CLAIM_TEXT_Q, {})}
    for cid, c in acc.items():
        c["text"] = texts.get(cid)
    rows = []
    for cid, c in acc.items():
        speakers = c["support"] | c["oppose"] | c["neutral"]
        score = min(len(c["support"]), len(c["oppose"])) * math.log2(1 + len(speakers)) * len(c["sources"])
        rows.append({
            "claim": cid, "text": c["text"], "asserters": sorted(c["support"]), "deniers": sorted(c["oppose"]),
            "questioners": sorted(c["neutral"]), "statements": c["statements"], "speakers": len(speakers),
            "sources": len(c["sources"]), "score": round(score, 4),
        })
    rows.sort(key=lambda r: (-r["score"], -r["speakers"], -r["statements"], r["claim"]))
    return rows


# ------------------------------------------------------------------ export

EXPORT_FORMATS = ("graphml", "gexf")


def export_network(multi: nx.MultiGraph, path: str, fmt: str) -> None:
    """Write the network with scalar attributes only (lists become space-separated strings)."""
    if fmt not in EXPORT_FORMATS:
        raise ClaimgraphError(f"network format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    out = nx.MultiGraph()
    for n, d in multi.nodes(data=True):
        out.add_node(n, **{k: _scalar(v) for k, v in d.items()})
    for u, v, k, d in multi.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{a: _scalar(x) for a, x in d.items()})
    if fmt == "graphml":
        nx.write_graphml(out, path)
    else:
        nx.write_gexf(out, path)


def _scalar(v: Any) -> str | int | float | bool:
    if isinstance(v, (list, tuple, set)):
        return " ".join(str(x) for x in v)
    if v is None:
        return ""
    return v if isinstance(v, (str, int, float, bool)) else str(v)


__all__ = ["actor_network", "signed_graph", "triads", "balance", "centrality", "controversy", "relations",
           "export_network", "to_python"]
