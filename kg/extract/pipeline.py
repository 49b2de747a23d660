"""Raw article text in, `Document` out: parse once, find statements, resolve actors, key claims.

    >>> from claimgraph.extract import extract_text
    >>> doc = extract_text('"We will win," the minister told Reuters.', title="A test")  # doctest: +SKIP

Steps (all on one spaCy parse, each linear in the tokens): `quotes.find` (statements as
offsets), `actors.ActorTable` (mentions, canonical actors, roles), speakers and recipients
resolved through the table, `stance.stance` from the cue, `relations.RelationFinder` (relations
in narration become `Relation`s with evidence; inside a statement they become its claims), and
`claims.ClaimBook` (one claim per proposition).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AnnotationError
from ..model import (
    Actor,
    ActorType,
    Document,
    Relation,
    RelationType,
    Source,
    Span,
    Stance,
    Statement,
    StatementKind,
    slugify,
    statement_id,
)
from . import quotes
from .actors import ActorTable, normalise
from .claims import ClaimBook, is_pointer, verdict
from .header import split_header
from .letters import OPINION, letters
from .nlp import nlp
from .relations import SPEAKER, WE, Found, RelationFinder
from .stance import attribution_stance

VERSION = "0.1"
METHOD = f"automatic claimgraph-extract {VERSION}"
# relations nobody admits to: a third party asserting one alleges it
COVERT = frozenset({RelationType.TACIT_COOPERATION})
# relations that frame a statement rather than being what it says
FRAMES = frozenset({RelationType.PRESSURE})
_QUOTE_EDGE = "\"'“”‘’«» ,;:"


@dataclass(slots=True)
class Meta:
    """Article metadata; None fields are unknown."""

    source_id: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None


def extract_text(text: str, *, source_id: str | None = None, title: str | None = None,
                 publisher: str | None = None, url: str | None = None, date: str | None = None,
                 author: str | None = None, name: str | None = None) -> Document:
    """Extract the statements, actors, claims and relations of one article.

    `text` may start with a front-matter header (``title: ...`` lines ended by ``---``); offsets
    then refer to the text after it. Keyword options override the header. `name` (a file name)
    is the fallback for the source id when there is no title.
    """
    header, body = split_header(text)
    meta = Meta(
        source_id=source_id or header.get("id"), title=title or header.get("title"),
        publisher=publisher or header.get("publisher"), url=url or header.get("url"),
        date=date or header.get("date"), author=author or header.get("author"),
    )
    parser = nlp()
    if len(body) > parser.max_length:  # spaCy's E088 otherwise: refused here, for every caller
        raise AnnotationError(
            f"{name or 'article'}: the article is {len(body):,} characters and extraction takes at most "
            f"{int(parser.max_length):,}; split it into several articles (at paragraph breaks) and extract "
            "or ingest each")
    return build(body, parser(body), meta, name=name)


def extract_file(path: str | Path, **options: Any) -> Document:
    """`extract_text` on a UTF-8 .txt file; the source id defaults to the title's or file's slug."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise AnnotationError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    return extract_text(raw, name=p.stem, **options)


def extract_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Document]:
    """Documents for many header-less texts, parsed with `nlp.pipe` (source ids text-1, text-2...)."""
    items = list(texts)
    for n, (text, parsed) in enumerate(zip(items, nlp().pipe(items, batch_size=batch_size), strict=True)):
        yield build(text, parsed, Meta(source_id=f"text-{n + 1}"))


