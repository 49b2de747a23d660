"""The one mapping between the model and RDF.

`to_triples(doc)` gives every triple about an article; they all belong in `graph_iri(source id)`.
IRIs are minted from stable keys (ids and offsets), never from counters or clocks, so mapping
the same document twice gives the same triples. `from_graph` reads a document back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

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
    slugify,
    stated_on,
    statement_id,
)
from ..model.text import Sentences, context
from .vocab import CG, OA, OWL, PROV, RDF, RDFS, SCHEMA, XSD, entity_iri

Triple = tuple[URIRef, URIRef, Node]


class _Terms:
    """A namespace whose terms are looked up once: rdflib builds and validates a new URIRef on
    every attribute access, which was a third of the mapping time of a bulk load."""

    def __init__(self, ns: Any) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term


CG, OA, OWL, PROV, RDF, SCHEMA, XSD = (_Terms(ns) for ns in (CG, OA, OWL, PROV, RDF, SCHEMA, XSD))  # type: ignore[assignment]


def _suffixed(node: URIRef, suffix: str) -> URIRef:
    # a valid minted IRI plus a constant path suffix is valid: skip rdflib's per-character check
    return str.__new__(URIRef, f"{node}{suffix}")

ACTOR_CLASS: dict[ActorType, URIRef] = {
    ActorType.PERSON: CG.Person,
    ActorType.ARMED_GROUP: CG.ArmedGroup,
    ActorType.GOVERNMENT: CG.Government,
    ActorType.GOVERNMENT_AGENCY: CG.GovernmentAgency,
    ActorType.STATE: CG.State,
    ActorType.MEDIA: CG.MediaOrganisation,
    ActorType.ORGANISATION: CG.Organisation,
    ActorType.COLLECTIVE: CG.Collective,
    ActorType.UNNAMED_SOURCE: CG.UnnamedSource,
}
KIND: dict[StatementKind, URIRef] = {
    StatementKind.DIRECT: CG.Direct,
    StatementKind.INDIRECT: CG.Indirect,
    StatementKind.MIXED: CG.Mixed,
    StatementKind.NARRATION: CG.Narration,
}
STANCE: dict[Stance, URIRef] = {
    Stance.ASSERTS: CG.Asserts,
    Stance.CLAIMS: CG.Claims,
    Stance.ALLEGES: CG.Alleges,
    Stance.CONFIRMS: CG.Confirms,
    Stance.WELCOMES: CG.Welcomes,
    Stance.WARNS: CG.Warns,
    Stance.PLEDGES: CG.Pledges,
    Stance.PROPOSES: CG.Proposes,
    Stance.DENIES: CG.Denies,
    Stance.REJECTS: CG.Rejects,
    Stance.QUESTIONS: CG.Questions,
}
RELATION_CLASS: dict[RelationType, URIRef] = {
    RelationType.RIVALRY: CG.Rivalry,
    RelationType.OPPOSITION: CG.Opposition,
    RelationType.ATTACK: CG.Attack,
    RelationType.ACCUSATION: CG.Accusation,
    RelationType.ALLIANCE: CG.Alliance,
    RelationType.COOPERATION: CG.Cooperation,
    RelationType.TACIT_COOPERATION: CG.TacitCooperation,
    RelationType.SUPPORT: CG.Support,
    RelationType.SURRENDER: CG.Surrender,
    RelationType.NEGOTIATION: CG.Negotiation,
    RelationType.FIGHTING: CG.Fighting,
    RelationType.CAPTURED_TERRITORY: CG.CapturedTerritory,
    RelationType.SAFE_HAVEN: CG.SafeHaven,
    RelationType.PRESSURE: CG.Pressure,
    RelationType.PEACE_OFFER: CG.PeaceOffer,
    RelationType.PEACE_REJECTION: CG.PeaceRejection,
}
_ACTOR_TYPE = {v: k for k, v in ACTOR_CLASS.items()}
_KIND = {v: k for k, v in KIND.items()}
_STANCE = {v: k for k, v in STANCE.items()}
_RELATION_TYPE = {v: k for k, v in RELATION_CLASS.items()}


def graph_iri(source_id: str) -> URIRef:
    """The named graph holding every triple about one article."""
    return entity_iri("graph", source_id)


def source_iri(source_id: str) -> URIRef:
    return entity_iri("source", source_id)


@lru_cache(maxsize=65536)
def actor_iri(actor_id: str) -> URIRef:
    return entity_iri("actor", actor_id)


@lru_cache(maxsize=65536)
def claim_iri(claim_id: str) -> URIRef:
    return entity_iri("claim", claim_id)


@lru_cache(maxsize=65536)
def relation_iri(relation_id: str) -> URIRef:
    return entity_iri("relation", relation_id)


def statement_iri(statement_id_: str) -> URIRef:
    return entity_iri("statement", statement_id_)


def span_iri(source_id: str, span: Span, kind: str = "span") -> URIRef:
    return entity_iri(kind, f"{source_id}.{span.start}-{span.end}")


def review_iri(source_id: str, claim_id: str) -> URIRef:
    """A curator's review of a claim in one annotated article (the same claim may be reviewed in several)."""
    return entity_iri("review", f"{source_id}.{claim_id}")


