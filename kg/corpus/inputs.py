"""Reading a corpus: directories, JSON Lines, CSV, each optionally gzip-compressed, as articles.

Every input becomes an `Article` (its text, the metadata mapped to the source, and a digest of
both) or a `Reject` (where it came from and why it cannot be ingested). Reading never raises on
one bad article: a line that is not JSON, a row without text, bytes that are not UTF-8, a text
that is empty, binary or longer than the parser takes are rejects, and the run goes on.

    >>> from claimgraph.corpus.inputs import read_corpus
    >>> for item in read_corpus(["feed.jsonl.gz"]):       # doctest: +SKIP
    ...     print(item.name, getattr(item, "reason", "ok"))
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# spaCy refuses longer texts (nlp.max_length, error E088), and needs ~1 GB per 100,000 characters
MAX_CHARS = 1_000_000

FIELDS = ("text", "source_id", "title", "url", "date", "publisher", "author")
# The columns each source field is read from when the user maps nothing: the first one present wins.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "source_id": ("id", "source_id", "doc_id", "article_id"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "date": ("date", "date_published", "published", "publish_date"),
    "publisher": ("publisher", "source_name", "outlet"),
    "author": ("author", "byline"),
}
TEXT_SUFFIXES = (".txt",)
ANNOTATION_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv")
CORPUS_SUFFIXES = TEXT_SUFFIXES + ANNOTATION_SUFFIXES + TABLE_SUFFIXES

# bytes that are not UTF-8 survive decoding as lone surrogates (surrogateescape), found here per article
_UNDECODED = re.compile("[\udc80-\udcff]")
# control characters other than tab, newline, carriage return, form feed: a text with these is binary
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(slots=True)
class Article:
    """One article to ingest. `kind` is "text" (goes through extraction) or "yaml"/"json" (an
    annotation file, loaded as it is); `meta` holds the source fields mapped from the input."""

    name: str
    text: str
    kind: str = "text"
    meta: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = digest(self.kind, self.text, self.meta)


@dataclass(slots=True)
class Reject:
    """An input that cannot be ingested, and why (one line for the rejects file)."""

    name: str
    reason: str

    def as_json(self) -> str:
        return json.dumps({"input": self.name, "reason": self.reason}, ensure_ascii=False)


def digest(kind: str, text: str, meta: Mapping[str, str]) -> str:
    """SHA-256 of what an article is made of: a changed text or a corrected title is a new digest."""
    payload = json.dumps({"kind": kind, "text": text, "meta": dict(sorted(meta.items()))},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def problem(text: str, max_chars: int = MAX_CHARS) -> str | None:
    """Why a text cannot be an article (None if it can): not UTF-8, binary, empty, too long."""
    bad = _UNDECODED.search(text)
    if bad:
        return f"not UTF-8 (an undecodable byte at character {bad.start()})"
    ctl = _CONTROL.search(text)
    if ctl:
        return f"binary (control character U+{ord(ctl.group()):04X} at character {ctl.start()})"
    if not text.strip():
        return "empty (no text)"
    if len(text) > max_chars:
        return (f"too long ({len(text):,} characters; extraction takes at most {max_chars:,}): "
                "split it into articles")
    return None


def _columns(mapping: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    cols = dict(DEFAULT_COLUMNS)
    for fld, col in (mapping or {}).items():
        if fld not in FIELDS:
            raise ValueError(f"unknown source field {fld!r} in the column mapping; fields: {', '.join(FIELDS)}")
        cols[fld] = (col,)
    return cols


def _row_article(name: str, row: Mapping[str, object], cols: dict[str, tuple[str, ...]],
                 max_chars: int) -> Article | Reject:
    raw_text = next((row[c] for c in cols["text"] if row.get(c) is not None), None)
    if raw_text is None:
        return Reject(name, f"no text (none of the columns {', '.join(cols['text'])})")
    if not isinstance(raw_text, str):
        return Reject(name, f"the text is a JSON {type(raw_text).__name__}, not a string")
    values: dict[str, str] = {}
    for fld, candidates in cols.items():
        for c in candidates:
            v = row.get(c)
            if v is not None and v != "":
                values[fld] = v if isinstance(v, str) else str(v)
                break
    values.pop("text", None)
    text = raw_text
    why = problem(text, max_chars)
    if why:
        return Reject(name, why)
    for k, v in values.items():
        if _UNDECODED.search(v):
            return Reject(name, f"not UTF-8 (in the {k} column)")
    return Article(name, text, "text", values)


def _wide_csv_fields() -> None:
    # an article is longer than the csv module's 128 KB field default
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _open(path: Path) -> tuple[bytes, str]:
    """The file's bytes (gunzipped) and its suffix without .gz."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as f:
            return f.read(), Path(path.stem).suffix.lower()
    return path.read_bytes(), path.suffix.lower()


