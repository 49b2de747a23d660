"""Fuzz the annotation reader (kg/annotation.py) and the model's checks with hypothesis.

Property: whatever comes in (arbitrary JSON-ish data, the sample document with a field dropped or
replaced, arbitrary YAML/JSON text), the reader either returns a Document that checks clean, maps
to RDF that Oxigraph reads, and passes SHACL or is refused by it with a ValidationError; or it
raises a ClaimgraphError with a message. Never any other exception. And valid documents survive
`dumps` then `loads` unchanged, in YAML and in JSON. Bounded: derandomized, no example database.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimgraph.errors import ClaimgraphError, ValidationError
from claimgraph.model import (
    Actor,
    ActorType,
    Claim,
    Document,
    Relation,
    RelationType,
    Role,
    Source,
    Span,
    Stance,
    Statement,
    StatementKind,
    annotation,
)
from claimgraph.rdf import validate
from claimgraph.rdf.mapper import graph_iri, nquads, to_triples

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
# the sample is a real article: every mutation of it maps and parses (SHACL is left to small documents)
SLOW = settings(FUZZ, max_examples=40)

# the field names of the format, so that generated mappings reach past the top-level check
FIELDS = sorted({"claimgraph", "source", "actors", "statements", "claims", "relations", "id", "text",
                 "text_file", "title", "publisher", "author", "url", "date", "method", "name", "type",
                 "aliases", "roles", "affiliations", "mentions", "same_as", "actor", "counterpart",
                 "evidence", "relation", "concerns", "quote", "speakers", "speaker", "cue", "cue_lemma",
                 "speaker_mention", "recipient", "kind", "stance", "start", "end", "occurrence", "after",
                 "organisation"})
NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "\ud800", "a\udfffb", "\u202e", "\ufeff", "\r\n", "\x85", "<>",
                     "taliban", "dw-31lts", "2018-05-01", "http://x y", "javascript:alert(1)", "NaN"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([-1, 0, 2**63, -(2**63), 10**100]),
                    st.floats(allow_nan=True, allow_infinity=True), NASTY_TEXT)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
JSONISH = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(KEYS, kids, max_size=5),
                       max_leaves=25)


def outcome(read: Any) -> Document | None:
    """Run the reader; hold its result or its error to the property. None when it refused."""
    try:
        doc = read()
    except ClaimgraphError as e:
        assert str(e).strip(), f"{type(e).__name__} without a message"
        return None
    assert isinstance(doc, Document)
    assert doc.check() == []
    triples = to_triples(doc)
    # what the store would be given must be RDF that Oxigraph reads, term by term
    text = "".join(nquads(triples, graph_iri(doc.source.id)))
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(triples)
    if len(triples) < 400:  # pyshacl takes ~0.06 s on a small document, most of a second on the sample
        try:
            validate.check(triples, doc.source.id)
        except ValidationError as e:
            assert str(e).strip() and e.violations
    return doc


# ------------------------------------------------------------------ arbitrary input

@FUZZ
@given(JSONISH)
def test_arbitrary_data(data: Any) -> None:
    if isinstance(data, dict):
        outcome(lambda: annotation.from_dict(data))
    outcome(lambda: annotation.loads(json.dumps(data), fmt="json"))


@settings(FUZZ, max_examples=60)
@given(st.dictionaries(st.sampled_from(sorted(annotation._TOP)), JSONISH, min_size=1))
def test_arbitrary_top_level(data: dict[str, Any]) -> None:
    outcome(lambda: annotation.from_dict(data))


# nine levels of nine aliases: 9^9 leaves if anything expanded them, inside a field the reader reads
BILLION_LAUGHS = "source: {id: s, text: t}\nactors:\n- id: a\n  name: A\n  aliases:\n  - &a [x, x, x, x, x, x, x, x, x]\n" + \
    "".join(f"  - &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))


@FUZZ
@given(st.text(max_size=200), st.sampled_from(["yaml", "json"]))
@example(BILLION_LAUGHS, "yaml")
@example("a: !!python/object/apply:os.system ['echo hi']", "yaml")
@example("source: {id: s, text: t}\nclaimgraph: !!float nan", "yaml")
@example("{\"source\": {\"id\": \"s\", \"text\": NaN}}", "json")
@example("[" * 100_000, "json")
@example("- " * 10_000, "yaml")
@example("\ufeffsource: {id: s, text: t}", "yaml")
@example("source: {id: s, text: \"\\ud800\"}", "yaml")
@example("{\"source\": {\"id\": \"s\", \"text\": \"\\ud800\"}}", "json")
@example("{1: 2, a: 3}", "yaml")
@example("source: {id: s, text: t, 7: x}", "yaml")
def test_arbitrary_text(raw: str, fmt: str) -> None:
    outcome(lambda: annotation.loads(raw, fmt=fmt))


# ------------------------------------------------------------------ mutations of real documents

def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _mutate(data: st.DataObject, base: dict[str, Any], rounds: int = 3) -> dict[str, Any]:
    doc = json.loads(json.dumps(base))  # a deep copy
    for _ in range(data.draw(st.integers(1, rounds))):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        key, old = path[-1], parent[path[-1]]
        op = data.draw(st.sampled_from(["drop", "replace", "shift", "unicode"]))
        if op == "drop":
            del parent[key]
        elif op == "shift" and isinstance(old, int) and not isinstance(old, bool):
            parent[key] = old + data.draw(st.sampled_from([-(10**30), -1000, -1, 1, 1000, 10**30]))
        elif op == "unicode" and isinstance(old, str) and old:
            i = data.draw(st.integers(0, len(old)))
            parent[key] = old[:i] + data.draw(NASTY_TEXT) + old[i:]
        else:
            parent[key] = data.draw(JSONISH)
    return doc


@SLOW
@given(st.data())
def test_mutated_sample(sample_doc: Document, data: st.DataObject) -> None:
    outcome(lambda: annotation.from_dict(_mutate(data, annotation.to_dict(sample_doc))))


# ------------------------------------------------------------------ valid documents

SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,7}\Z")
WORDS = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)


@st.composite
def spans(draw: st.DrawFn, text: str) -> Span:
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return Span.of(text, start, end)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Small documents that are valid by construction (offsets from the text, references to ids)."""
    text = draw(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60))
    ids = draw(st.lists(SLUG, min_size=1, max_size=4, unique=True))
    ref = st.sampled_from(ids)
    opt = lambda s: st.none() | s  # noqa: E731
    actors = [Actor(id=i, name=draw(WORDS), type=draw(st.sampled_from(ActorType)),
                    aliases=draw(st.lists(WORDS, max_size=2)),
                    roles=draw(st.lists(st.builds(Role, title=WORDS, organisation=opt(ref)), max_size=2)),
                    affiliations=draw(st.lists(ref, max_size=2)),
                    mentions=draw(st.lists(spans(text), max_size=2)),
                    same_as=draw(st.lists(SLUG.map(lambda s: f"https://www.wikidata.org/wiki/{s}"), max_size=1)))
              for i in ids]
    relations = draw(st.lists(st.builds(Relation, type=st.sampled_from(RelationType), actor=ref, counterpart=ref,
                                        evidence=st.lists(spans(text), max_size=2)), max_size=2))
    claim_ids = draw(st.lists(SLUG, max_size=3, unique=True))
    claims = [Claim(id=c, text=draw(WORDS), relation=draw(opt(st.sampled_from([r.id for r in relations])))
                    if relations else None, concerns=draw(st.lists(ref, max_size=2))) for c in claim_ids]
    statements = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(StatementKind))
        statements.append(Statement(
            quote=draw(spans(text)),
            speakers=draw(st.lists(ref, min_size=0 if kind is StatementKind.NARRATION else 1, max_size=2)),
            cue=draw(opt(spans(text))), cue_lemma=draw(opt(WORDS)), speaker_mention=draw(opt(spans(text))),
            recipient=draw(opt(ref)), kind=kind, stance=draw(st.sampled_from(Stance)),
            claims=draw(st.lists(st.sampled_from(claim_ids), max_size=2)) if claim_ids else [],
            id=draw(st.just("") | SLUG)))
    source = Source(id=draw(SLUG), text=text, title=draw(opt(WORDS)), publisher=draw(opt(ref)),
                    author=draw(opt(ref)), url=draw(opt(st.sampled_from(["https://p.dw.com/p/31Lts",
                                                                         "http://example.org/a?b=c#d"]))),
                    date=draw(opt(st.sampled_from(["2018-05-01", "2018-05-01T10:00:00Z",
                                                   "2018-05-01T10:00+02:00"]))),
                    method=draw(st.sampled_from(["manual", "extract"])))
    doc = Document(source=source, actors=actors, statements=statements, claims=claims, relations=relations)
    assert doc.check() == [], doc.check()  # the strategy itself is right
    return doc