# -- building ---------------------------------------------------------------------------------
class _Builder:
    def __init__(self, text: str, parsed: Any, meta: Meta, name: str | None) -> None:
        self.text = text
        self.parsed = parsed
        self.meta = meta
        self.regions = quotes.quote_regions(text)
        self._rstarts = [a for a, _ in self.regions]
        self.source_id = slugify(meta.source_id or meta.title or name or text[:60] or "article")
        # the source id scopes the article's unnamed sources (unnamed.<source id>.officials)
        self.table = ActorTable(parsed, text, self.in_quote, scope=self.source_id)
        self.atts = quotes.find(parsed, text)

    def in_quote(self, char: int) -> bool:
        i = bisect_right(self._rstarts, char) - 1
        return i >= 0 and self.regions[i][0] <= char < self.regions[i][1]

    def _named(self, value: str | None, typ: ActorType) -> str | None:
        """The actor id for a publisher/author given by name (or already by id)."""
        if not value:
            return None
        t = self.table
        if value in t.actors:
            aid = value
        else:
            name, known_type = t._aliases.get(value, (normalise(value) or value, typ))
            aid = t._ensure(name, known_type if typ is ActorType.MEDIA else typ)
        t.used.add(aid)
        return aid

    def build(self) -> Document:
        t = self.table
        text = self.text
        publisher = self._named(self.meta.publisher, ActorType.MEDIA)
        author = self._named(self.meta.author, ActorType.PERSON)
        if author and publisher and publisher not in t.actors[author].affiliations:
            t.actors[author].affiliations.append(publisher)
        statements: list[tuple[Statement, quotes.Attribution]] = []
        seen: set[str] = set()
        for att in self.atts:
            st = self._statement(att, seen)
            if st is not None:
                statements.append((st, att))
        statements += self._letters(statements)
        statements = sorted(statements + self._verdicts(statements, publisher), key=lambda x: x[0].quote.start)
        relations: dict[str, Relation] = {}
        book = ClaimBook({aid: a.name for aid, a in t.actors.items()},
                         reporters=frozenset(aid for aid, a in t.actors.items() if a.type is ActorType.MEDIA))
        contents = [" ".join(text[a:b] for a, b in att.fragments) for _, att in statements]
        found = RelationFinder(self.parsed, t).find()
        by_statement: dict[int, list[Found]] = {}
        # "Ghani's offer for peace talks": a relation whose trigger is a nominal cue is also what the
        # statement proposes
        by_cue = {att.cue_token: k for k, (_, att) in enumerate(statements) if att.cue_token is not None}
        nominal = {i: k for i, k in by_cue.items() if self.parsed[i].pos_ == "NOUN"}
        pressed: dict[int, list[str]] = {}  # "under pressure from X to stop ...": the claim is about the pressed
        for f in found:
            if f.trigger in nominal and not f.negated:
                if f.type in FRAMES:
                    pressed.setdefault(nominal[f.trigger], []).extend(f.counterparts)
                else:
                    by_statement.setdefault(nominal[f.trigger], []).append(f)
            k = self._containing(statements, self.parsed[f.trigger].idx)
            if f.type in FRAMES:
                k = None  # "under pressure from X to stop Y": the claim is Y, the pressure is the article's
            if k is None:
                if f.reciprocal and f.pair and not f.negated:
                    f.actors, f.counterparts, f.reciprocal = [f.pair[0]], [f.pair[1]], False
                if not f.reciprocal and not f.negated and not {SPEAKER, WE} & set(f.actors + f.counterparts):
                    for a in f.actors:
                        for c in f.counterparts:
                            self._relation(relations, f.type, a, c, Span.of(text, *f.span))
            else:
                by_statement.setdefault(k, []).append(f)
        # one embedding batch per article, only for the contents that may become claims by meaning
        # (relations decide the others; the encoder costs more than the parse)
        book.prepare([(contents[k], self._concerns(att)) for k, (st, att) in enumerate(statements)
                      if k not in by_statement and not (att.points_back or is_pointer(st.quote.text))])
        previous: list[str] = []
        for k, (st, att) in enumerate(statements):
            concerns = list(dict.fromkeys(pressed.get(k, []) + self._concerns(att)))
            own = [t.principal(s) for s in st.speakers]
            ours = [_organisation(t, s) for s in own]
            for f in by_statement.get(k, []):
                actors = _fill(f.actors, own, ours) or own
                cps = _fill(f.counterparts, own, ours)
                if f.reciprocal and not cps:
                    pair = actors if len(actors) >= 2 else [t.principal(s) for s in st.speakers]
                    if len(pair) < 2 and f.pair:
                        pair = list(f.pair)  # "they help each other": the two the text just related
                    actors, cps = pair[:1], pair[1:2]
                for a in actors:
                    for c in cps:
                        if a != c:
                            rel = self._relation(relations, f.type, a, c, None)
                            cid = book.for_relation(rel, concerns)
                            if cid not in st.claims:
                                st.claims.append(cid)
                            if (f.type in COVERT and st.stance is Stance.ASSERTS
                                    and not set(own) & {a, c}):
                                st.stance = Stance.ALLEGES  # a third party tells of a hidden deal
            lead = self._leading_denial(statements, by_cue, k)
            if not st.claims and lead:
                st.claims.extend(lead)  # "denied the report, saying its troops had not fired": one denial
            if not st.claims:
                if att.points_back or is_pointer(st.quote.text):
                    # "denied the report": the nearest earlier claim that fits, else the one just before
                    st.claims.extend(book.resolve_pointer(st.quote.text, own, st.stance) or previous)
                else:
                    # a denial, a doubt or a confirmation answers a claim put forward as true; a rejection
                    # refuses a proposal, which is a proposition of its own
                    answers = st.stance in (Stance.DENIES, Stance.QUESTIONS, Stance.CONFIRMS)
                    cid = book.answer(contents[k], own, concerns) if answers else None
                    if cid is None and st.stance is Stance.DENIES and self._about_another(att, own):
                        # "Clinton noted that Trump has not paid taxes": with nothing on the table to deny,
                        # a negated clause about someone else asserts a negative fact ("insists she never
                        # paid" still denies: the speaker answers for herself)
                        st.stance = attribution_stance(att, self.parsed, negation=False)
                    if cid is None and st.stance in (Stance.ASSERTS, Stance.CLAIMS):
                        cid = book.contrary(contents[k], own, concerns)
                        if cid is not None:
                            st.stance = Stance.DENIES  # "Of course, I pay federal taxes": the accused answers
                    cid = cid or book.for_text(contents[k], concerns)
                    if cid:
                        st.claims.append(cid)
            for cid in st.claims:
                book.used(cid, contents[k], own, st.stance)
            if st.claims:
                previous = list(st.claims)
        bodies = {aid: a.affiliations[0] for aid, a in t.actors.items()
                  if a.type is ActorType.GOVERNMENT_AGENCY and a.affiliations}
        moved = book.fold(relations, bodies)
        used_rel = {c.relation for c in book.claims.values() if c.relation}
        for st, _ in statements:
            st.claims = list(dict.fromkeys(moved.get(c, c) for c in st.claims))
            if st.stance is Stance.ASSERTS and any(_covert(book.claims.get(c), relations, st.speakers, t)
                                                   for c in st.claims):
                st.stance = Stance.ALLEGES  # folded onto a hidden deal: a third party tells of it
        rels = [r for r in relations.values() if r.evidence or r.id in used_rel]
        keep = {a for r in rels for a in (r.actor, r.counterpart)}
        keep |= {a for st, _ in statements for a in st.speakers + ([st.recipient] if st.recipient else [])}
        keep |= {a for c in book.claims.values() for a in c.concerns}
        keep |= {a for a in (publisher, author) if a}
        source = Source(id=self.source_id, text=text, title=self.meta.title, publisher=publisher,
                        author=author, url=self.meta.url, date=self.meta.date, method=METHOD)
        actors = t.output(keep)
        return Document(source=source, actors=actors, statements=[s for s, _ in statements],
                        claims=list(book.claims.values()), relations=rels)

    def _letters(self, statements: list[tuple[Statement, quotes.Attribution]]
                 ) -> list[tuple[Statement, quotes.Attribution]]:
        """A letter writer's own sentences that take a side (docs/annotation-guide.md, "Narration"): a view
        in the first person ("I cannot fathom how ..."), a plain denial ("She's done nothing wrong.")."""
        found = letters(self.text)
        if not found:
            return []
        taken = [(a, b) for _, att in statements for a, b in att.fragments]
        doc = self.parsed
        out: list[tuple[Statement, quotes.Attribution]] = []
        for letter in found:
            writer = self._named(self.text[slice(*letter.signature)], ActorType.PERSON)
            if writer is None:
                continue
            for sent in doc.char_span(letter.start, letter.end, alignment_mode="expand").sents:
                s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
                if self.in_quote(s) or any(a < e and s < b for a, b in taken):
                    continue
                root = sent.root
                kids = list(root.children)
                subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
                clause = next((c for c in kids if c.dep_ == "ccomp"), None)
                if root.lemma_.lower() in OPINION and subj is not None and subj.lower_ == "i" and clause is not None:
                    span, cue = (clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)), True
                elif subj is not None and subj.lower_ in ("he", "she", "they") and any(
                        c.dep_ == "neg" or (c.lower_ in ("nothing", "nobody") and c.dep_ == "dobj") for c in kids):
                    span, cue = (s, e), False
                    self.table.resolve(subj, create=False)  # "She's done nothing wrong": who is cleared
                else:
                    continue
                said = self._narration(span, [writer], Stance.ASSERTS if cue else Stance.DENIES,
                                       cue=root if cue else None, speaker=letter.signature)
                if said is not None:
                    out.append(said)
        return out

    def _narration(self, span: tuple[int, int], speakers: list[str], stance: Stance, *, cue: Any = None,
                   speaker: tuple[int, int] | None = None, points_back: bool = False
                   ) -> tuple[Statement, quotes.Attribution] | None:
        """A statement in the article's own voice (a verdict, a letter writer's sentence) over `span`."""
        quote = self._span(*span)
        if quote is None:
            return None
        cue_span = (cue.idx, cue.idx + len(cue)) if cue is not None else None
        att = quotes.Attribution(fragments=[(quote.start, quote.end)], speaker=speaker, speaker_head=None,
                                 cue=cue_span, cue_lemma=cue.lemma_.lower() if cue is not None else None,
                                 kind=StatementKind.NARRATION.value, cue_token=cue.i if cue is not None else None,
                                 points_back=points_back)
        st = Statement(quote=quote, speakers=speakers, cue=Span.of(self.text, *cue_span) if cue_span else None,
                       cue_lemma=att.cue_lemma, speaker_mention=Span.of(self.text, *speaker) if speaker else None,
                       kind=StatementKind.NARRATION, stance=stance, id=statement_id(self.source_id, quote))
        return st, att

    def _about_another(self, att: quotes.Attribution, speakers: list[str]) -> bool:
        """Is the subject of the content's main clause an actor other than the speakers?"""
        doc = self.parsed
        toks = [doc[i] for s, e in att.fragments for i in quotes.token_range(doc, s, e)]
        inside = {t.i for t in toks}
        main = next((t for t in toks if t.head.i not in inside or t.head is t), None)
        subj = next((c for c in main.children if c.dep_ in ("nsubj", "nsubjpass")), None) if main is not None else None
        if subj is None or subj.pos_ == "PRON":
            return False
        aid = self.table.tok.get(subj.i)
        return aid is not None and self.table.principal(aid) not in speakers and aid not in speakers

    def _leading_denial(self, statements: list[tuple[Statement, quotes.Attribution]], by_cue: dict[int, int],
                        k: int) -> list[str]:
        """The claims of the denial this one elaborates: its cue hangs on a denial's cue ("denied the
        report, saying ...", "rejected the claims and said ...") and the same speakers oppose again."""
        st, att = statements[k]
        if att.cue_token is None or st.stance.polarity >= 0:
            return []
        head = self.parsed[att.cue_token].head
        j = by_cue.get(head.i)
        if j is None or j >= k:
            return []
        lead, _ = statements[j]
        if lead.stance.polarity >= 0 or set(lead.speakers) != set(st.speakers):
            return []
        return list(lead.claims)

    def _verdicts(self, statements: list[tuple[Statement, quotes.Attribution]],
                  publisher: str | None) -> list[tuple[Statement, quotes.Attribution]]:
        """The narrator's own verdicts on what was just said ("That comment is a lie."): statements of
        the publisher (of nobody named when the publisher is unknown) that point back."""
        taken = [(a, b) for _, att in statements for a, b in att.fragments]
        out: list[tuple[Statement, quotes.Attribution]] = []
        for sent in self.parsed.sents:
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            if self.in_quote(s) or self.table.is_furniture(s) or any(a < e and s < b for a, b in taken):
                continue
            judged = verdict(sent.text)
            said = self._narration((s, e), [publisher] if publisher else [], judged, points_back=True) \
                if judged is not None else None
            if said is not None:
                out.append(said)
        return out

    def _relation(self, relations: dict[str, Relation], typ: RelationType, a: str, c: str,
                  evidence: Span | None) -> Relation:
        r = Relation(type=typ, actor=a, counterpart=c)
        r = relations.setdefault(r.id, r)
        if evidence is not None and evidence not in r.evidence:
            r.evidence.append(evidence)
        self.table.used.update((a, c))
        return r

    def _containing(self, statements: list[tuple[Statement, quotes.Attribution]], char: int) -> int | None:
        for k, (_, att) in enumerate(statements):
            if any(s <= char < e for s, e in att.fragments):
                return k
        return None

    def _concerns(self, att: quotes.Attribution) -> list[str]:
        out: list[str] = []
        doc = self.parsed
        t = self.table
        for s, e in att.fragments:
            for i in quotes.token_range(doc, s, e):
                aid = t.tok.get(i)
                if aid and aid not in out and t.actors[aid].type is not ActorType.COLLECTIVE:
                    out.append(aid)
        return out

    def _statement(self, att: quotes.Attribution, seen: set[str]) -> Statement | None:
        t = self.table
        doc = self.parsed
        speakers: list[str] = []
        for h in att.speakers_conj:
            for aid in self._nested_speaker(att, doc[h]) or t.resolve_many(doc[h]):
                if aid not in speakers:
                    speakers.append(aid)
        if not speakers:
            # nothing is lost: a speaker that names no actor is an unnamed source of this article
            speakers.append(t.fallback(doc[att.speakers_conj[0]] if att.speakers_conj else None, att.cue_token))
        recipient = t.resolve(doc[att.recipient]) if att.recipient is not None else None
        quote = self._span(att.start, att.end)
        if quote is None:
            return None
        sid = statement_id(self.source_id, quote)
        n = 2
        while sid in seen:
            sid = f"{statement_id(self.source_id, quote)}.{n}"
            n += 1
        seen.add(sid)
        return Statement(
            quote=quote, speakers=speakers,
            cue=Span.of(self.text, *att.cue) if att.cue else None, cue_lemma=att.cue_lemma,
            speaker_mention=Span.of(self.text, *att.speaker) if att.speaker else None,
            recipient=recipient if recipient not in speakers else None,
            kind=StatementKind(att.kind), stance=attribution_stance(att, self.parsed), id=sid,
        )

    def _nested_speaker(self, att: quotes.Attribution, head: Any) -> list[str]:
        """'I'/'we' speaking inside someone's quotation are that quotation's speakers."""
        if head.lower_ not in ("i", "we", "me", "us") or att.cue is None:
            return []
        for other in self.atts:
            if other is not att and any(s <= att.cue[0] < e for s, e in other.fragments):
                return [a for h in other.speakers_conj if (a := self.table.resolve(self.parsed[h]))]
        return []

    def _span(self, start: int, end: int) -> Span | None:
        text = self.text
        while start < end and text[start] in _QUOTE_EDGE:
            start += 1
        while end > start and text[end - 1] in _QUOTE_EDGE:
            end -= 1
        return Span.of(text, start, end) if end > start else None


