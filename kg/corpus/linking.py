"""Claims across articles: a new article's claims meet the claims other articles already made.

Within an article, extraction keys one claim per proposition (`claimgraph.extract.claims`).
Across articles, a claim about an actor relation already has a structural id
(``tacit-cooperation.afghan-government.taliban``) that every article mints alike. A claim keyed by
its wording does not: "the campaign knew of the payments" in one article and "the campaign was
aware of the payments" in another would be two claims, and an allegation in one article would never
meet its denial in the next. `Linker` gives such a claim the id of the claim it matches in another
article (same proposition by `ClaimMatcher`: structure first, then sentence embeddings), so both
articles' statements point at one claim IRI and `contested-claims` finds it.

    >>> from claimgraph.corpus.linking import Linker
    >>> linker = Linker.from_store(store)          # doctest: +SKIP
    >>> doc = linker.link(extract_text(text))      # doctest: +SKIP
    >>> store.ingest(doc)                          # doctest: +SKIP

The linked id is the one already in the store, so a claim's IRI is stable: re-ingesting an article
links to the same claims as long as the other articles are unchanged (an article is never matched
against its own graph). Which article minted a claim first depends on ingest order; the claim's
wording in each article stays in that article's graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from ..extract.claims import ClaimMatcher, content_words, default_matcher
from ..model import Claim, Document
from ..rdf.mapper import STANCE
from ..rdf.nodeid import node_id
from ..rdf.vocab import ID_BASE
from ..store.base import KnowledgeStore

_CLAIMS = """
SELECT ?g ?c ?text ?rel WHERE {
  GRAPH ?g { ?c a cg:Claim ; schema:text ?text . OPTIONAL { ?c cg:proposes ?rel } }
}
"""
_CONCERNS = "SELECT ?g ?c ?a WHERE { GRAPH ?g { ?c a cg:Claim ; cg:concerns ?a } }"
# the words of the statements about a claim: its wordings in the article, beside the claim's text
_QUOTES = """
SELECT ?g ?c ?q WHERE {
  GRAPH ?g { ?s cg:about ?c ; cg:evidence/oa:hasSelector ?sel . ?sel a oa:TextQuoteSelector ; oa:exact ?q }
}
"""
_STANCES = "SELECT ?g ?c ?st WHERE { GRAPH ?g { ?s cg:about ?c ; cg:stance ?st } }"
_POLARITY = {str(iri): st.polarity for st, iri in STANCE.items()}
CROSS_RELAX = 0.10
"""How much lower a claim answering another (denied here, supported there) may score across articles:
less than within one (`claims.ANSWER_RELAX`), where the article keeps the topic; measured on the 84 dev
articles, 0.17 across articles linked unrelated claims on one topic."""
MIN_WORDS = 3
MAX_TEXTS = 6
"""Wordings kept per claim (its text and the first quotes): enough to match, bounded per hub claim."""
SHORTLIST = 8
"""Candidates by cosine that the full matcher (structure, actors) then scores."""


@dataclass(slots=True)
class Known:
    """A claim some article holds: its wordings, actors and relation, and which articles hold it."""

    claim: Claim
    texts: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    polarities: set[int] = field(default_factory=set)  # +1 supported, -1 opposed, 0 questioned somewhere


@dataclass(slots=True)
class Link:
    """`claim` of the new article became `target`, an existing claim, with this score."""

    claim: str
    target: str
    score: float


def _slug(iri: str, kind: str) -> str | None:
    nid = node_id(iri)
    return nid[len(kind) + 1:] if nid and nid.startswith(kind + "/") else None


class Linker:
    """The claims of a corpus, by id, to link each new article's claims to."""

    def __init__(self, matcher: ClaimMatcher | None = None) -> None:
        self.matcher = matcher or default_matcher()
        self.known: dict[str, Known] = {}
        self.links: list[Link] = []
        self._ids: list[str] = []
        self._row: dict[str, int] = {}  # claim id -> its row of the matrix
        self._matrix: np.ndarray | None = None
        self._vec: dict[str, np.ndarray] = {}
        self._vec_n: dict[str, int] = {}  # how many wordings each kept vector was made of

    @classmethod
    def from_store(cls, store: KnowledgeStore, matcher: ClaimMatcher | None = None) -> Linker:
        """A linker holding every claim the store's articles make."""
        linker = cls(matcher)
        prefix = f"{ID_BASE}graph/"
        for row in store.select(_CLAIMS).dicts():
            cid = _slug(str(row["c"]), "claim")
            if cid is None or not str(row["g"]).startswith(prefix):
                continue
            rel = _slug(str(row["rel"]), "relation") if row.get("rel") else None
            k = linker.known.setdefault(cid, Known(Claim(id=cid, text=str(row["text"]), relation=rel)))
            if str(row["text"]) not in k.texts:
                k.texts.append(str(row["text"]))
            k.sources.add(str(row["g"])[len(prefix):])
        for row in store.select(_QUOTES).dicts():
            k = linker.known.get(_slug(str(row["c"]), "claim") or "")
            if k is not None and len(k.texts) < MAX_TEXTS and str(row["q"]) not in k.texts:
                k.texts.append(str(row["q"]))
        for row in store.select(_STANCES).dicts():
            k = linker.known.get(_slug(str(row["c"]), "claim") or "")
            if k is not None and str(row["st"]) in _POLARITY:
                k.polarities.add(_POLARITY[str(row["st"])])
        for row in store.select(_CONCERNS).dicts():
            cid = _slug(str(row["c"]), "claim")
            aid = _slug(str(row["a"]), "actor")
            if cid in linker.known and aid and aid not in linker.known[cid].claim.concerns:
                linker.known[cid].claim.concerns.append(aid)
        linker._matrix = None
        return linker

    def add(self, doc: Document) -> None:
        """Remember the claims of an article (after it was linked and ingested)."""
        texts, polarities = _statements_by_claim(doc)
        for c in doc.claims:
            k = self.known.setdefault(c.id, Known(replace(c, concerns=list(c.concerns))))
            k.polarities |= polarities.get(c.id, set())
            for t in [c.text, *texts.get(c.id, [])]:
                if t and t not in k.texts and len(k.texts) < MAX_TEXTS:
                    k.texts.append(t)
            for a in c.concerns:
                if a not in k.claim.concerns:
                    k.claim.concerns.append(a)
            k.sources.add(doc.source.id)
        self._matrix = None

    def link(self, doc: Document, remember: bool = True) -> Document:
        """The article with each claim that matches another article's claim renamed to it.

        Statements follow their claims; two claims of the article that match one existing claim
        become that one; nothing matched: the same object back. With `remember`, the article's
        claims join the linker afterwards.
        """
        texts, polarities = _statements_by_claim(doc)
        others = [cid for cid, k in self.known.items() if k.sources - {doc.source.id}]
        renamed: dict[str, str] = {}
        if others:
            for c in doc.claims:
                best = self._best(c, texts.get(c.id, []), others, doc.source.id, polarities.get(c.id, set()))
                if best is not None and best.target != c.id:
                    renamed[c.id] = best.target
                    self.links.append(best)
        if renamed:
            doc = _rename(doc, renamed)
        if remember:
            self.add(doc)
        return doc

    def _best(self, c: Claim, texts: list[str], others: list[str], source: str,
              polarity: frozenset[int] | set[int] = frozenset()) -> Link | None:
        if c.id in self.known and self.known[c.id].sources - {source}:
            return None  # a structural id other articles share already: it meets them as it is
        m = self.matcher
        shortlist = others
        if m.embeddings and len(others) > SHORTLIST:
            matrix = self._vectors()
            q = np.stack([m.vector(t) for t in [c.text, *texts] if t])
            idx = np.array([self._row[cid] for cid in others])
            sims = (q @ matrix[idx].T).max(axis=0)
            shortlist = [others[i] for i in np.argsort(-sims)[:SHORTLIST]]
        best: Link | None = None
        for cid in shortlist:
            k = self.known[cid]
            if not _comparable(c, k.claim):
                continue
            score = m.same(c, k.claim, texts_a=texts, texts_b=k.texts[1:])
            if score >= _cut(m, polarity, k.polarities) and (best is None or score > best.score or
                                   (score == best.score and cid < best.target)):
                best = Link(c.id, cid, round(score, 4))
        return best

    def _vectors(self) -> np.ndarray:
        """One unit vector per known claim: the mean of its wordings, renormalised. Kept per claim
        and recomputed only for claims whose wordings changed, so a corpus run stays linear."""
        if self._matrix is None or len(self._ids) != len(self.known):
            stale = [cid for cid, k in self.known.items() if self._vec_n.get(cid) != len(k.texts)]
            self.matcher.prepare(t for cid in stale for t in self.known[cid].texts)
            for cid in stale:
                texts = self.known[cid].texts
                v = np.mean([self.matcher.vector(t) for t in texts], axis=0)
                self._vec[cid] = v / (np.linalg.norm(v) or 1.0)
                self._vec_n[cid] = len(texts)
            self._ids = list(self.known)
            self._row = {cid: i for i, cid in enumerate(self._ids)}
            self._matrix = (np.stack([self._vec[cid] for cid in self._ids]) if self._ids
                            else np.zeros((0, 384), dtype=np.float32))
        return self._matrix