@settings(FUZZ, max_examples=30)
@given(documents(), st.sampled_from(["yaml", "json"]))
def test_round_trip(doc: Document, fmt: str) -> None:
    back = annotation.loads(annotation.dumps(doc, fmt=fmt), fmt=fmt)
    assert back == doc
    assert outcome(lambda: back) == doc


@settings(FUZZ, max_examples=50)
@given(st.data())
def test_mutated_valid_documents(data: st.DataObject) -> None:
    doc = data.draw(documents())
    outcome(lambda: annotation.from_dict(_mutate(data, annotation.to_dict(doc))))


def test_billion_laughs_is_refused_quickly() -> None:
    """PyYAML builds aliases as shared objects (one list per level, never 9^9 leaves): reading stays
    cheap, and the reader refuses the first alias for what it is without expanding anything."""
    t = time.monotonic()
    with pytest.raises(ClaimgraphError, match=r"actors\[0\]\.aliases must be a non-empty string"):
        annotation.loads(BILLION_LAUGHS)
    assert time.monotonic() - t < 2


def test_same_as_must_be_an_iri() -> None:
    """Found by the fuzzer: a same_as that is not an IRI passed the checks and broke the store's
    N-Quads parser (a SyntaxError, a 500 through POST /api/v1/sources)."""
    doc = {"source": {"id": "s", "text": "abc"}, "actors": [{"id": "a", "name": "A", "same_as": ["not an iri"]}]}
    with pytest.raises(ClaimgraphError, match="same_as 'not an iri' is not an absolute IRI"):
        annotation.from_dict(doc)
    doc["actors"][0]["same_as"] = ["https://www.wikidata.org/wiki/Q42", "urn:isbn:0451450523"]
    assert outcome(lambda: annotation.from_dict(doc)) is not None