def _covert(claim: Any, relations: dict[str, Relation], speakers: list[str], t: ActorTable) -> bool:
    """Is `claim` a covert relation (tacit cooperation) between parties other than the speakers?"""
    r = relations.get(claim.relation or "") if claim is not None else None
    if r is None or r.type not in COVERT:
        return False
    parties = {r.actor, r.counterpart}
    return not any(s in parties or t.principal(s) in parties or _organisation(t, s) in parties for s in speakers)


def _organisation(t: ActorTable, aid: str) -> str:
    """Who 'we' is when this actor speaks: a person's organisation (the police chief's 'we' is the police)."""
    a = t.actors[aid]
    if a.type is not ActorType.PERSON:
        return aid
    orgs = [r.organisation for r in a.roles if r.organisation] + a.affiliations
    return orgs[0] if orgs else aid


def _fill(ids: list[str], speakers: list[str], ours: list[str] | None = None) -> list[str]:
    """Replace the first-person placeholders by the statement's speakers ('we': their organisations)."""
    out: list[str] = []
    for a in ids:
        for x in speakers if a == SPEAKER else (ours or speakers) if a == WE else [a]:
            if x not in out:
                out.append(x)
    return out


def build(text: str, parsed: Any, meta: Meta, name: str | None = None) -> Document:
    """The Document of a parsed text (no header: offsets refer to `text` as given)."""
    return _Builder(text, parsed, meta, name).build()