def _comparable(a: Claim, b: Claim) -> bool:
    """May two claims of different articles be one proposition at all?

    Across articles many claims share a topic, so a claim keyed by wording meets another only when
    both say enough to be a proposition (three content words: "requests for comment" or "finances"
    match anything) and, when both name the actors they concern, a common one; a relation's claim meets
    only relation claims
    (by structure, `ClaimMatcher.same`)."""
    if bool(a.relation) != bool(b.relation):
        return False
    if a.relation:
        return True
    if len(content_words(a.text)) < MIN_WORDS or len(content_words(b.text)) < MIN_WORDS:
        return False
    return not (a.concerns and b.concerns) or bool(set(a.concerns) & set(b.concerns))


def _cut(m: ClaimMatcher, new: frozenset[int] | set[int], known: set[int]) -> float:
    """The score two claims must reach: a paraphrase's, or less when one answers the other.

    A claim only denied or doubted in the new article answers a claim another article supports (and a
    claim only supported answers one only opposed elsewhere): a denial says the contrary, further from
    its claim than a paraphrase, as within an article (`ClaimBook.answer`)."""
    answering = (new and new <= {-1, 0} and 1 in known) or (new == {1} and known and known <= {-1, 0})
    return m.cut - CROSS_RELAX if answering else m.cut


