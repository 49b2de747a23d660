"""The plain, typed model of an annotated article: what extraction produces and the mapper writes.

Nothing here knows RDF. Every piece of text that comes from the article carries a `Span`
with exact offsets (Python code points, 0-based, end excluded), so ``text[start:end] == span.text``
holds for a valid document; `Document.check()` verifies it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class ActorType(StrEnum):
    PERSON = "person"
    ARMED_GROUP = "armed_group"
    GOVERNMENT = "government"
    GOVERNMENT_AGENCY = "government_agency"
    STATE = "state"
    MEDIA = "media"
    ORGANISATION = "organisation"
    COLLECTIVE = "collective"
    # a source the article describes but does not name ("officials said", "the report"); its id is
    # scoped to the article (unnamed.<source id>.<description>), so it never merges across articles
    UNNAMED_SOURCE = "unnamed_source"


class StatementKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"
    NARRATION = "narration"


class Stance(StrEnum):
    ASSERTS = "asserts"
    CLAIMS = "claims"
    ALLEGES = "alleges"
    CONFIRMS = "confirms"
    WELCOMES = "welcomes"
    WARNS = "warns"
    PLEDGES = "pledges"
    PROPOSES = "proposes"
    DENIES = "denies"
    REJECTS = "rejects"
    QUESTIONS = "questions"

    @property
    def polarity(self) -> int:
        """+1 supports the claim, -1 opposes it, 0 neither."""
        if self in (Stance.DENIES, Stance.REJECTS):
            return -1
        if self is Stance.QUESTIONS:
            return 0
        return 1


class RelationType(StrEnum):
    RIVALRY = "rivalry"
    OPPOSITION = "opposition"
    ATTACK = "attack"
    ACCUSATION = "accusation"
    ALLIANCE = "alliance"
    COOPERATION = "cooperation"
    TACIT_COOPERATION = "tacit_cooperation"
    SUPPORT = "support"
    SURRENDER = "surrender"
    NEGOTIATION = "negotiation"
    FIGHTING = "fighting"
    CAPTURED_TERRITORY = "captured_territory"
    SAFE_HAVEN = "safe_haven"
    PRESSURE = "pressure"
    PEACE_OFFER = "peace_offer"
    PEACE_REJECTION = "peace_rejection"

    @property
    def symmetric(self) -> bool:
        return self in _SYMMETRIC


_SYMMETRIC = {
    RelationType.RIVALRY,
    RelationType.ALLIANCE,
    RelationType.COOPERATION,
    RelationType.TACIT_COOPERATION,
    RelationType.NEGOTIATION,
    RelationType.FIGHTING,
}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass(slots=True)
class Role:
    """A title or function as the text states it, optionally held in an organisation (actor id)."""

    title: str
    organisation: str | None = None


@dataclass(slots=True)
class Actor:
    """A person, group, government, state... `id` is a slug, stable across articles."""

    id: str
    name: str
    type: ActorType = ActorType.ORGANISATION
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Relation:
    """An n-ary relation between two actors; `evidence` holds narration spans that state it."""

    type: RelationType
    actor: str
    counterpart: str
    evidence: list[Span] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = relation_id(self.type, self.actor, self.counterpart)


@dataclass(slots=True)
class Review:
    """A curator's verdict on a claim (published as a schema.org ClaimReview): a rating between
    `worst` and `best` and/or the verdict in words (`alternate_name`: 'False', 'Unproven'), by
    `reviewer` (an actor id)."""

    reviewer: str
    rating: int | float | None = None
    best: int | float | None = None
    worst: int | float | None = None
    alternate_name: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Claim:
    """A proposition; `relation` is the id of the actor relation it proposes, if any."""

    id: str
    text: str
    relation: str | None = None
    concerns: list[str] = field(default_factory=list)
    review: Review | None = None


@dataclass(slots=True)
class Statement:
    """A speech act: speakers (actor ids) say `quote` through `cue`, with a stance on `claims`."""

    quote: Span
    speakers: list[str] = field(default_factory=list)
    cue: Span | None = None
    cue_lemma: str | None = None
    speaker_mention: Span | None = None
    recipient: str | None = None
    kind: StatementKind = StatementKind.DIRECT
    stance: Stance = Stance.ASSERTS
    claims: list[str] = field(default_factory=list)
    id: str = ""
    date: str | None = None
    """The day the text gives for this speech act (YYYY-MM-DD), when it is not the article's date
    ('On Monday, 30 April, the ministry said...'); None: the statement dates from its article."""


@dataclass(slots=True)
class Source:
    """The article: `id` is a short slug; `text` is the exact text all offsets refer to."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    date: str | None = None
    method: str = "manual"
    #: SHA-256 of the input corpus ingest read (text + mapped metadata): lets a re-run skip it unparsed
    digest: str | None = None


