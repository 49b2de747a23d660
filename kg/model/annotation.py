"""The annotation file format (JSON or YAML): read and write `Document`s.

A fact-checker writes or corrects these by hand, so the reader is forgiving where it is safe
(a span may be given as its text alone and is then located in the article) and strict where it
matters (offsets that do not match the text are an error naming the field). See
docs/annotation-format.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import AnnotationError
from ..model import (
    Actor,
    ActorType,
    Claim,
    Document,
    Relation,
    RelationType,
    Review,
    Role,
    Source,
    Span,
    Stance,
    Statement,
    StatementKind,
)

FORMAT_VERSION = 1
MAX_ITEMS = 5000
"""Longest list in one document (statements, actors, mentions...). Validating an article costs about
2 ms a statement (SHACL), so 100,000 statements would hold the writer for minutes; real articles
have tens. A bigger document is refused before anything is mapped."""
_TOP = {"claimgraph", "source", "actors", "statements", "claims", "relations"}


def load(path: str | Path) -> Document:
    """Read an annotation file (.json, .yaml or .yml); `text_file` is resolved next to it."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise AnnotationError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    return loads(raw, fmt="json" if p.suffix == ".json" else "yaml", base=p.parent, name=str(p))


def loads(raw: str, fmt: str = "yaml", base: Path | None = None, name: str = "<input>") -> Document:
    try:
        data = json.loads(raw) if fmt == "json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise AnnotationError(f"{name}: not valid {fmt.upper()}: {str(e).splitlines()[0]}") from None
    except RecursionError:  # both parsers recurse per level: [[[[... a few thousand deep
        raise AnnotationError(f"{name}: the {fmt.upper()} is nested too deeply to be an annotation document") from None
    except ValueError as e:
        # Python refuses to convert integers of more than sys.get_int_max_str_digits() digits
        # (4,300): a denial-of-service guard that both parsers hit while reading the number
        raise AnnotationError(f"{name}: {_long_number(raw, e)}") from None
    if not isinstance(data, Mapping):
        raise AnnotationError(f"{name}: expected a mapping with 'source', 'actors', 'statements'...")
    return from_dict(data, base=base, name=name)


def _long_number(raw: str, e: ValueError) -> str:
    """Where the over-long number is and what to do, for the one-line error."""
    limit = sys.get_int_max_str_digits()
    m = re.search(r"\d{" + str(limit + 1) + ",}", raw) if limit else None
    if m is None:
        return f"a value cannot be read: {str(e).splitlines()[0]}"
    line = raw.count("\n", 0, m.start()) + 1
    return (f"line {line}: a number of {m.end() - m.start():,} digits (at most {limit:,} can be read); "
            "quote it if it is text, or correct the value")


