"""Actor relations stated in narration: "the rivalry between the Taliban and IS",
"Both the Taliban and IS oppose the government in Kabul"."""

from __future__ import annotations

from typing import Any

from ..model import Relation, RelationType, Span
from .actors import ActorBook
from .claims import NARRATION_TRIGGERS

Token = Any


def _lemma(tok: Token) -> str:
    return tok.lower_ if tok.lower_ in NARRATION_TRIGGERS else tok.lemma_.lower()


def find(doc: Any, text: str, book: ActorBook, skip: list[tuple[int, int]]) -> list[Relation]:
    """Relations with their evidence spans, from sentences outside any statement's content."""
    out: dict[str, Relation] = {}

    def add(type_: RelationType, a: str, b: str, lo: Token, hi: Token) -> None:
        a, b = book.side(a), book.side(b)
        if a == b:
            return
        r = Relation(type=type_, actor=a, counterpart=b)
        r = out.setdefault(r.id, r)
        ev = Span.of(text, lo.idx, hi.idx + len(hi))
        if ev not in r.evidence:
            r.evidence.append(ev)

    for tok in doc:
        lem = _lemma(tok)
        type_ = NARRATION_TRIGGERS.get(lem)
        if type_ is None or tok.pos_ not in ("NOUN", "VERB"):
            continue
        if any(s <= tok.idx < e for s, e in skip):
            continue
        if tok.pos_ == "NOUN":
            between = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"]
            if between:
                objs = [c for c in between[0].children if c.dep_ == "pobj"]
                ids = book.resolve(objs[0], create=False) if objs else []
                if len(ids) >= 2:
                    add(type_, ids[0], ids[1], tok.left_edge, tok.right_edge)
                continue
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head if tok.dep_ == "dobj" else None
            if verb is not None and type_ is RelationType.RIVALRY:
                subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                ids = book.resolve(subj, create=False) if subj is not None else []
                if len(ids) >= 2:
                    add(type_, ids[0], ids[1], subj.left_edge, tok)
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None:
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("against", "on")), None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if subj is None or obj is None:
            continue
        subs = book.resolve(subj, create=False)
        objs = book.resolve(obj, create=False)
        for a in subs:
            for b in objs:
                add(type_, a, b, subj.left_edge, obj.right_edge)
    return list(out.values())