@dataclass(slots=True)
class Document:
    """One article and everything annotated in it."""

    source: Source
    actors: list[Actor] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def spans(self) -> list[tuple[str, Span]]:
        """Every span in the document with a label saying where it sits."""
        out: list[tuple[str, Span]] = []
        for a in self.actors:
            out += [(f"actor {a.id} mention", m) for m in a.mentions]
        for i, s in enumerate(self.statements):
            where = f"statement {s.id or i}"
            out.append((f"{where} quote", s.quote))
            if s.cue:
                out.append((f"{where} cue", s.cue))
            if s.speaker_mention:
                out.append((f"{where} speaker mention", s.speaker_mention))
        for r in self.relations:
            out += [(f"relation {r.id} evidence", e) for e in r.evidence]
        return out

    def check(self) -> list[str]:
        """Problems that make the document unfit to ingest (empty list when it is fine)."""
        problems: list[str] = []
        text = self.source.text
        if not SLUG_RE.match(self.source.id):
            problems.append(f"source id {self.source.id!r} is not a slug (lowercase letters, digits, . _ -)")
        for where, span in self.spans():
            if not (0 <= span.start < span.end <= len(text)):
                problems.append(
                    f"{where}: offsets {span.start}-{span.end} are outside the text (0-{len(text)})"
                )
            elif text[span.start : span.end] != span.text:
                problems.append(
                    f"{where}: text[{span.start}:{span.end}] is {text[span.start:span.end]!r}, "
                    f"not {span.text!r}"
                )
        if self.source.url is not None and not URL_RE.match(self.source.url):
            problems.append(f"source url {self.source.url!r} is not an absolute http(s) URL")
        if self.source.date is not None and not DATE_RE.match(self.source.date):
            problems.append(f"source date {self.source.date!r} is not YYYY-MM-DD or an ISO date-time")
        ids = [a.id for a in self.actors]
        known = set(ids)
        for dup in sorted(i for i, n in Counter(ids).items() if n > 1):  # not ids.count: 100k actors
            problems.append(f"actor id {dup!r} is used twice")
        for a in self.actors:
            if not SLUG_RE.match(a.id):
                problems.append(f"actor id {a.id!r} is not a slug")
            for ext in a.same_as:  # written as an IRI: one that is not would break the store's parser
                if not IRI_RE.match(ext):
                    problems.append(f"actor {a.id}: same_as {ext!r} is not an absolute IRI")
            for ref in a.affiliations + [r.organisation for r in a.roles if r.organisation]:
                if ref not in known:
                    problems.append(f"actor {a.id}: affiliation/role organisation {ref!r} is not an actor")
        for ref in (self.source.publisher, self.source.author):
            if ref and ref not in known:
                problems.append(f"source: publisher/author {ref!r} is not an actor")
        rel_ids = {r.id for r in self.relations}
        for r in self.relations:
            for ref in (r.actor, r.counterpart):
                if ref not in known:
                    problems.append(f"relation {r.id}: {ref!r} is not an actor")
        claim_ids = {c.id for c in self.claims}
        for c in self.claims:
            if not SLUG_RE.match(c.id):
                problems.append(f"claim id {c.id!r} is not a slug")
            if c.relation and c.relation not in rel_ids:
                problems.append(f"claim {c.id}: relation {c.relation!r} is not in relations")
            for ref in c.concerns:
                if ref not in known:
                    problems.append(f"claim {c.id}: concerns {ref!r}, which is not an actor")
            if c.review is not None:
                problems += _review_problems(c.id, c.review, known)
        for i, s in enumerate(self.statements):
            where = f"statement {s.id or i}"
            for ref in s.speakers + ([s.recipient] if s.recipient else []):
                if ref not in known:
                    problems.append(f"{where}: {ref!r} is not an actor")
            for ref in s.claims:
                if ref not in claim_ids:
                    problems.append(f"{where}: claim {ref!r} is not in claims")
            if not s.speakers and s.kind is not StatementKind.NARRATION:
                problems.append(f"{where}: needs a speaker unless its kind is narration")
            if s.date is not None:
                if not _is_day(s.date):
                    problems.append(f"{where}: date {s.date!r} is not a YYYY-MM-DD day")
                elif self.source.date and _is_day(self.source.date[:10]) and s.date > self.source.date[:10]:
                    # a report cannot quote what was said after it was published: a typo, not a date
                    problems.append(f"{where}: date {s.date} is after the article's date {self.source.date[:10]}")
        return problems


SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
URL_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _is_day(v: str) -> bool:
    try:
        return len(v) == 10 and dt.date.fromisoformat(v).isoformat() == v
    except ValueError:
        return False


def _review_problems(claim_id: str, r: Review, known: set[str]) -> list[str]:
    where = f"claim {claim_id}: review"
    out = []
    if r.reviewer not in known:
        out.append(f"{where}: reviewer {r.reviewer!r} is not an actor")
    if r.rating is None and not r.alternate_name:
        out.append(f"{where}: needs a rating, an alternate_name (the verdict in words) or both")
    if r.rating is not None:
        lo, hi = r.worst, r.best
        if lo is not None and hi is not None and lo > hi:
            out.append(f"{where}: worst {lo} is above best {hi}")
        elif (lo is not None and r.rating < lo) or (hi is not None and r.rating > hi):
            out.append(f"{where}: rating {r.rating} is outside worst..best ({lo}..{hi})")
    if r.date is not None and not DATE_RE.match(r.date):
        out.append(f"{where}: date {r.date!r} is not YYYY-MM-DD or an ISO date-time")
    if r.url is not None and not URL_RE.match(r.url):
        out.append(f"{where}: url {r.url!r} is not an absolute http(s) URL")
    return out


def stated_on(statement: Statement, source: Source) -> tuple[str | None, str | None]:
    """The day a statement was made and what says so: ('2018-04-30', 'text') when the text gives
    it, (the article's day, 'article') otherwise, (None, None) when the article has no date —
    claimgraph does not guess one."""
    if statement.date:
        return statement.date, "text"
    if source.date:
        return source.date[:10], "article"
    return None, None


def slugify(text: str, max_len: int = 60) -> str:
    """A readable, deterministic slug: 'Yonus Fakur' -> 'yonus-fakur'."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "x"


def relation_id(type_: RelationType, actor: str, counterpart: str) -> str:
    a, b = actor, counterpart
    if RelationType(type_).symmetric and b < a:
        a, b = b, a
    return f"{RelationType(type_).value.replace('_', '-')}.{a}.{b}"


def statement_id(source_id: str, quote: Span) -> str:
    return f"{source_id}.{quote.start}-{quote.end}"