def role_iri(actor_id: str, role: Role) -> URIRef:
    return entity_iri("role", f"{actor_id}.{slugify(role.title)}")


def statement_ids(doc: Document) -> list[str]:
    """The id of each statement, in order: its own, else source + quote offsets (made unique)."""
    seen: dict[str, int] = {}
    out = []
    for s in doc.statements:
        base = s.id or statement_id(doc.source.id, s.quote)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}.{n}")
    return out


@lru_cache(maxsize=65536)
def _int(v: int) -> Literal:
    return Literal(v, datatype=XSD.integer)


_XSD_STRING = XSD.string


def _number(v: int | float) -> Literal:
    # xsd:decimal, not xsd:double: 2.5 reads back as 2.5 from Oxigraph (a double would come back 2.5E0)
    if isinstance(v, int):
        return Literal(v, datatype=XSD.integer)
    return Literal(Decimal(repr(v)), datatype=XSD.decimal)


def _str(v: str) -> Literal:
    # Literal(v, datatype=XSD.string) spends ~30 us casting and checking a value that is already a
    # str; a third of all triples carry one (quotes, prefixes, names), so fill its slots directly.
    # tests/test_foundation.py checks the result equals the slow constructor's.
    lit = str.__new__(Literal, v)
    lit._language, lit._datatype, lit._value, lit._ill_typed = None, _XSD_STRING, v, False
    return lit


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.sid = doc.source.id
        self.src = source_iri(self.sid)
        self.sentences = Sentences(doc.source.text)
        self.out: list[Triple] = []
        self._spans: set[URIRef] = set()

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.out.append((s, p, o))

    def span(self, span: Span, kind: str = "span", sentence: bool = False) -> URIRef:
        node = span_iri(self.sid, span, kind)
        if node in self._spans:
            return node
        self._spans.add(node)
        text = self.doc.source.text
        pos, quote = _suffixed(node, "/position"), _suffixed(node, "/quote")
        prefix, suffix = context(text, span.start, span.end)
        self.add(node, RDF.type, CG.Mention if kind == "mention" else OA.SpecificResource)
        self.add(node, OA.hasSource, self.src)
        self.add(node, OA.hasSelector, pos)
        self.add(node, OA.hasSelector, quote)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, _int(span.start))
        self.add(pos, OA.end, _int(span.end))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, _str(span.text))
        if prefix:
            self.add(quote, OA.prefix, _str(prefix))
        if suffix:
            self.add(quote, OA.suffix, _str(suffix))
        if sentence:
            a, b = self.sentences.around(span.start, span.end)
            if (a, b) != (span.start, span.end):
                self.add(node, CG.sentence, self.span(Span.of(text, a, b)))
        return node

    def source(self, s: Source) -> None:
        self.add(self.src, RDF.type, SCHEMA.NewsArticle)
        self.add(self.src, CG.sourceId, _str(s.id))
        self.add(self.src, SCHEMA.text, _str(s.text))
        self.add(self.src, CG.method, _str(s.method))
        if s.digest:
            self.add(self.src, CG.inputDigest, _str(s.digest))
        if s.title:
            self.add(self.src, SCHEMA.headline, _str(s.title))
        if s.url:
            self.add(self.src, SCHEMA.url, URIRef(s.url))
        if s.date:
            dtype = XSD.dateTime if "T" in s.date else XSD.date
            self.add(self.src, SCHEMA.datePublished, Literal(s.date, datatype=dtype))
        if s.publisher:
            self.add(self.src, SCHEMA.publisher, actor_iri(s.publisher))
        if s.author:
            self.add(self.src, SCHEMA.author, actor_iri(s.author))

    def actor(self, a: Actor) -> None:
        node = actor_iri(a.id)
        self.add(node, RDF.type, ACTOR_CLASS[a.type])
        self.add(node, SCHEMA.name, _str(a.name))
        for alias in a.aliases:
            self.add(node, SCHEMA.alternateName, _str(alias))
        for r in a.roles:
            rn = role_iri(a.id, r)
            self.add(node, CG.hasRole, rn)
            self.add(rn, RDF.type, CG.Role)
            self.add(rn, SCHEMA.roleName, _str(r.title))
            if r.organisation:
                self.add(rn, CG.roleIn, actor_iri(r.organisation))
        for org in a.affiliations:
            self.add(node, CG.affiliatedWith, actor_iri(org))
        for ext in a.same_as:
            self.add(node, OWL.sameAs, URIRef(ext))
        for m in a.mentions:
            self.add(self.span(m, "mention"), CG.denotes, node)

    def relation(self, r: Relation) -> None:
        node = relation_iri(r.id)
        self.add(node, RDF.type, RELATION_CLASS[r.type])
        self.add(node, CG.actor, actor_iri(r.actor))
        self.add(node, CG.counterpart, actor_iri(r.counterpart))
        for e in r.evidence:
            self.add(node, CG.evidence, self.span(e, sentence=True))

    def claim(self, c: Claim) -> None:
        node = claim_iri(c.id)
        self.add(node, RDF.type, CG.Claim)
        self.add(node, SCHEMA.text, _str(c.text))
        if c.relation:
            self.add(node, CG.proposes, relation_iri(c.relation))
        for a in c.concerns:
            self.add(node, CG.concerns, actor_iri(a))
        if c.review is not None:
            self.review(c, c.review)

    def review(self, c: Claim, r: Review) -> None:
        node = review_iri(self.sid, c.id)
        rating = _suffixed(node, "/rating")
        self.add(node, RDF.type, SCHEMA.ClaimReview)
        self.add(node, SCHEMA.itemReviewed, claim_iri(c.id))
        self.add(node, SCHEMA.claimReviewed, _str(c.text))
        self.add(node, SCHEMA.author, actor_iri(r.reviewer))
        self.add(node, SCHEMA.isBasedOn, self.src)  # the annotated article the curator worked from
        self.add(node, SCHEMA.reviewRating, rating)
        if r.date:
            self.add(node, SCHEMA.datePublished, Literal(r.date, datatype=XSD.dateTime if "T" in r.date else XSD.date))
        if r.url:
            self.add(node, SCHEMA.url, URIRef(r.url))
        self.add(rating, RDF.type, SCHEMA.Rating)
        for p, v in ((SCHEMA.ratingValue, r.rating), (SCHEMA.bestRating, r.best), (SCHEMA.worstRating, r.worst)):
            if v is not None:
                self.add(rating, p, _number(v))
        if r.alternate_name:
            self.add(rating, SCHEMA.alternateName, _str(r.alternate_name))

    def statement(self, s: Statement, sid: str) -> None:
        node = statement_iri(sid)
        self.add(node, RDF.type, CG.Statement)
        self.add(node, SCHEMA.isPartOf, self.src)
        self.add(node, CG.kind, KIND[s.kind])
        self.add(node, CG.stance, STANCE[s.stance])
        self.add(node, CG.evidence, self.span(s.quote, sentence=True))
        for sp in s.speakers:
            self.add(node, CG.speaker, actor_iri(sp))
        if s.kind is StatementKind.NARRATION:
            self.add(node, PROV.wasAttributedTo, self.src)
        if s.speaker_mention:
            self.add(node, CG.speakerMention, self.span(s.speaker_mention))
        if s.recipient:
            self.add(node, CG.recipient, actor_iri(s.recipient))
        if s.cue:
            self.add(node, CG.cueText, _str(s.cue.text))
            self.add(node, CG.cueSpan, self.span(s.cue))
        if s.cue_lemma:
            self.add(node, CG.cueLemma, _str(s.cue_lemma))
        for c in s.claims:
            self.add(node, CG.about, claim_iri(c))
        day, basis = stated_on(s, self.doc.source)
        if day is not None:  # an undated article gives undated statements: no date is guessed
            self.add(node, CG.statedOn, Literal(day, datatype=XSD.date))
            self.add(node, CG.dateBasis, CG.TextDate if basis == "text" else CG.ArticleDate)


