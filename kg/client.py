"""The notebook client: `claimgraph.open("data")` (embedded) and `claimgraph.connect(url)` (HTTP).

Both return a `Client` over a KnowledgeStore-like object, and every method runs through that
object's `query`, so the embedded store and a server give the same answers:

    >>> import claimgraph
    >>> kg = claimgraph.open()                          # in memory; open("data") for a directory
    >>> kg.ingest("samples/dw-jawzjan.yaml")            # doctest: +SKIP
    >>> kg.named("statements-by-actor", actor="yonus-fakur")   # a pandas DataFrame  # doctest: +SKIP

Values given as keyword arguments are bound as RDF terms through `claimgraph.sparql_text.bind`,
never pasted into the query text. pandas is optional (`pip install 'claimgraph[notebook]'`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, URIRef

from .errors import QueryError
from .model import Document
from .named import get_named_query
from .sparql_text import bind
from .store import IngestReport, KnowledgeStore, QueryResult, Rows, open_store
from .terms import to_python, to_rdflib
from .vocab import ID_BASE, PREFIXES, XSD, sparql_prefixes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Client", "SparqlEndpoint", "connect", "open"]

_INTEGER = {str(XSD[t]) for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                     "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                     "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOAT = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_BOOL = {str(XSD.boolean)}
_DATE = {str(XSD.date), str(XSD.dateTime), str(XSD.dateTimeStamp)}


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("claimgraph's DataFrame results need pandas: pip install 'claimgraph[notebook]' "
                          "(or use claimgraph.open_store(...).query(...) for plain rows)") from None
    return pd


def to_dataframe(rows: Rows, terms: bool = False) -> pd.DataFrame:
    """Rows as a DataFrame with typed columns, in SELECT order.

    Integers become Int64, decimals/doubles Float64, booleans boolean, dates datetime64, all with
    NA for unbound; IRIs are str (or rdflib URIRef with `terms`); other literals their Python value.
    """
    pd = _pandas()
    data: dict[str, Any] = {}
    for i, var in enumerate(rows.variables):
        col = [r[i] for r in rows.rows]
        data[var] = _column(pd, col, terms)
    return pd.DataFrame(data, columns=rows.variables)


def _column(pd: Any, col: list[Any], terms: bool) -> Any:
    present = [t for t in col if t is not None]
    kinds = {t.datatype.value if isinstance(t, ox.Literal) else "iri" for t in present}
    if present and kinds <= _INTEGER:
        return pd.array([None if t is None else int(t.value) for t in col], dtype="Int64")
    if present and kinds <= _INTEGER | _FLOAT:
        return pd.array([None if t is None else float(t.value) for t in col], dtype="Float64")
    if present and kinds <= _BOOL:
        return pd.array([None if t is None else t.value in ("true", "1") for t in col], dtype="boolean")
    if present and kinds <= _DATE:
        texts = [None if t is None else t.value for t in col]
        tz = any(s is not None and ("Z" in s or "+" in s[10:] or "-" in s[10:]) for s in texts)
        return pd.to_datetime(pd.Series(texts, dtype="object"), format="ISO8601", utc=tz)
    if terms:
        return pd.Series([to_rdflib(t) if isinstance(t, (ox.NamedNode, ox.BlankNode)) else to_python(t)
                          for t in col], dtype="object")
    return pd.Series([to_python(t) for t in col], dtype="object")


class SparqlEndpoint(KnowledgeStore):
    """A read-only store over a SPARQL 1.1 Protocol endpoint (POST application/sparql-query).

    The minimal HTTP path for `connect`; `claimgraph.remote.RemoteStore` is used instead when it
    is installed. claimgraph's prefixes are declared in front of each query, as the embedded
    store does, and values are bound with `sparql_text.bind` before sending.
    """

    writable = False

    def __init__(self, endpoint: str, *, timeout: float = 60.0, headers: Mapping[str, str] | None = None) -> None:
        import httpx

        self.endpoint = endpoint
        self._http = httpx.Client(timeout=timeout, headers=dict(headers or {}))

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              limit: int | None = None) -> QueryResult:
        from .embedded import materialise

        text = sparql_prefixes() + bind(sparql, bindings)
        r = self._http.post(self.endpoint, content=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if r.status_code >= 400:
            try:
                message = r.json().get("message") or r.text
            except ValueError:
                message = r.text
            raise QueryError(f"{self.endpoint} answered {r.status_code}: {message.strip()[:500]}")
        ctype = r.headers.get("content-type", "").split(";")[0].strip()
        try:
            if ctype in ("application/n-triples", "text/turtle", "application/n-quads"):
                fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-quads": ox.RdfFormat.N_QUADS}.get(
                    ctype, ox.RdfFormat.N_TRIPLES)
                return materialise(q.triple for q in ox.parse(r.content, fmt)) if limit is None else \
                    [q.triple for q in ox.parse(r.content, fmt)][:limit]
            return materialise(ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON), limit)
        except SyntaxError as e:
            raise QueryError(f"{self.endpoint} sent results that do not parse ({ctype}): {e}") from None

    def _read_only(self, *_a: Any, **_k: Any) -> Any:
        raise QueryError("this connection is read-only (a SPARQL query endpoint)")

    ingest = _read_only  # type: ignore[assignment]
    drop = _read_only  # type: ignore[assignment]
    export = _read_only  # type: ignore[assignment]
    load_nquads = _read_only  # type: ignore[assignment]

    def sources(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?id WHERE { ?a a schema:NewsArticle ; cg:sourceId ?id } ORDER BY ?id")
        return [str(to_python(r[0])) for r in rows.rows]

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(to_python(rows.rows[0][0]) or 0)

    def close(self) -> None:
        self._http.close()


def _optional(module: str) -> Any:
    """A sibling library module another part of claimgraph provides, or None before it exists."""
    try:
        return importlib.import_module(f"claimgraph.{module}")
    except ImportError:
        return None


def _id(kind: str, node: str) -> str:
    """An entity IRI from an id ('taliban') or the IRI itself."""
    return node if node.startswith(("http://", "https://")) else f"{ID_BASE}{kind}/{node}"


class Client:
    """SPARQL as DataFrames, named queries, catalogues and graphs over one store."""

    def __init__(self, store: KnowledgeStore, *, owns_store: bool = True) -> None:
        self.store = store
        self._owns = owns_store

    # ------------------------------------------------------------------ SPARQL

    def query(self, sparql: str, *, terms: bool = False, limit: int | None = None,
              **bindings: Any) -> pd.DataFrame:
        """A SELECT query as a DataFrame; keyword arguments pre-bind variables (`actor=URIRef(...)`)."""
        res = self.store.query(sparql, bindings or None, limit=limit)
        if not isinstance(res, Rows):
            raise QueryError("query() takes a SELECT query; use ask() or construct()")
        return to_dataframe(res, terms)

    def ask(self, sparql: str, **bindings: Any) -> bool:
        res = self.store.query(sparql, bindings or None)
        if not isinstance(res, bool):
            raise QueryError("ask() takes an ASK query")
        return res

    def construct(self, sparql: str, **bindings: Any) -> Graph:
        """A CONSTRUCT or DESCRIBE query as an rdflib Graph."""
        res = self.store.query(sparql, bindings or None)
        if not isinstance(res, list):
            raise QueryError("construct() takes a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def named(self, name: str, *, terms: bool = False, **params: Any) -> pd.DataFrame:
        """Run a named query from queries/ (see `claimgraph queries`) with validated parameters."""
        nq = get_named_query(name)
        return self.query(nq.sparql, terms=terms, **nq.bind(params))

    # ------------------------------------------------------------------ catalogues

    def actors(self) -> pd.DataFrame:
        """Every actor: id, name, kind and how many statements it made and claims concern it."""
        catalog = _optional("catalog")
        if catalog is not None and hasattr(catalog, "actors"):
            return _pandas().DataFrame(_records(catalog.actors(self.store)))
        return self.query(ACTORS)

    def claims(self, contested: bool | None = None) -> pd.DataFrame:
        """Every claim with its supporters and opposers; `contested=True` keeps the contested ones."""
        catalog = _optional("catalog")
        if catalog is not None and hasattr(catalog, "claims"):
            recs = _records(catalog.claims(self.store, contested=contested) if contested is not None
                            else catalog.claims(self.store))
            return _pandas().DataFrame(recs)
        df = self.query(CLAIMS)
        if contested is not None:
            df = df[df["contested"] == contested].reset_index(drop=True)
        return df

    # ------------------------------------------------------------------ graphs

    def trace(self, claim: str) -> nx.MultiDiGraph:
        """The claim, the statements about it, their speakers and the articles they quote, as a graph.

        Statement nodes carry the quote, its offsets and the source's URL, for checking the
        words in the original article."""
        mod = _optional("trace")
        if mod is not None and hasattr(mod, "trace"):
            return to_networkx(mod.trace(self.store, claim))
        rows = self.store.select(TRACE, {"claim": URIRef(_id("claim", claim))}).dicts()
        g = nx.MultiDiGraph()
        for r in rows:
            g.add_node(r["claim"], label=r["claimText"], type="Claim")
            g.add_node(r["statement"], label=r["quote"], type="Statement", stance=r["stance"],
                       quote=r["quote"], start=r["start"], end=r["end"], cue=r["cue"])
            g.add_node(r["article"], label=r["headline"] or r["source"], type="NewsArticle", url=r["url"],
                       source=r["source"])
            _edge(g, r["statement"], r["claim"], "cg:about", stance=r["stance"])
            _edge(g, r["statement"], r["article"], "schema:isPartOf")
            if r["speaker"]:
                g.add_node(r["speaker"], label=r["speakerName"], type="Actor")
                _edge(g, r["statement"], r["speaker"], "cg:speaker")
        return g

    def neighbourhood(self, node: str, depth: int = 1, kind: str = "actor") -> nx.MultiDiGraph:
        """The entities within `depth` links of `node` (an id of `kind`, or an IRI), as a graph with
        `label` and `type` on nodes and the predicate (`cg:speaker`...) on edges."""
        mod = _optional("neighbourhood")
        if mod is not None and hasattr(mod, "neighbourhood"):
            return to_networkx(mod.neighbourhood(self.store, node, depth))
        start = _id(kind, node)
        g = nx.MultiDiGraph()
        frontier, seen = {start}, {start}
        for _ in range(max(depth, 0)):
            nxt: set[str] = set()
            for n in sorted(frontier):
                for r in self.store.select(LINKS, {"n": URIRef(n)}).dicts():
                    m = r["other"]
                    s, o = (n, m) if r["dir"] == "out" else (m, n)
                    _edge(g, s, o, _curie(r["p"]))
                    if m not in seen:
                        seen.add(m)
                        nxt.add(m)
            frontier = nxt
        g.add_node(start)
        for n in list(g.nodes):
            rows = self.store.select(NODE_INFO, {"n": URIRef(n)}).dicts()
            if rows:
                g.nodes[n].update(label=rows[0]["label"], type=rows[0]["type"])
        return g

    # ------------------------------------------------------------------ writes and lifetime

    def ingest(self, doc: Document | str | Path, validate: bool = True) -> IngestReport:
        """Ingest a Document or an annotation file (.yaml/.json)."""
        if not isinstance(doc, Document):
            from .annotation import load_annotation

            doc = load_annotation(doc)
        return self.store.ingest(doc, validate=validate)

    def close(self) -> None:
        if self._owns:
            self.store.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = getattr(self.store, "path", None) or getattr(self.store, "endpoint", None) or "memory"
        return f"<claimgraph.Client {type(self.store).__name__} {where}>"


def _edge(g: nx.MultiDiGraph, s: str, o: str, predicate: str, **attrs: Any) -> None:
    # one edge per (s, predicate, o), although the union default graph repeats facts per article
    if not g.has_edge(s, o, key=predicate):
        g.add_edge(s, o, key=predicate, predicate=predicate, **attrs)


def _records(res: Any) -> list[dict[str, Any]]:
    if isinstance(res, Rows):
        return res.dicts()
    if isinstance(res, dict):
        for key in ("actors", "claims", "items", "rows"):
            if isinstance(res.get(key), list):
                return res[key]
    return list(res)


def to_networkx(data: Mapping[str, Any]) -> nx.MultiDiGraph:
    """A `{"nodes": [...], "edges": [...]}` answer (trace, neighbourhood) as a MultiDiGraph."""
    g = nx.MultiDiGraph()
    for n in data.get("nodes", []):
        attrs = dict(n)
        nid = attrs.pop("id", None) or attrs.pop("iri")
        g.add_node(nid, **attrs)
    for e in data.get("edges", []):
        attrs = dict(e)
        s = attrs.pop("source", None) or attrs.pop("from", None) or attrs.pop("s")
        o = attrs.pop("target", None) or attrs.pop("to", None) or attrs.pop("o")
        p = attrs.pop("predicate", None) or attrs.get("label") or attrs.get("type") or ""
        _edge(g, s, o, p, **attrs)
    return g


def open(path: str | Path | None = None, *, read_only: bool = False) -> Client:  # noqa: A001
    """The embedded store in a data directory (created if missing); no argument: in memory."""
    return Client(open_store(path, read_only=read_only))


def connect(url: str, *, timeout: float = 60.0, token: str | None = None) -> Client:
    """A running claimgraph server (`http://host:8000`, queried at its /sparql endpoint) or any
    SPARQL 1.1 query endpoint URL (`http://host:7878/query`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"connect() needs an http(s) URL, not {url!r}")
    endpoint = url.rstrip("/") + "/sparql" if parts.path in ("", "/") else url
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    remote = _optional("remote")
    if remote is not None and hasattr(remote, "RemoteStore"):
        try:
            store = remote.RemoteStore(endpoint, timeout=timeout, headers=headers)
        except TypeError:  # an older RemoteStore signature
            store = remote.RemoteStore(endpoint)
        return Client(store)
    return Client(SparqlEndpoint(endpoint, timeout=timeout, headers=headers))


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


