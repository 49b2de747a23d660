"""An explorer's view of the graph: a node's neighbourhood as nodes and labelled edges.

Explorer edges read the way a person says them, not the way the RDF is stored:

    actor -said-> statement -about-> claim -proposes-> relation -actor/counterpart-> actor
    statement -addressed to-> actor, statement -in-> source, claim -concerns-> actor,
    actor -affiliated with-> actor, source -published by-> actor

Spans, selectors and roles are details of a node, never nodes. A hub is cut gracefully: at most
`limit` neighbours per answer, in a stable order (depth, predicate, id), with per-predicate totals
for the start node, `truncated` and a `next` cursor for the following page.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import ClaimgraphError, NotFound
from ..rdf.nodeid import kind_of, node_id, node_iri
from ..rdf.terms import nt
from ..rdf.vocab import CG, CG_NS, SCHEMA
from ..store import summary
from ..store.base import KnowledgeStore
from .catalog import MAX_LIMIT, local


@dataclass(frozen=True, slots=True)
class EdgeKind:
    predicate: URIRef
    label: str
    flip: bool
    """True when the explorer edge runs object -> subject of the stored triple (actor said statement)."""


EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind(CG.speaker, "said", True),
    EdgeKind(CG.about, "about", False),
    EdgeKind(CG.recipient, "addressed to", False),
    EdgeKind(SCHEMA.isPartOf, "in", False),
    EdgeKind(CG.proposes, "proposes", False),
    EdgeKind(CG.concerns, "concerns", False),
    EdgeKind(CG.actor, "actor", False),
    EdgeKind(CG.counterpart, "counterpart", False),
    EdgeKind(CG.affiliatedWith, "affiliated with", False),
    EdgeKind(SCHEMA.publisher, "published by", False),
)
_BY_PRED = {str(k.predicate): k for k in EDGE_KINDS}
# the summary graph counts each actor's neighbours by these same predicates
assert set(_BY_PRED) == set(summary.EDGE_PREDICATES), "EDGE_KINDS and summary.EDGE_PREDICATES differ"
_PREDS = " ".join(f"<{k.predicate}>" for k in EDGE_KINDS)
DIRECTIONS = ("in", "out", "both")
FORMATS = ("json", "cytoscape", "graphology")
ROW_CAP = 50_000
"""Stored triples read per answer at most; beyond it the answer is cut (truncated) rather than slow."""


def _values(var: str, iris: list[str]) -> str:
    # escaped RDF terms in a VALUES block: values are bound, never pasted as text
    return f"VALUES ?{var} {{ {' '.join(nt(URIRef(i)) for i in iris)} }}"


def predicate_names() -> dict[str, str]:
    """Accepted `predicate=` values: the explorer label or the cg:/schema: local name -> predicate IRI."""
    out = {}
    for k in EDGE_KINDS:
        out[k.label] = str(k.predicate)
        out[str(k.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]] = str(k.predicate)
    return out


def _cursor_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        n = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ClaimgraphError(f"invalid cursor {cursor!r}: pass the `next` value of a previous answer") from None
    if n < 0:
        raise ClaimgraphError(f"invalid cursor {cursor!r}")
    return n


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _pred_filter(preds: str) -> str:
    return f"FILTER(?p IN ({', '.join(preds.split())}))"


def _expand(store: KnowledgeStore, frontier: list[str], preds: str, cap: int) -> tuple[list[tuple[str, str, str]], bool]:
    """Stored triples (s, p, o) with a frontier node at either end; bool = cut at `cap` rows.

    One query per direction, the predicates in a FILTER: one index range per frontier node. (A
    VALUES block of predicates and a UNION of both directions made Oxigraph join the predicates,
    the nodes and both patterns as a cross product: 2 s for 90 nodes at 1M triples, 20 ms now.)"""
    out: list[tuple[str, str, str]] = []
    for q in (f"SELECT DISTINCT ?n ?p ?o WHERE {{ {_values('n', frontier)} GRAPH ?g {{ ?n ?p ?o }} {_pred_filter(preds)} }} LIMIT {cap + 1}",
              f"SELECT DISTINCT ?s ?p ?n WHERE {{ {_values('n', frontier)} GRAPH ?g {{ ?s ?p ?n }} {_pred_filter(preds)} }} LIMIT {cap + 1}"):
        rows = store.select(q).rows
        out += [(s.value, p.value, o.value) for s, p, o in rows if s is not None and p is not None and o is not None]
    # a triple between two frontier nodes comes once per direction
    out = list(dict.fromkeys(out))
    return out[:cap], len(out) > cap


def _explorer_edge(s: str, p: str, o: str) -> tuple[str, str, EdgeKind] | None:
    k = _BY_PRED.get(p)
    a, b = node_id(s), node_id(o)
    if k is None or a is None or b is None:
        return None
    return (b, a, k) if k.flip else (a, b, k)


def _edge_dict(src: str, dst: str, k: EdgeKind) -> dict[str, Any]:
    stmt = src if kind_of(src) == "statement" else dst if kind_of(dst) == "statement" else None
    return {"id": f"{src}|{k.label}|{dst}", "source": src, "target": dst, "predicate": str(k.predicate),
            "label": k.label, "statement": stmt}


_LABEL_QUERIES = (
    # one straight pattern each, inside one graph: no OPTIONAL evaluated over the whole store; each
    # skips the kinds of node it cannot label, so a claim's text is not looked for on statements and
    # needs no type pattern (Oxigraph joined `?n a cg:Claim` through every typed copy of a hub claim)
    ("type", (), "SELECT DISTINCT ?n ?v WHERE {{ {values} GRAPH ?g {{ ?n a ?v }} }}"),
    ("label", (), "SELECT DISTINCT ?n ?v WHERE {{ {values} GRAPH ?g {{ ?n schema:name ?v }} }}"),
    ("label", ("actor", "statement", "source", "relation"),
     "SELECT DISTINCT ?n ?v WHERE {{ {values} GRAPH ?g {{ ?n schema:text ?v }} }}"),
    ("label", ("actor", "claim", "statement", "relation"),
     "SELECT DISTINCT ?n ?v WHERE {{ {values} GRAPH ?g {{ ?n schema:headline ?v }} }}"),
    ("label", ("actor", "claim", "source"),
     "SELECT DISTINCT ?n ?v WHERE {{ {values} GRAPH ?g {{ ?n cg:evidence/oa:hasSelector/oa:exact ?v }} }}"),
)


def describe_nodes(store: KnowledgeStore, ids: list[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, label, type, kind} for explorer nodes (labels cut to 80 characters)."""
    found: dict[str, dict[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for field, skip, q in _LABEL_QUERIES:
            these = [x for x in chunk if kind_of(x) not in skip]
            if not these:
                continue
            for n, v in store.select(q.format(values=_values("n", [str(node_iri(x)) for x in these]))).rows:
                if field == "type" and not (v.value.startswith(CG_NS) or v.value == str(SCHEMA.NewsArticle)):
                    continue
                found.setdefault(n.value, {}).setdefault(field, v.value)
    out: dict[str, dict[str, Any]] = {}
    for nid in ids:
        f = found.get(str(node_iri(nid)), {})
        kind = kind_of(nid)
        label = f.get("label") or (local(f["type"]) if kind == "relation" and "type" in f else nid.split("/", 1)[1])
        out[nid] = {"id": nid, "label": label if len(label) <= 80 else label[:79] + "…",
                    "type": local(f["type"]) if "type" in f else kind, "kind": kind}
    return out


_GROUPS = """SELECT ?p ?dir (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ GRAPH ?g {{ ?node ?p ?x }} BIND("subject" AS ?dir) {filter} }} UNION {{ GRAPH ?g {{ ?x ?p ?node }} BIND("object" AS ?dir) {filter} }}
}} GROUP BY ?p ?dir"""


def _way(end: str, k: EdgeKind) -> str:
    # explorer direction: out when the start node is the explorer edge's source
    return "out" if (end == "subject") != k.flip else "in"


def _groups(store: KnowledgeStore, iri: URIRef, preds: str, direction: str,
            tallies: list[tuple[str, str, int]] | None = None) -> list[dict[str, Any]]:
    """Per-predicate totals for the start node: from its kept tallies when given, else counted."""
    wanted = {p.strip("<>") for p in preds.split()}
    rows = ([(p, end, n) for p, end, n in tallies if p in wanted] if tallies is not None else
            [(r["p"], r["dir"], int(r["n"])) for r in store.select(_GROUPS.format(filter=_pred_filter(preds)),
                                                                   {"node": iri}).dicts()])
    out = []
    for p, end, n in rows:
        k = _BY_PRED[p]
        d = _way(end, k)
        if direction in ("both", d):
            out.append({"predicate": str(k.predicate), "label": k.label, "direction": d, "total": n})
    return sorted(out, key=lambda g: (-g["total"], g["label"]))


_ENDS = {"subject": "SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?node {p} ?x }} }}",
         "object": "SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x {p} ?node }} }}"}


def _first_level(store: KnowledgeStore, root: str, root_iri: URIRef, preds: str, direction: str, want: int,
                 tallies: list[tuple[str, str, int]]) -> list[str] | None:
    """The depth-1 neighbours in the walk's order (edge label, then id), read one edge kind at a time
    in label order and only until more than `want` are known; the kept tallies say which kinds the
    start node has. None when the walk would go on to depth 2 or be cut at ROW_CAP (then it runs
    as it always did)."""
    wanted = {p.strip("<>") for p in preds.split()}
    kinds: dict[str, list[tuple[str, str]]] = {}
    rows = 0
    for p, end, n in tallies:
        k = _BY_PRED[p]
        if p in wanted and direction in ("both", _way(end, k)):
            kinds.setdefault(k.label, []).append((p, end))
            rows += n
    if rows > ROW_CAP:
        return None
    seen = {root}
    order: list[str] = []
    for label in sorted(kinds):
        found: set[str] = set()
        for p, end in kinds[label]:
            for (x,) in store.select(_ENDS[end].format(p=nt(URIRef(p))), {"node": root_iri}).rows:
                nid = node_id(x.value) if x is not None and isinstance(x, ox.NamedNode) else None
                if nid is not None and nid not in seen:
                    found.add(nid)
        for nid in sorted(found):
            seen.add(nid)
            order.append(nid)
        if len(order) > want:
            return order
    return None


def neighbourhood(store: KnowledgeStore, node_id: str, depth: int = 1, direction: str = "both",  # noqa: C901
                  predicate: str | None = None, limit: int = 200, cursor: str | None = None) -> dict[str, Any]:
    """Nodes within `depth` explorer edges of `node_id` (`in`, `out` or `both` ways, optionally one
    predicate), at most `limit` neighbours from `cursor` on, and every edge among the returned nodes.
    """
    if not 1 <= depth <= 3:
        raise ClaimgraphError(f"depth must be 1, 2 or 3, got {depth}")
    if direction not in DIRECTIONS:
        raise ClaimgraphError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ClaimgraphError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    preds = _PREDS
    if predicate is not None:
        names = predicate_names()
        if predicate not in names and predicate not in _BY_PRED:
            raise ClaimgraphError(f"unknown predicate {predicate!r}; one of {sorted(names)}")
        preds = f"<{names.get(predicate, predicate)}>"
    offset = _cursor_offset(cursor)
    root_iri = node_iri(node_id)
    root = node_id_ = node_id
    if not store.query("ASK { GRAPH ?g { ?node ?p ?o } }", {"node": root_iri}):
        raise NotFound(f"no node {node_id_!r} in the store")

    seen = {root}
    order: list[str] = []  # neighbours in stable discovery order
    edges: dict[str, dict[str, Any]] = {}
    frontier = [root]
    truncated = False
    want = offset + limit
    rows_left = ROW_CAP
    # an actor's kept tallies: its groups without counting, and, when depth 1 alone fills the page,
    # only the edge kinds that come first in the walk's order are read
    tallies = summary.actor_tallies(store, str(root_iri)) if summary.kept(store) else None
    first = _first_level(store, root, root_iri, preds, direction, want, tallies) if tallies is not None else None
    if first is not None:
        order, frontier = first, []
    for _level in range(depth if first is None else 0):
        if not frontier or len(order) > want:
            break
        triples, cut = _expand(store, [str(node_iri(x)) for x in frontier], preds, rows_left)
        rows_left -= len(triples)
        truncated |= cut
        fset = set(frontier)
        found: list[tuple[str, str, str]] = []  # (label, id, via) sort key for a stable order
        for s, p, o in triples:
            e = _explorer_edge(s, p, o)
            if e is None:
                continue
            src, dst, k = e
            here, there = (src, dst) if src in fset else (dst, src)
            if here not in fset:
                continue
            way = "out" if here == src else "in"
            if direction != "both" and way != direction:
                continue
            edges.setdefault(f"{src}|{k.label}|{dst}", _edge_dict(src, dst, k))
            if there not in seen:
                found.append((k.label, there, here))
        nxt = []
        for _lab, there, _here in sorted(found):
            if there not in seen:
                seen.add(there)
                order.append(there)
                nxt.append(there)
        frontier = nxt
        if cut:
            break

    page = order[offset:offset + limit]
    more = len(order) > offset + limit
    truncated |= more
    keep = {root, *page}
    # edges among the returned nodes that the walk did not traverse (e.g. between two leaves)
    if len(keep) > 1:
        iris = [str(node_iri(x)) for x in keep]
        # one index range per subject, deduplicated, then joined with the objects: VALUES on both
        # ends (and the predicate) were joined as their cross product, 400k lookups for 200 nodes
        q = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {_values('s', iris)} GRAPH ?g {{ ?s ?p ?o }} "
             f"{_pred_filter(preds)} }} }} {_values('o', iris)} }}")
        for s, p, o in store.select(q).rows:
            e = _explorer_edge(s.value, p.value, o.value)
            if e is not None:
                edges.setdefault(f"{e[0]}|{e[2].label}|{e[1]}", _edge_dict(*e))
    info = describe_nodes(store, sorted(keep))
    nodes = [info.get(n, {"id": n, "label": n, "type": kind_of(n), "kind": kind_of(n)}) for n in [root, *page]]
    for n in nodes:
        n["root"] = n["id"] == root
    kept_edges = [e for e in edges.values() if e["source"] in keep and e["target"] in keep]
    return {
        "root": root, "depth": depth, "direction": direction, "predicate": predicate,
        "nodes": nodes, "edges": sorted(kept_edges, key=lambda e: e["id"]),
        "groups": _groups(store, root_iri, preds, direction, tallies),
        "truncated": truncated, "next": _cursor(offset + limit) if more else None,
    }


def as_cytoscape(result: dict[str, Any]) -> dict[str, Any]:
    """Cytoscape.js elements JSON (`cy.add(result.elements)`)."""
    return {"elements": {"nodes": [{"data": n} for n in result["nodes"]],
                         "edges": [{"data": e} for e in result["edges"]]},
            **{k: v for k, v in result.items() if k not in ("nodes", "edges")}}


def as_graphology(result: dict[str, Any]) -> dict[str, Any]:
    """graphology's serialised graph (`Graph.from(result)`), directed multi-graph."""
    return {"attributes": {k: v for k, v in result.items() if k not in ("nodes", "edges")},
            "options": {"type": "directed", "multi": True, "allowSelfLoops": False},
            "nodes": [{"key": n["id"], "attributes": {k: v for k, v in n.items() if k != "id"}} for n in result["nodes"]],
            "edges": [{"key": e["id"], "source": e["source"], "target": e["target"],
                       "attributes": {k: v for k, v in e.items() if k not in ("id", "source", "target")}}
                      for e in result["edges"]]}