def to_triples(doc: Document) -> list[Triple]:
    """Every triple about the article, without duplicates, in a deterministic order."""
    w = _Writer(doc)
    w.source(doc.source)
    for a in doc.actors:
        w.actor(a)
    for r in doc.relations:
        w.relation(r)
    for c in doc.claims:
        w.claim(c)
    for s, sid in zip(doc.statements, statement_ids(doc), strict=True):
        w.statement(s, sid)
    return list(dict.fromkeys(w.out))


def to_graph(doc: Document) -> Graph:
    g = Graph()
    for t in to_triples(doc):
        g.add(t)
    return g


# -------------------------------------------------------------------- N-Quads, fast

def _nt(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lex = str(term)
        # str.translate walks every character in Python-level lookups; four C-speed scans and
        # replaces only where needed are ~10x faster on article-length texts
        if "\\" in lex:
            lex = lex.replace("\\", "\\\\")
        if '"' in lex:
            lex = lex.replace('"', '\\"')
        if "\n" in lex:
            lex = lex.replace("\n", "\\n")
        if "\r" in lex:
            lex = lex.replace("\r", "\\r")
        if term.language:
            return f'"{lex}"@{term.language}'
        dt = term.datatype
        if dt is not None and dt is not _XSD_STRING and dt != _XSD_STRING:
            return f'"{lex}"^^<{term.datatype}>'
        return f'"{lex}"'
    raise TypeError(f"no blank nodes or other terms in claimgraph RDF: {term!r}")


def nquads(triples: Iterable[Triple], graph: URIRef) -> Iterator[str]:
    """N-Quads lines (with newline) for triples in one graph; the store's fast bulk path reads these."""
    g = f"<{graph}>"
    for s, p, o in triples:
        yield f"<{s}> <{p}> {_nt(o)} {g} .\n"


# -------------------------------------------------------------------- back to the model


def _lit(g: Graph, s: Node, p: URIRef) -> str | None:
    v = g.value(s, p)
    return None if v is None else str(v)


def _slug(node: Node, kind: str) -> str:
    return str(node)[len(str(entity_iri(kind, ""))):]


def _span(g: Graph, node: Node) -> Span:
    start = end = None
    exact = ""
    for sel in g.objects(node, OA.hasSelector):
        if (sel, RDF.type, OA.TextPositionSelector) in g:
            start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
        elif (sel, RDF.type, OA.TextQuoteSelector) in g:
            exact = str(g.value(sel, OA.exact))
    if start is None or end is None:
        raise ValueError(f"span {node} has no position selector")
    return Span(start, end, exact)


def _review(g: Graph, node: URIRef) -> Review | None:
    if (node, RDF.type, SCHEMA.ClaimReview) not in g:
        return None
    rating = g.value(node, SCHEMA.reviewRating)

    def num(p: URIRef) -> int | float | None:
        v = g.value(rating, p) if rating is not None else None
        if v is None:
            return None
        py = v.toPython()
        return py if isinstance(py, int) else float(py)

    url, date = g.value(node, SCHEMA.url), g.value(node, SCHEMA.datePublished)
    return Review(reviewer=_slug(g.value(node, SCHEMA.author), "actor"), rating=num(SCHEMA.ratingValue),
                  best=num(SCHEMA.bestRating), worst=num(SCHEMA.worstRating),
                  alternate_name=_lit(g, rating, SCHEMA.alternateName) if rating is not None else None,
                  date=str(date) if date else None, url=str(url) if url else None)


def from_graph(g: Graph, source_id: str) -> Document:
    """Read one article's document back from its graph (the inverse of `to_triples`)."""
    src = source_iri(source_id)
    text = _lit(g, src, SCHEMA.text) or ""
    pub, auth = g.value(src, SCHEMA.publisher), g.value(src, SCHEMA.author)
    url, date = g.value(src, SCHEMA.url), g.value(src, SCHEMA.datePublished)
    source = Source(
        id=source_id, text=text, title=_lit(g, src, SCHEMA.headline),
        publisher=_slug(pub, "actor") if pub else None, author=_slug(auth, "actor") if auth else None,
        url=str(url) if url else None, date=str(date) if date else None,
        method=_lit(g, src, CG.method) or "manual",
        digest=_lit(g, src, CG.inputDigest),
    )
    doc = Document(source=source)
    actors = sorted({s for s, o in g.subject_objects(RDF.type) if o in _ACTOR_TYPE}, key=str)
    for node in actors:
        t = next(o for o in g.objects(node, RDF.type) if o in _ACTOR_TYPE)
        roles = []
        for rn in sorted(g.objects(node, CG.hasRole), key=str):
            org = g.value(rn, CG.roleIn)
            roles.append(Role(str(g.value(rn, SCHEMA.roleName)), _slug(org, "actor") if org else None))
        mentions = sorted(
            (_span(g, m) for m in g.subjects(CG.denotes, node)),
            key=lambda s: s.start,
        )
        doc.actors.append(Actor(
            id=_slug(node, "actor"), name=str(g.value(node, SCHEMA.name)), type=_ACTOR_TYPE[t],
            aliases=sorted(str(x) for x in g.objects(node, SCHEMA.alternateName)), roles=roles,
            affiliations=sorted(_slug(x, "actor") for x in g.objects(node, CG.affiliatedWith)),
            mentions=mentions, same_as=sorted(str(x) for x in g.objects(node, OWL.sameAs)),
        ))
    for node, cls in sorted(((s, o) for s, o in g.subject_objects(RDF.type) if o in _RELATION_TYPE), key=str):
        doc.relations.append(Relation(
            type=_RELATION_TYPE[cls], actor=_slug(g.value(node, CG.actor), "actor"),
            counterpart=_slug(g.value(node, CG.counterpart), "actor"),
            evidence=sorted((_span(g, e) for e in g.objects(node, CG.evidence)), key=lambda s: s.start),
            id=_slug(node, "relation"),
        ))
    for node in sorted(g.subjects(RDF.type, CG.Claim), key=str):
        rel = g.value(node, CG.proposes)
        doc.claims.append(Claim(
            id=_slug(node, "claim"), text=str(g.value(node, SCHEMA.text)),
            relation=_slug(rel, "relation") if rel else None,
            concerns=sorted(_slug(a, "actor") for a in g.objects(node, CG.concerns)),
            review=_review(g, review_iri(source_id, _slug(node, "claim"))),
        ))
    stmts = []
    for node in g.subjects(RDF.type, CG.Statement):
        cue_node, sm, rec = g.value(node, CG.cueSpan), g.value(node, CG.speakerMention), g.value(node, CG.recipient)
        stmts.append(Statement(
            quote=_span(g, g.value(node, CG.evidence)),
            speakers=sorted(_slug(a, "actor") for a in g.objects(node, CG.speaker)),
            cue=_span(g, cue_node) if cue_node else None,
            cue_lemma=_lit(g, node, CG.cueLemma),
            speaker_mention=_span(g, sm) if sm else None,
            recipient=_slug(rec, "actor") if rec else None,
            kind=_KIND[g.value(node, CG.kind)], stance=_STANCE[g.value(node, CG.stance)],
            claims=sorted(_slug(c, "claim") for c in g.objects(node, CG.about)),
            id=_slug(node, "statement"),
            date=_lit(g, node, CG.statedOn) if g.value(node, CG.dateBasis) == CG.TextDate else None,
        ))
    doc.statements = sorted(stmts, key=lambda s: (s.quote.start, s.quote.end, s.id))
    return doc


__all__ = [
    "to_triples", "to_graph", "nquads", "from_graph", "graph_iri", "source_iri", "actor_iri", "claim_iri",
    "relation_iri", "statement_iri", "span_iri", "review_iri", "statement_ids", "RDFS",
]