def from_dict(data: Mapping[str, Any], base: Path | None = None, name: str = "<input>") -> Document:
    r = _Reader(name)
    unknown = set(data) - _TOP
    if unknown:
        r.fail(f"unknown top-level field(s) {sorted(unknown, key=repr)}; expected {sorted(_TOP)}")
    version = data.get("claimgraph", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        r.fail(f"format version {version!r} is not supported (this claimgraph reads {FORMAT_VERSION})")
    src = r.mapping(data.get("source"), "source")
    text = src.get("text")
    if text is None and "text_file" in src:
        if base is None:
            r.fail("source.text_file needs a file location; give source.text inline")
        tf = (base / str(src["text_file"])).resolve()
        if not tf.is_relative_to(base.resolve()):
            r.fail(f"source.text_file {src['text_file']!r} points outside the annotation's folder")
        try:
            text = tf.read_text(encoding="utf-8")
        except OSError as e:
            r.fail(f"source.text_file: cannot read {tf}: {e.strerror}")
    if not isinstance(text, str) or not text:
        r.fail("source needs 'text' (or 'text_file') with the article's text")
    r.unicode(text, "source.text")
    r.fields(src, "source", {"id", "text", "text_file", "title", "publisher", "author", "url", "date", "method"})
    source = Source(
        id=r.string(src.get("id"), "source.id"),
        text=text,
        title=r.opt_string(src.get("title"), "source.title"),
        publisher=r.opt_string(src.get("publisher"), "source.publisher"),
        author=r.opt_string(src.get("author"), "source.author"),
        url=r.opt_string(src.get("url"), "source.url"),
        date=r.opt_string(src.get("date"), "source.date"),
        method=r.opt_string(src.get("method"), "source.method") or "manual",
    )
    r.text = text
    doc = Document(source=source)
    for i, a in enumerate(r.seq(data.get("actors"), "actors")):
        w = f"actors[{i}]"
        a = r.mapping(a, w)
        r.fields(a, w, {"id", "name", "type", "aliases", "roles", "affiliations", "mentions", "same_as"})
        doc.actors.append(
            Actor(
                id=r.string(a.get("id"), f"{w}.id"),
                name=r.string(a.get("name"), f"{w}.name"),
                type=r.enum(ActorType, a.get("type", "organisation"), f"{w}.type"),
                aliases=[r.string(x, f"{w}.aliases") for x in r.seq(a.get("aliases"), f"{w}.aliases")],
                roles=[r.role(x, f"{w}.roles[{j}]") for j, x in enumerate(r.seq(a.get("roles"), f"{w}.roles"))],
                affiliations=[r.string(x, f"{w}.affiliations") for x in r.seq(a.get("affiliations"), f"{w}.affiliations")],
                mentions=[r.span(x, f"{w}.mentions[{j}]") for j, x in enumerate(r.seq(a.get("mentions"), f"{w}.mentions"))],
                same_as=[r.string(x, f"{w}.same_as") for x in r.seq(a.get("same_as"), f"{w}.same_as")],
            )
        )
    for i, x in enumerate(r.seq(data.get("relations"), "relations")):
        w = f"relations[{i}]"
        x = r.mapping(x, w)
        r.fields(x, w, {"id", "type", "actor", "counterpart", "evidence"})
        doc.relations.append(
            Relation(
                type=r.enum(RelationType, x.get("type"), f"{w}.type"),
                actor=r.string(x.get("actor"), f"{w}.actor"),
                counterpart=r.string(x.get("counterpart"), f"{w}.counterpart"),
                evidence=[r.span(e, f"{w}.evidence[{j}]") for j, e in enumerate(r.seq(x.get("evidence"), f"{w}.evidence"))],
                id=r.opt_string(x.get("id"), f"{w}.id") or "",
            )
        )
    for i, x in enumerate(r.seq(data.get("claims"), "claims")):
        w = f"claims[{i}]"
        x = r.mapping(x, w)
        r.fields(x, w, {"id", "text", "relation", "concerns", "review"})
        doc.claims.append(
            Claim(
                id=r.string(x.get("id"), f"{w}.id"),
                text=r.string(x.get("text"), f"{w}.text"),
                relation=r.opt_string(x.get("relation"), f"{w}.relation"),
                concerns=[r.string(c, f"{w}.concerns") for c in r.seq(x.get("concerns"), f"{w}.concerns")],
                review=r.review(x["review"], f"{w}.review") if x.get("review") is not None else None,
            )
        )
    for i, x in enumerate(r.seq(data.get("statements"), "statements")):
        w = f"statements[{i}]"
        x = r.mapping(x, w)
        r.fields(x, w, {"id", "quote", "speakers", "speaker", "cue", "cue_lemma", "speaker_mention",
                        "recipient", "kind", "stance", "claims", "date"})
        speakers = x.get("speakers", x.get("speaker"))
        if isinstance(speakers, str):
            speakers = [speakers]
        doc.statements.append(
            Statement(
                quote=r.span(x.get("quote"), f"{w}.quote"),
                speakers=[r.string(s, f"{w}.speakers") for s in r.seq(speakers, f"{w}.speakers")],
                cue=r.span(x["cue"], f"{w}.cue") if x.get("cue") is not None else None,
                cue_lemma=r.opt_string(x.get("cue_lemma"), f"{w}.cue_lemma"),
                speaker_mention=(
                    r.span(x["speaker_mention"], f"{w}.speaker_mention")
                    if x.get("speaker_mention") is not None
                    else None
                ),
                recipient=r.opt_string(x.get("recipient"), f"{w}.recipient"),
                kind=r.enum(StatementKind, x.get("kind", "direct"), f"{w}.kind"),
                stance=r.enum(Stance, x.get("stance", "asserts"), f"{w}.stance"),
                claims=[r.string(c, f"{w}.claims") for c in r.seq(x.get("claims"), f"{w}.claims")],
                id=r.opt_string(x.get("id"), f"{w}.id") or "",
                date=r.opt_string(x.get("date"), f"{w}.date"),
            )
        )
    problems = doc.check()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise AnnotationError(f"{name}: {problems[0]}{more}", problems=problems)
    return doc


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.text = ""

    def fail(self, msg: str) -> None:
        raise AnnotationError(f"{self.name}: {msg}")

    def mapping(self, v: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(v, Mapping):
            self.fail(f"{where} must be a mapping")
        return v

    def seq(self, v: Any, where: str) -> list[Any]:
        if v is None:
            return []
        if not isinstance(v, list):
            self.fail(f"{where} must be a list")
        if len(v) > MAX_ITEMS:
            self.fail(f"{where} has {len(v)} entries; an article may have at most {MAX_ITEMS} (split it)")
        return v

    def fields(self, v: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        unknown = set(v) - allowed
        if unknown:
            self.fail(f"{where}: unknown field(s) {sorted(unknown, key=repr)}; allowed: {sorted(allowed)}")

    def string(self, v: Any, where: str) -> str:
        if not isinstance(v, str) or not v:
            self.fail(f"{where} must be a non-empty string")
        return self.unicode(v, where)

    def unicode(self, v: str, where: str) -> str:
        # JSON's "\ud800" escapes (and YAML's) give lone surrogates: no store can write them as UTF-8
        try:
            v.encode("utf-8")
        except UnicodeEncodeError as e:
            self.fail(f"{where}: not Unicode text (a lone surrogate {v[e.start]!r} at {e.start})")
        return v

    def opt_string(self, v: Any, where: str) -> str | None:
        if v is None:
            return None
        if isinstance(v, (dt.date, dt.datetime)):  # YAML reads 2018-05-01 as a date
            return v.isoformat()
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            self.fail(f"{where} must be a string")
        return self.unicode(str(v), where)

    def enum(self, cls: type, v: Any, where: str) -> Any:
        try:
            return cls(v)
        except ValueError:
            self.fail(f"{where}: {v!r} is not one of {[m.value for m in cls]}")

    def role(self, v: Any, where: str) -> Role:
        if isinstance(v, str):
            return Role(title=v)
        v = self.mapping(v, where)
        self.fields(v, where, {"title", "organisation"})
        return Role(title=self.string(v.get("title"), f"{where}.title"),
                    organisation=self.opt_string(v.get("organisation"), f"{where}.organisation"))

    def number(self, v: Any, where: str) -> int | float | None:
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
            self.fail(f"{where} must be a number")
        return v

    def review(self, v: Any, where: str) -> Review:
        v = self.mapping(v, where)
        self.fields(v, where, {"rating", "best", "worst", "alternate_name", "reviewer", "date", "url"})
        return Review(reviewer=self.string(v.get("reviewer"), f"{where}.reviewer"),
                      rating=self.number(v.get("rating"), f"{where}.rating"),
                      best=self.number(v.get("best"), f"{where}.best"),
                      worst=self.number(v.get("worst"), f"{where}.worst"),
                      alternate_name=self.opt_string(v.get("alternate_name"), f"{where}.alternate_name"),
                      date=self.opt_string(v.get("date"), f"{where}.date"),
                      url=self.opt_string(v.get("url"), f"{where}.url"))

    def span(self, v: Any, where: str) -> Span:
        """A span: {start, end, text}, or {text[, occurrence | after]}, or a bare string."""
        if isinstance(v, str):
            v = {"text": v}
        v = self.mapping(v, where)
        self.fields(v, where, {"start", "end", "text", "occurrence", "after"})
        text = self.string(v.get("text"), f"{where}.text")
        if "start" in v or "end" in v:
            start, end = v.get("start"), v.get("end")
            if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
                self.fail(f"{where}: start and end must both be integers")
            return Span(start, end, text)
        after = v.get("after", 0)
        occurrence = v.get("occurrence", 1)
        if not isinstance(after, int) or not isinstance(occurrence, int) or occurrence < 1:
            self.fail(f"{where}: 'after' must be an offset and 'occurrence' a number from 1")
        pos = after - 1
        for _ in range(occurrence):
            pos = self.text.find(text, pos + 1)
            if pos < 0:
                self.fail(f"{where}: {text[:60]!r} does not occur in the article text"
                          + (f" {occurrence} times after offset {after}" if occurrence > 1 or after else ""))
        return Span(pos, pos + len(text), text)


def to_dict(doc: Document, text_file: str | None = None) -> dict[str, Any]:
    """The document as plain data in the annotation format, every span with its offsets.

    With `text_file`, the article text is referenced (``source.text_file``) instead of inlined.
    """

    def span(s: Span) -> dict[str, Any]:
        return {"start": s.start, "end": s.end, "text": s.text}

    def drop_empty(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, [], "")}

    src = doc.source
    out: dict[str, Any] = {
        "claimgraph": FORMAT_VERSION,
        "source": drop_empty({
            "id": src.id, "title": src.title, "publisher": src.publisher, "author": src.author,
            "url": src.url, "date": src.date, "method": src.method,
            "text_file": text_file, "text": None if text_file else src.text,
        }),
        "actors": [
            drop_empty({
                "id": a.id, "name": a.name, "type": a.type.value, "aliases": a.aliases,
                "roles": [drop_empty({"title": r.title, "organisation": r.organisation}) for r in a.roles],
                "affiliations": a.affiliations, "mentions": [span(m) for m in a.mentions],
                "same_as": a.same_as,
            })
            for a in doc.actors
        ],
        "relations": [
            drop_empty({"id": r.id, "type": r.type.value, "actor": r.actor, "counterpart": r.counterpart,
                        "evidence": [span(e) for e in r.evidence]})
            for r in doc.relations
        ],
        "claims": [
            drop_empty({"id": c.id, "text": c.text, "relation": c.relation, "concerns": c.concerns,
                        "review": _review(c.review) if c.review else None})
            for c in doc.claims
        ],
        "statements": [
            drop_empty({
                "id": s.id, "speakers": s.speakers,
                "speaker_mention": span(s.speaker_mention) if s.speaker_mention else None,
                "cue": span(s.cue) if s.cue else None, "cue_lemma": s.cue_lemma,
                "recipient": s.recipient, "kind": s.kind.value, "stance": s.stance.value,
                "quote": span(s.quote), "claims": s.claims, "date": s.date,
            })
            for s in doc.statements
        ],
    }
    return out


def _review(r: Review) -> dict[str, Any]:
    return {k: v for k, v in (("rating", r.rating), ("best", r.best), ("worst", r.worst),
                              ("alternate_name", r.alternate_name), ("reviewer", r.reviewer),
                              ("date", r.date), ("url", r.url)) if v is not None}


def dumps(doc: Document, fmt: str = "yaml", text_file: str | None = None) -> str:
    data = to_dict(doc, text_file=text_file)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    """PyYAML writes NEL and the Unicode line/paragraph separators raw in plain and single-quoted
    scalars, and reads them back folded (U+0085 became a space): double quotes escape them."""


def _str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    style = '"' if any(c in s for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


_Dumper.add_representer(str, _str)


load_annotation = load
dump_annotation = dumps
