"""Ranked full-text search over quotes, claims, actor names and headlines: an SQLite FTS5 index.

The index is built from the store by one SPARQL query and kept fresh through `store.on_change`:
a changed article re-indexes that article's graph, `None` rebuilds (on disk: re-indexes the
articles whose version changed). Beside an embedded store on disk it is an SQLite file that
survives restarts. Updates are applied lazily,
at the next search, so writers never wait for the index. Words are stemmed (Porter), so
"cooperation" finds "cooperate".
"""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..errors import ClaimgraphError
from ..rdf.mapper import graph_iri
from ..rdf.nodeid import kind_of, node_id
from ..rdf.vocab import ID_BASE
from ..store.base import KnowledgeStore
from .catalog import MAX_LIMIT

_TEXTS = """
SELECT DISTINCT ?g ?node ?field ?text WHERE {
  GRAPH ?g {
    { ?node a cg:Statement ; cg:evidence/oa:hasSelector/oa:exact ?text . BIND("quote" AS ?field) }
    UNION { ?node a cg:Claim ; schema:text ?text . BIND("claim" AS ?field) }
    UNION { ?node schema:name ?text . BIND("name" AS ?field) }
    UNION { ?node schema:alternateName ?text . BIND("alias" AS ?field) }
    UNION { ?node a schema:NewsArticle ; schema:headline ?text . BIND("headline" AS ?field) }
  }
  FILTER(STRSTARTS(STR(?g), ?graphs))
}
"""
# names weigh more than a word inside a long quote
_BOOST = {"name": 4.0, "alias": 3.0, "claim": 2.0, "headline": 1.5, "quote": 1.0}
_WORD = re.compile(r"\w+", re.UNICODE)


# what an article graph is, for the index: its input digest, else its size (hand-annotated articles)
_VERSIONS = """
SELECT ?g (SAMPLE(?d) AS ?digest) WHERE {
  GRAPH ?g { ?src a schema:NewsArticle . OPTIONAL { ?src cg:inputDigest ?d } }
  FILTER(STRSTARTS(STR(?g), ?graphs))
} GROUP BY ?g
"""
_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
INDEX_FILE = "search-index.sqlite"


def default_path(store: KnowledgeStore) -> Path | None:
    """Where a store's persistent index lives: beside an embedded store on disk, else nowhere (memory)."""
    path = getattr(store, "path", None)
    return Path(path) / INDEX_FILE if isinstance(path, Path) else None