# The entity kinds a neighbourhood walks through (spans, mentions and roles are details of these).
_ENTITY = f"^{ID_BASE}(actor|claim|statement|source|relation)/"

ACTORS = f"""
SELECT DISTINCT ?id ?actor ?name ?type (COALESCE(?ns, 0) AS ?statements) (COALESCE(?nc, 0) AS ?claims)
WHERE {{
  ?actor a ?class ; schema:name ?name . ?class rdfs:subClassOf+ cg:Actor ; rdfs:label ?typeLabel .
  BIND(STR(?typeLabel) AS ?type)
  BIND(STRAFTER(STR(?actor), "{ID_BASE}actor/") AS ?id)
  OPTIONAL {{ SELECT ?actor (COUNT(DISTINCT ?st) AS ?ns) WHERE {{ ?st cg:speaker ?actor }} GROUP BY ?actor }}
  OPTIONAL {{ SELECT ?actor (COUNT(DISTINCT ?c) AS ?nc) WHERE {{ ?c cg:concerns ?actor }} GROUP BY ?actor }}
}}
ORDER BY ?name
"""

CLAIMS = f"""
SELECT DISTINCT ?id ?claim ?text ?supporters ?opposers ?contested
WHERE {{
  ?claim a cg:Claim ; schema:text ?text .
  BIND(STRAFTER(STR(?claim), "{ID_BASE}claim/") AS ?id)
  OPTIONAL {{ SELECT ?claim (COUNT(DISTINCT ?s) AS ?ns) WHERE {{
    ?s cg:about ?claim ; cg:stance ?x . ?x a cg:SupportingStance }} GROUP BY ?claim }}
  OPTIONAL {{ SELECT ?claim (COUNT(DISTINCT ?o) AS ?no) WHERE {{
    ?o cg:about ?claim ; cg:stance ?y . ?y a cg:OpposingStance }} GROUP BY ?claim }}
  BIND(COALESCE(?ns, 0) AS ?supporters)
  BIND(COALESCE(?no, 0) AS ?opposers)
  BIND(?supporters > 0 && ?opposers > 0 AS ?contested)
}}
ORDER BY ?text
"""