def test_lone_surrogate_is_refused() -> None:
    """Found by the fuzzer: JSON's \\ud800 escape gave text no store can encode (UnicodeEncodeError)."""
    with pytest.raises(ClaimgraphError, match="source.text: not Unicode text"):
        annotation.loads('{"source": {"id": "s", "text": "a\\ud800"}}', fmt="json")
    with pytest.raises(ClaimgraphError, match=r"actors\[0\]\.name: not Unicode text"):
        annotation.loads('{"source": {"id": "s", "text": "a"}, "actors": [{"id": "a", "name": "\\udfff"}]}',
                         fmt="json")


def test_yaml_keeps_line_separators() -> None:
    """Found by the fuzzer: PyYAML wrote U+0085 raw and read it back as a space, so an article
    with one lost its offsets on the way through a YAML file."""
    text = "Said\x85 he:\u2028 no\u2029."
    doc = annotation.from_dict({"source": {"id": "s", "text": text}, "actors": [
        {"id": "a", "name": "A\x85B", "mentions": [{"start": 3, "end": 8, "text": text[3:8]}]}]})
    assert annotation.loads(annotation.dumps(doc)) == doc


def test_nan_is_not_an_offset() -> None:
    with pytest.raises(ClaimgraphError, match="integers"):
        annotation.from_dict({"source": {"id": "s", "text": "abc"}, "actors": [
            {"id": "a", "name": "A", "mentions": [{"start": math.nan, "end": 1, "text": "a"}]}]})
