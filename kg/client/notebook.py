"""The notebook client: `claimgraph.open("data")` (embedded) and `claimgraph.connect(url)` (HTTP).

Both return a `Client` over a KnowledgeStore-like object, and every method runs through that
object's `query`, so the embedded store and a server give the same answers:

    >>> import claimgraph
    >>> kg = claimgraph.open()                          # in memory; open("data") for a directory
    >>> kg.ingest("samples/dw-jawzjan.yaml")            # doctest: +SKIP
    >>> kg.named("statements-by-actor", actor="yonus-fakur")   # a pandas DataFrame  # doctest: +SKIP

Values given as keyword arguments are bound as RDF terms through `claimgraph.store.sparql_text.bind`,
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
from rdflib import Graph

from ..errors import QueryError
from ..model import Document
from ..rdf.terms import to_python, to_rdflib
from ..rdf.vocab import PREFIXES, XSD, sparql_prefixes
from ..store import IngestReport, KnowledgeStore, QueryResult, Rows, open_store
from ..store.sparql_text import bind
from ..views.named import get_named_query

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

    The minimal HTTP path for `connect`; `claimgraph.store.remote.RemoteStore` is used instead when it
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
        from ..store.common import materialise

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

    def actors(self, type: str | None = None) -> pd.DataFrame:  # noqa: A002 - the catalogue's word
        """Every actor (optionally of one type: person, armed_group...): id, name, type, statements."""
        from ..views import catalog

        return _frame(_all_pages(lambda cursor: catalog.actors(self.store, type=type, limit=catalog.MAX_LIMIT,
                                                               cursor=cursor)))

    def claims(self, contested: bool | None = None, about: str | None = None) -> pd.DataFrame:
        """Every claim with its supporting and opposing statement counts; `contested=True` keeps the
        claims both supported and opposed, `about="taliban"` those concerning an actor."""
        from ..views import catalog

        return _frame(_all_pages(lambda cursor: catalog.claims(self.store, contested=contested, about=about,
                                                               limit=catalog.MAX_LIMIT, cursor=cursor)))

    # ------------------------------------------------------------------ graphs

    def trace(self, claim: str) -> nx.MultiDiGraph:
        """The claim, the statements about it, their speakers and the articles they quote, as a graph
        (edges in RDF direction: statement -cg:about-> claim, -cg:speaker-> actor, -schema:isPartOf-> article).

        Statement nodes carry the quote, its offsets, prefix, suffix and sentence, for checking the
        words in the original article. `claim` is an id (`pakistan-harbours-militants`) or `claim/...`."""
        from ..views.trace import trace

        t = trace(self.store, claim)
        head = t["claim"]
        g = nx.MultiDiGraph()
        g.add_node(head["id"], label=head["text"], type="Claim", kind="claim")
        for s in t["statements"]:
            q = s["quote"]
            g.add_node(s["id"], label=q["exact"], type="Statement", kind="statement", stance=s["stance"],
                       side=s["side"], statement_kind=s["kind"], cue=s["cue"], quote=q["exact"], start=q["start"],
                       end=q["end"], prefix=q["prefix"], suffix=q["suffix"], sentence=q["sentence"])
            _edge(g, s["id"], head["id"], "cg:about", stance=s["stance"], side=s["side"])
            for sp in s["speakers"]:
                g.add_node(sp["id"], label=sp["label"], type="Actor", kind="actor", roles=sp["roles"])
                _edge(g, s["id"], sp["id"], "cg:speaker")
            if s["recipient"]:
                g.add_node(s["recipient"]["id"], label=s["recipient"]["label"], type="Actor", kind="actor")
                _edge(g, s["id"], s["recipient"]["id"], "cg:recipient")
            src = s["source"]
            if src:
                g.add_node(src["id"], label=src["title"] or src["source_id"], type="NewsArticle", kind="source",
                           url=src["url"], source_id=src["source_id"], date=src["date"])
                _edge(g, s["id"], src["id"], "schema:isPartOf")
        return g

    def neighbourhood(self, node: str, depth: int = 1, kind: str = "actor", direction: str = "both",
                      predicate: str | None = None) -> nx.MultiDiGraph:
        """The entities within `depth` (1-3) links of `node` (an id of `kind` such as `taliban`, a node id
        such as `claim/taliban-is-rivalry`, or an IRI), with `label` and `type` on nodes and the
        predicate (`cg:speaker`...) and its explorer label ("said") on edges."""
        from ..rdf.nodeid import node_id
        from ..views.neighbourhood import neighbourhood

        if node.startswith(("http://", "https://")):
            nid = node_id(node) or node
        else:
            nid = node if "/" in node else f"{kind}/{node}"
        res = neighbourhood(self.store, nid, depth=depth, direction=direction, predicate=predicate, limit=1000)
        g = nx.MultiDiGraph(root=res["root"], truncated=res["truncated"])
        for n in res["nodes"]:
            g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
        for e in res["edges"]:
            _edge(g, e["source"], e["target"], _curie(e["predicate"]), label=e["label"], iri=e["predicate"],
                  statement=e["statement"])
        return g

    # ------------------------------------------------------------------ writes and lifetime

    def ingest(self, doc: Document | str | Path, validate: bool = True) -> IngestReport:
        """Ingest a Document or an annotation file (.yaml/.json)."""
        if not isinstance(doc, Document):
            from ..model.annotation import load_annotation

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


def _all_pages(page: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        res = page(cursor)
        items.extend(res["items"])
        cursor = res.get("next")
        if not cursor:
            return items


def _frame(items: list[dict[str, Any]]) -> pd.DataFrame:
    return _pandas().DataFrame.from_records(items)


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
        ep = urlsplit(endpoint)
        try:
            store = remote.RemoteStore(f"{ep.scheme}://{ep.netloc}", query_path=ep.path or "/",
                                       timeout=timeout, headers=headers)
        except TypeError:  # a RemoteStore that does not take these options: the plain protocol client
            store = SparqlEndpoint(endpoint, timeout=timeout, headers=headers)
        return Client(store)
    return Client(SparqlEndpoint(endpoint, timeout=timeout, headers=headers))


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