def attributions_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[tuple[str, list[quotes.Attribution]]]:
    """(text, statements as offsets) for many texts, parsed with `nlp.pipe` (no actor layer)."""
    items = list(texts)
    for text, doc in zip(items, nlp().pipe(items, batch_size=batch_size), strict=True):
        yield text, quotes.find(doc, text)


def prediction(doc_id: str, text: str, atts: list[quotes.Attribution]) -> dict[str, Any]:
    """One line of the quote scorer's prediction format."""
    out = []
    for a in atts:
        out.append({
            "quote_start": a.start, "quote_end": a.end,
            "quote_text": " ... ".join(text[s:e] for s, e in a.fragments),
            "quote_spans": [list(f) for f in a.fragments],
            "speaker_text": text[a.speaker[0]:a.speaker[1]] if a.speaker else None,
            "speaker_start": a.speaker[0] if a.speaker else None,
            "speaker_end": a.speaker[1] if a.speaker else None,
            "cue_text": text[a.cue[0]:a.cue[1]] if a.cue else None,
            "kind": a.kind,
        })
    return {"doc_id": doc_id, "quotes": out}


def document_prediction(doc_id: str, doc: Document) -> dict[str, Any]:
    """The scorer's prediction line from a Document's statements."""
    out = []
    for s in doc.statements:
        out.append({
            "quote_start": s.quote.start, "quote_end": s.quote.end, "quote_text": s.quote.text,
            "speaker_text": s.speaker_mention.text if s.speaker_mention else None,
            "speaker_start": s.speaker_mention.start if s.speaker_mention else None,
            "speaker_end": s.speaker_mention.end if s.speaker_mention else None,
            "cue_text": s.cue.text if s.cue else None, "kind": s.kind.value,
        })
    return {"doc_id": doc_id, "quotes": out}


__all__ = ["METHOD", "VERSION", "Actor", "build", "extract_file", "extract_many", "extract_text",
           "prediction", "document_prediction", "split_header"]