TRACE = """
SELECT DISTINCT ?claim ?claimText ?statement ?stance ?cue ?speaker ?speakerName ?quote ?start ?end
       ?article ?source ?headline ?url
WHERE {
  ?claim schema:text ?claimText .
  ?statement cg:about ?claim ; cg:stance ?stanceNode ; cg:evidence ?span ; schema:isPartOf ?article .
  ?stanceNode rdfs:label ?stanceLabel . BIND(STR(?stanceLabel) AS ?stance)
  OPTIONAL { ?statement cg:cueText ?cue }
  OPTIONAL { ?statement cg:speaker ?speaker . ?speaker schema:name ?speakerName }
  ?span oa:hasSelector ?pos , ?sel . ?pos oa:start ?start ; oa:end ?end . ?sel oa:exact ?quote .
  ?article cg:sourceId ?source .
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:url ?url }
}
ORDER BY ?source ?start ?speakerName
"""

LINKS = f"""
SELECT DISTINCT ?p ?other ?dir
WHERE {{
  {{ ?n ?p ?other . BIND("out" AS ?dir) }} UNION {{ ?other ?p ?n . BIND("in" AS ?dir) }}
  FILTER(isIRI(?other) && REGEX(STR(?other), "{_ENTITY}"))
}}
ORDER BY ?dir ?p ?other
"""

NODE_INFO = """
SELECT ?label ?type
WHERE {
  OPTIONAL { ?n schema:name ?name }
  OPTIONAL { ?n schema:headline ?headline }
  OPTIONAL { ?n schema:text ?text FILTER NOT EXISTS { ?n a schema:NewsArticle } }
  OPTIONAL { ?n cg:cueText ?cue }
  OPTIONAL { ?n a ?class OPTIONAL { ?class rdfs:label ?classLabel } }
  BIND(STR(COALESCE(?name, ?headline, ?text, ?cue, ?classLabel)) AS ?label)
  BIND(REPLACE(STR(?class), "^.*[#/]", "") AS ?type)
}
LIMIT 1
"""