def _read_file(path: Path, cols: dict[str, tuple[str, ...]], max_chars: int) -> Iterator[Article | Reject]:
    try:
        data, suffix = _open(path)
    except (OSError, EOFError) as e:  # a truncated or corrupt gzip stream
        yield Reject(str(path), f"cannot read: {e}")
        return
    text = data.decode("utf-8", "surrogateescape")
    if suffix in (".jsonl", ".ndjson"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            name = f"{path}:{n}"
            try:
                row = json.loads(line)
            except ValueError as e:
                yield Reject(name, f"not JSON: {e}")
                continue
            except RecursionError:
                yield Reject(name, "not JSON: nested too deeply")
                continue
            yield (_row_article(name, row, cols, max_chars) if isinstance(row, dict)
                   else Reject(name, "not a JSON object"))
    elif suffix == ".csv":
        _wide_csv_fields()
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            for row in reader:
                yield _row_article(f"{path}:{reader.line_num}", row, cols, max_chars)
        except csv.Error as e:
            yield Reject(f"{path}:{reader.line_num}", f"not CSV: {e}")
    elif suffix in TEXT_SUFFIXES:
        why = problem(text, max_chars)
        yield Reject(str(path), why) if why else Article(str(path), text, "text",
                                                          {"name": path.name.split(".")[0]})
    elif suffix in ANNOTATION_SUFFIXES:
        why = problem(text, max_chars)
        yield Reject(str(path), why) if why else Article(str(path), text, "json" if suffix == ".json" else "yaml")
    else:
        yield Reject(str(path), f"not a corpus file ({', '.join(CORPUS_SUFFIXES)}, optionally .gz)")


def _is_corpus_file(p: Path) -> bool:
    name = p.name.lower().removesuffix(".gz")
    return p.is_file() and name.endswith(CORPUS_SUFFIXES)


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read, directories expanded (sorted, recursively) to their corpus files."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if _is_corpus_file(f))
        else:
            out.append(p)
    return out


def read_corpus(paths: Iterable[str | Path], columns: Mapping[str, str] | None = None,
                max_chars: int = MAX_CHARS) -> Iterator[Article | Reject]:
    """Every article (or reject) of the inputs, in order. `columns` maps source fields to the
    column names of JSON Lines and CSV inputs, e.g. {"text": "body", "title": "headline"}."""
    cols = _columns(columns)
    for path in corpus_files(paths):
        if not path.exists():
            yield Reject(str(path), "no such file")
            continue
        yield from _read_file(path, cols, max_chars)


def count_articles(paths: Iterable[str | Path]) -> int:
    """About how many articles the inputs hold (for the progress bar's ETA): lines, rows, files."""
    n = 0
    for path in corpus_files(paths):
        try:
            data, suffix = _open(path)
        except (OSError, EOFError):
            n += 1
            continue
        if suffix in (".jsonl", ".ndjson"):
            n += sum(1 for line in data.splitlines() if line.strip())
        elif suffix == ".csv":
            _wide_csv_fields()
            n += max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline=""))) - 1)
        else:
            n += 1
    return n
