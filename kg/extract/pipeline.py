"""Raw article text in, `Document` out: parse once, find statements, resolve actors, key claims."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import AnnotationError
from ..model import Document, Source, slugify
from . import quotes
from .nlp import nlp

METHOD = "automatic claimgraph-extract 0.1"
HEADER_KEYS = {"title", "url", "publisher", "date", "author", "id"}


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """An optional front-matter header (``key: value`` lines ended by ``---``) and the text after it."""
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    for n, line in enumerate(lines):
        if line.strip() == "---":
            if meta:
                return meta, "\n".join(lines[n + 1:])
            break
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() not in HEADER_KEYS:
            break
        meta[key.strip().lower()] = value.strip()
    return {}, raw


def attributions_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[tuple[str, list[quotes.Attribution]]]:
    """(text, statements) for many texts, parsed with `nlp.pipe`."""
    items = list(texts)
    for text, doc in zip(items, nlp().pipe(items, batch_size=batch_size), strict=True):
        yield text, quotes.find(doc, text)


def prediction(doc_id: str, text: str, atts: list[quotes.Attribution]) -> dict[str, Any]:
    """One line of the quote scorer's prediction format."""
    out = []
    for a in atts:
        q = {
            "quote_start": a.start, "quote_end": a.end,
            "quote_text": " ... ".join(text[s:e] for s, e in a.fragments),
            "quote_spans": [list(f) for f in a.fragments],
            "speaker_text": text[a.speaker[0]:a.speaker[1]] if a.speaker else None,
            "speaker_start": a.speaker[0] if a.speaker else None,
            "speaker_end": a.speaker[1] if a.speaker else None,
            "cue_text": text[a.cue[0]:a.cue[1]] if a.cue else None,
            "kind": a.kind,
        }
        out.append(q)
    return {"doc_id": doc_id, "quotes": out}


def _source_id(meta: dict[str, str], text: str) -> str:
    if meta.get("id"):
        return slugify(meta["id"])
    url, pub = meta.get("url"), meta.get("publisher")
    if url and pub:
        return slugify(f"{pub}-{url.rstrip('/').rsplit('/', 1)[-1]}")
    if meta.get("title"):
        return slugify(meta["title"])
    import hashlib

    return "article-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def extract_text(text: str, *, source_id: str | None = None, title: str | None = None,
                 publisher: str | None = None, url: str | None = None, date: str | None = None,
                 author: str | None = None) -> Document:
    """Extract statements, actors, claims and relations from raw article text.

    A front-matter header (``title: ...`` lines ended by ``---``) is read and removed first;
    keyword arguments win over it. All offsets refer to the text after the header.
    """
    meta, body = split_header(text)
    given = {"id": source_id, "title": title, "publisher": publisher, "url": url, "date": date,
             "author": author}
    meta.update({k: v for k, v in given.items() if v})
    return build(nlp()(body), body, meta)


def extract_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Document]:
    """`extract_text` for many texts (headers honoured), parsed in batches with `nlp.pipe`."""
    pairs = [split_header(t) for t in texts]
    bodies = [b for _, b in pairs]
    for (meta, body), doc in zip(pairs, nlp().pipe(bodies, batch_size=batch_size), strict=True):
        yield build(doc, body, meta)


def extract_file(path: str | Path) -> Document:
    """`extract_text` on a UTF-8 .txt file (with an optional front-matter header)."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise AnnotationError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    return extract_text(raw)


def build(doc: Any, text: str, meta: dict[str, str]) -> Document:
    from .assemble import assemble

    source = Source(id=_source_id(meta, text), text=text, title=meta.get("title") or None,
                    url=meta.get("url") or None, date=meta.get("date") or None, method=METHOD)
    return assemble(doc, text, source, publisher=meta.get("publisher"), author=meta.get("author"))