class TextIndex:
    """An FTS5 index of a store's texts, in memory or in an SQLite file.

    On disk (by default beside an embedded store on disk: `DATA/search-index.sqlite`), the index
    survives a restart: it keeps the version of every article it indexed (the article's input
    digest, `cg:inputDigest`, else its number of triples), and opening re-indexes only the
    articles whose version changed while it was closed, instead of rebuilding (measured 70-146 s
    at 10M triples). `path=":memory:"` forces an in-memory index."""

    def __init__(self, store: KnowledgeStore, path: str | Path | None = None, *, listen: bool = True) -> None:
        self.store = store
        if path is None:
            path = default_path(store)
        self.path = None if path in (None, ":memory:") else Path(path)
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._rebuild = True
        with self._lock:
            if self.path is None:
                self._db.execute("DROP TABLE IF EXISTS texts")
            self._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(body, node UNINDEXED, "
                             "field UNINDEXED, source UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')")
            self._db.execute("CREATE TABLE IF NOT EXISTS indexed (source TEXT PRIMARY KEY, version TEXT)")
            self._db.commit()
        if listen:
            store.on_change(self.changed)

    def changed(self, source_id: str | None) -> None:
        """`store.on_change` listener: remember what to re-index at the next search."""
        with self._lock:
            if source_id is None:
                self._rebuild = True
            else:
                self._pending.add(source_id)

    def _rows(self, graph: str | None) -> list[tuple[str, str, str, str]]:
        bindings: dict[str, Any] = {"graphs": f"{ID_BASE}graph/"}
        if graph is not None:
            bindings["g"] = graph_iri(graph)
        out = []
        prefix = len(f"{ID_BASE}graph/")
        for g, node, field, text in self.store.select(_TEXTS, bindings).rows:
            nid = node_id(node.value)
            if nid is None:
                continue
            out.append((text.value, nid, field.value, f"source/{g.value[prefix:]}"))
        return out

    def _versions(self, only: set[str] | None = None) -> dict[str, str]:
        """source id -> version, for every article in the store (or those in `only`)."""
        prefix = f"{ID_BASE}graph/"
        bindings: dict[str, Any] = {"graphs": prefix}
        if only is not None and len(only) == 1:
            bindings["g"] = graph_iri(next(iter(only)))
        out: dict[str, str] = {}
        for g, d in self.store.select(_VERSIONS, bindings).rows:
            if g is not None:
                sid = g.value[len(prefix):]
                if only is None or sid in only:
                    out[sid] = f"sha256:{d.value}" if d is not None else ""
        sized = sorted(s for s, v in out.items() if not v)
        for i in range(0, len(sized), 500):
            values = "VALUES ?g { " + " ".join(f"<{graph_iri(s)}>" for s in sized[i:i + 500]) + " }"
            for g, n in self.store.select(_SIZES.format(values=values)).rows:
                if g is not None and n is not None:
                    out[g.value[len(prefix):]] = f"triples:{n.value}"
        return out

    def _reindex(self, sid: str, version: str | None) -> None:
        # the delete scans the whole FTS table (its source column is not indexed): only for an
        # article indexed before, or a first index of 15,000 articles costs 15,000 scans (25 min at 10M)
        if self._db.execute("SELECT 1 FROM indexed WHERE source = ?", (sid,)).fetchone() is not None:
            self._db.execute("DELETE FROM texts WHERE source = ?", (f"source/{sid}",))
        if version is None:  # gone from the store
            self._db.execute("DELETE FROM indexed WHERE source = ?", (sid,))
            return
        self._db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?)", self._rows(sid))
        self._db.execute("INSERT OR REPLACE INTO indexed VALUES (?, ?)", (sid, version))

    def refresh(self) -> None:
        """Apply pending changes now (searches do this themselves)."""
        with self._lock:
            rebuild, pending = self._rebuild, self._pending
            if not rebuild and not pending:  # nothing written since: no store query per search
                return
            self._rebuild, self._pending = False, set()
            if rebuild and self.path is None:
                self._db.execute("DELETE FROM texts")
                self._db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?)", self._rows(None))
            elif rebuild:  # on disk: only what changed since the index last saw the store
                have = dict(self._db.execute("SELECT source, version FROM indexed").fetchall())
                now = self._versions()
                for sid in sorted(set(have) | set(now)):
                    if have.get(sid) != now.get(sid):
                        self._reindex(sid, now.get(sid))
            else:
                versions = self._versions(pending) if self.path is not None else {}
                for sid in sorted(pending):
                    if self.path is None:
                        self._db.execute("DELETE FROM texts WHERE source = ?", (f"source/{sid}",))
                        self._db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?)", self._rows(sid))
                    else:
                        self._reindex(sid, versions.get(sid))
            self._db.commit()

    def __len__(self) -> int:
        self.refresh()
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM texts").fetchone()[0])

    def search(self, q: str, limit: int = 20) -> list[dict[str, Any]]:
        """Best hits first, one per node: {id, kind, field, text, snippet, source, score}.
        Every word must match (the last one as a prefix); if nothing does, any word may."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ClaimgraphError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        words = _WORD.findall(q or "")
        if not words:
            raise ClaimgraphError("q must contain at least one word")
        self.refresh()
        # each word quoted: FTS5 operators in user input stay plain words
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        hits = self._match(" AND ".join(terms), limit)
        if not hits and len(terms) > 1:
            hits = self._match(" OR ".join(terms), limit)
        return hits

    def _match(self, expr: str, limit: int) -> list[dict[str, Any]]:
        sql = ("SELECT node, field, body, source, bm25(texts), snippet(texts, 0, '[', ']', '…', 12) "
               "FROM texts WHERE texts MATCH ? ORDER BY bm25(texts) LIMIT ?")
        with self._lock:
            rows = self._db.execute(sql, (expr, limit * 8)).fetchall()
        best: dict[str, dict[str, Any]] = {}
        for node, field, body, src, rank, snip in rows:
            score = -float(rank) * _BOOST.get(field, 1.0)
            if node not in best or score > best[node]["score"]:
                sources = best[node]["sources"] if node in best else []
                best[node] = {"id": node, "kind": kind_of(node), "field": field, "text": body,
                              "snippet": snip, "source": src, "sources": sources, "score": round(score, 4)}
            if src not in best[node]["sources"]:
                best[node]["sources"].append(src)
        return sorted(best.values(), key=lambda h: (-h["score"], h["id"]))[:limit]

    def close(self) -> None:
        self._db.close()


def search(store_or_index: KnowledgeStore | TextIndex, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Search a TextIndex (or build a throwaway one over a store, for one-off use)."""
    idx = (store_or_index if isinstance(store_or_index, TextIndex)
           else TextIndex(store_or_index, ":memory:", listen=False))
    return idx.search(q, limit)


__all__ = ["TextIndex", "search"]
