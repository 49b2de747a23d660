"""Put the pieces together: statements with resolved speakers, claims keyed on relations."""

from __future__ import annotations

import re
from typing import Any

from ..model import (
    ActorType,
    Claim,
    Document,
    Relation,
    RelationType,
    Source,
    Span,
    Statement,
    StatementKind,
    relation_id,
    slugify,
)
from . import claims as cl
from . import quotes, relations
from .actors import ActorBook

Token = Any
MENTION_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "poss", "appos", "attr", "compound")


def assemble(doc: Any, text: str, source: Source, publisher: str | None = None,
             author: str | None = None) -> Document:
    book = ActorBook(doc, text)
    if publisher:
        pub = book.add(publisher, ActorType.MEDIA)
        book.mark_media(pub)
        source.publisher = pub
    if author:
        source.author = book.add(author, ActorType.PERSON)
    atts = quotes.find(doc, text)
    statements: list[Statement] = []
    claims: dict[str, Claim] = {}
    keyed: dict[tuple[Any, ...], str] = {}
    rels: dict[str, Relation] = {}
    for a in atts:
        if a.speaker_head is None:
            continue
        speakers = book.resolve(doc[a.speaker_head])
        if not speakers:
            continue
        recipient = None
        if a.recipient is not None:
            r = book.resolve(doc[a.recipient])
            recipient = r[0] if r else None
        content = " ".join(text[s:e] for s, e in a.fragments)
        claim = _claim(doc, book, a, content, speakers, claims, keyed, rels)
        statements.append(Statement(
            quote=Span.of(text, a.start, a.end),
            speakers=speakers,
            cue=Span.of(text, *a.cue) if a.cue else None,
            cue_lemma=a.cue_lemma,
            speaker_mention=Span.of(text, *a.speaker) if a.speaker else None,
            recipient=recipient,
            kind=StatementKind(a.kind),
            stance=cl.stance(a.cue_lemma, a.negated),
            claims=[claim],
        ))
    skip = [f for a in atts for f in a.fragments]
    for r in relations.find(doc, text, book, skip):
        have = rels.get(r.id)
        if have is None:
            rels[r.id] = r
        else:
            have.evidence += [e for e in r.evidence if e not in have.evidence]
    if publisher and source.publisher:
        book.mark_media(source.publisher)
    return Document(source=source, actors=book.list(), statements=statements,
                    claims=list(claims.values()), relations=list(rels.values()))


def _content_actors(doc: Any, book: ActorBook, a: quotes.Attribution) -> list[str]:
    out: list[str] = []
    for s, e in a.fragments:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.dep_ not in MENTION_DEPS or tok.pos_ not in ("NOUN", "PROPN", "PRON"):
                continue
            if tok.dep_ == "compound" and tok.head.i in range(span.start, span.end) and \
                    tok.head.pos_ in ("NOUN", "PROPN"):
                # "Taliban fighters": the phrase head resolves it
                pass
            for aid in book.resolve(tok, create=False)[:1]:
                side = book.side(aid)
                if side not in out:
                    out.append(side)
    return out


def _claim(doc: Any, book: ActorBook, a: quotes.Attribution, content: str, speakers: list[str],
           claims: dict[str, Claim], keyed: dict[tuple[Any, ...], str], rels: dict[str, Relation]) -> str:
    type_ = cl.relation_type(content)
    pair: list[str] = []
    if type_ is not None:
        if cl.wants_two_sides(content) and len(speakers) >= 2:
            pair = list(dict.fromkeys(book.side(s) for s in speakers))[:2]
        if len(pair) < 2:
            pair = _content_actors(doc, book, a)[:2]
        if len(pair) < 2 and cl.wants_two_sides(content):
            pair = [book.side(x) for x in book.recent_pair(a.start)][:2]
    if type_ is not None and len(pair) == 2 and pair[0] != pair[1]:
        fam = cl.family(type_)
        key: tuple[Any, ...] = (fam, frozenset(pair)) if RelationType(fam).symmetric else (fam, *pair)
        if key in keyed:
            return keyed[key]
        rid = relation_id(type_, pair[0], pair[1])
        rel = rels.setdefault(rid, Relation(type=type_, actor=pair[0], counterpart=pair[1]))
        keyed[key] = rel.id
        claims[rel.id] = Claim(id=rel.id, text=_clean(content), relation=rel.id, concerns=pair)
        return rel.id
    cid = slugify(content)
    base, n = cid, 2
    while cid in claims:
        cid, n = f"{base}-{n}", n + 1
    concerns = _content_actors(doc, book, a)
    claims[cid] = Claim(id=cid, text=_clean(content), concerns=concerns)
    return cid


def _clean(content: str) -> str:
    return re.sub(r"\s+", " ", content).strip(" \"“”'‘’")[:400]