def _statements_by_claim(doc: Document) -> tuple[dict[str, list[str]], dict[str, set[int]]]:
    """Per claim of the article: the quotes of its statements, and their stances' polarities."""
    texts: dict[str, list[str]] = defaultdict(list)
    polarities: dict[str, set[int]] = defaultdict(set)
    for s in doc.statements:
        for cid in s.claims:
            texts[cid].append(s.quote.text)
            polarities[cid].add(s.stance.polarity)
    return texts, polarities


def _rename(doc: Document, renamed: dict[str, str]) -> Document:
    claims: dict[str, Claim] = {}
    for c in doc.claims:
        new = renamed.get(c.id, c.id)
        if new in claims:
            for a in c.concerns:
                if a not in claims[new].concerns:
                    claims[new].concerns.append(a)
        else:
            claims[new] = replace(c, id=new, concerns=list(c.concerns))
    statements = [replace(s, claims=list(dict.fromkeys(renamed.get(x, x) for x in s.claims)))
                  for s in doc.statements]
    return replace(doc, claims=list(claims.values()), statements=statements)


def link_claims(doc: Document, store: KnowledgeStore, matcher: ClaimMatcher | None = None) -> Document:
    """One article's claims linked to the store's (for a single ingest; a corpus keeps one Linker)."""
    return Linker.from_store(store, matcher).link(doc, remember=False)


__all__ = ["Known", "Link", "Linker", "link_claims"]
