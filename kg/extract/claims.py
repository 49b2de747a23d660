"""Claims: one per proposition, so that the statements asserting and denying it meet on it.

A proposition is matched by its **structure** and its **meaning**:

* structure: a content that states an actor relation proposes that relation; its claim is keyed by
  relation type and the two actors (``tacit-cooperation.afghan-government.taliban``) whoever says it and
  whatever their stance; a more general relation on the same pair folds into the more specific one
  another statement proposes ("reject any suggestion of cooperation" denies the alleged tacit
  cooperation); a government body's relation folds into its government's;
* meaning: any other content is compared with the claims already in the article through sentence
  embeddings (`embed.py`): the cosine of the content and the words of the statements a claim already
  has, lowered when the two concern different actors. At or above `ClaimMatcher.threshold` the
  content joins that claim; otherwise it is a new claim keyed by the slug of its text;
* anaphora: a content that only points back ("denied the report", "called the accusation false",
  "dismissed the claims as fabricated", "did not confirm such reports", "denied it") takes the nearest
  earlier claim that fits: one somebody else put forward, about the speaker (the accused denies), whose
  statement's kind fits the noun (an accusation was alleged, a report came from a reporter).

Ids are deterministic: a claim keeps the id of the first statement that proposed it.

`same_claim(a, b)` / `ClaimMatcher.same` score two claims, from one article or two, in [0, 1]; the
store layer uses them to meet claims across articles. Without the embedding model (see `embed.py`)
the meaning part falls back to the overlap of content words, with its own threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..model import Claim, Relation, RelationType, Stance, relation_id, slugify
from . import embed as E
from .lexicon import EVALUATIVE, FALSE_WORDS, TRUE_WORDS, words

R = RelationType
TEMPLATES: dict[RelationType, str] = {
    R.RIVALRY: "{a} and {b} are rivals",
    R.FIGHTING: "{a} and {b} fight each other",
    R.OPPOSITION: "{a} opposes {b}",
    R.ATTACK: "{a} attacks {b}",
    R.ACCUSATION: "{a} accuses {b}",
    R.ALLIANCE: "{a} and {b} are allies",
    R.COOPERATION: "{a} and {b} cooperate",
    R.TACIT_COOPERATION: "{a} and {b} tacitly cooperate",
    R.SUPPORT: "{a} supports {b}",
    R.SAFE_HAVEN: "{a} gives {b} a safe haven",
    R.SURRENDER: "{a} surrenders to {b}",
    R.CAPTURED_TERRITORY: "{a} took territory from {b}",
    R.PRESSURE: "{a} puts pressure on {b}",
    R.PEACE_OFFER: "{a} offers {b} peace talks",
    R.NEGOTIATION: "{a} and {b} negotiate",
}
# general -> the more specific relations it covers (a claim of the general one on the same pair is the
# specific one, said less precisely)
SPECIFIC: dict[RelationType, tuple[RelationType, ...]] = {
    R.COOPERATION: (R.TACIT_COOPERATION, R.ALLIANCE),
    R.SUPPORT: (R.SAFE_HAVEN,),
    R.NEGOTIATION: (R.PEACE_OFFER,),
}
# kinds that describe the same hostilities in other words: claims across articles may meet on them
NEAR: frozenset[frozenset[RelationType]] = frozenset({
    frozenset({R.FIGHTING, R.ATTACK}), frozenset({R.FIGHTING, R.RIVALRY}),
})
POINTERS = words(
    "report reports claim claims allegation allegations accusation accusations suggestion suggestions "
    "charge charges assertion assertions rumour rumours rumor rumors account accounts idea notion story "
    "stories argument arguments assessment characterization characterisation statement statements "
    "reporting speculation assertion theory allegation comment comments remark remarks tweet tweets"
)
# what a pointing content says of the thing it points at ("the accusation false", "it is untrue")
JUDGEMENTS = FALSE_WORDS | EVALUATIVE | (TRUE_WORDS - {"case"}) | {"as"}
COPULAS = words("is was are were 's be been being")
# the adverbs and articles between a copula and its judgement ("is just not true", "is a lie")
HEDGES = words("just simply totally completely absolutely categorically entirely wholly utterly not n't never"
               " a an also certainly clearly plainly flatly patently")
# the pointer noun and the stances that put such a thing forward
ACCUSING = words("allegation allegations accusation accusations charge charges suggestion suggestions")
REPORTING = words("report reports reporting story stories account accounts")
PRONOUNS = words("it this that them these those")
DETERMINERS = words("such the these this those that any all both his her their its recent latest earlier "
                    "new previous")
_WORDS = re.compile(r"[\w'’-]+")
STOP = words(
    "a an the of to in on at for by with from and or but as is are was were be been being has have had it its "
    "this that these those he she they we i you his her their our my your them him us me not no that which who "
    "whom will would can could should may might must do does did said says say also than then there here so "
    "if about into over after before up out more most very just any all some such"
)


def content_text(text: str) -> str:
    """The proposition as written: quotation marks, 'that' and edge punctuation dropped."""
    s = re.sub(r"[\"“”«»]|''|``", "", text).strip(" ,.;:-–—'‘’")
    s = re.sub(r"^that\s+", "", s)
    # "to stop offering safe havens": what the pressure alleges is the offering
    s = re.sub(r"^to\s+(?:stop|end|cease|halt|quit|abandon)\s+", "", s)
    return re.sub(r"\s+", " ", s)


def _pointer_words(text: str) -> tuple[list[str], str | None]:
    """(the words, the pointer noun) of a content that refers back, else (words, None)."""
    ws = [w.lower().strip("'’") for w in _WORDS.findall(text)]
    if len(ws) == 1 and ws[0] in PRONOUNS:
        return ws, ws[0]
    # "it is categorically untrue", "that is just not true", "this is totally bogus": a pronoun judged
    if len(ws) <= 7 and ws[0] in PRONOUNS and _judged(ws[1:]):
        return ws, ws[0]
    # "the report", "such claims", "the accusation false", "the claims as fabricated", "that argument",
    # "the allegations were baseless", "that comment is a lie"
    for k, w in enumerate(ws[:4]):
        if w in POINTERS and ws[0] in DETERMINERS | POINTERS:
            rest = ws[k + 1:]
            if not rest or rest[0] in JUDGEMENTS or (len(rest) <= 5 and _judged(rest)):
                return ws, w
            return ws, None
    return ws, None


def _judged(ws: list[str]) -> bool:
    """'is just not true', 'were baseless', 'is a lie': a copula, hedges, then a judgement, nothing else."""
    if not ws or ws[0] not in COPULAS:
        return False
    rest = [w for w in ws[1:] if w not in HEDGES]
    return len(rest) == 1 and rest[0] in JUDGEMENTS


GIST_WORDS = 16
# the stances that put a proposition forward as true: what a denial, a doubt or a confirmation answers
FACTUAL = frozenset({Stance.ASSERTS, Stance.CLAIMS, Stance.ALLEGES, Stance.CONFIRMS})
# a contrary shares the words of the claim it answers (`ClaimBook.contrary`); its meaning need only be
# this close (the negation it flips pulls the cosine down)
CONTRARY_COSINE = 0.4
# how much further from its claim a denial may be than a paraphrase (cosine; measured on the dev gold)
ANSWER_RELAX = 0.17
# content words of a plain exculpation ("Smith has done nothing wrong"): it answers the latest claim
# about the actor it names
SHORT_ANSWER = 4


def gist(text: str) -> str:
    """The words a content is matched on: its first 16 (a long quotation's first proposition; the encoder's
    cost grows with every word piece, and it outweighs the parse)."""
    ws = text.split()
    return text if len(ws) <= GIST_WORDS else " ".join(ws[:GIST_WORDS])


def verdict(text: str) -> Stance | None:
    """ "That comment is a lie.", "This is totally bogus.", "That is true.": a sentence that only judges
    what was said before it; denies or confirms it (None for anything else)."""
    ws = [w.lower().strip("'’") for w in _WORDS.findall(text)]
    if not ws or len(ws) > 7 or _pointer_words(text)[1] is None:
        return None
    cop = next((k for k, w in enumerate(ws) if w in COPULAS), None)
    if cop is None or not _judged(ws[cop:]):
        return None
    judged = next(w for w in ws[cop + 1:] if w not in HEDGES)
    negated = any(w in ("not", "n't", "never") for w in ws[cop + 1:])
    if judged in ("true", "accurate", "correct"):
        return Stance.DENIES if negated else Stance.CONFIRMS  # "that is not true" / "that is true"
    return None if negated else Stance.DENIES  # "that is a lie"; "that is not false" says too little


def is_pointer(text: str) -> bool:
    """'such reports', 'the claim', 'the accusation false', 'it': content that refers back."""
    return _pointer_words(text)[1] is not None


def pointer_noun(text: str) -> str | None:
    """The noun of a pointing content ('the accusation' -> 'accusation'; 'it' -> 'it'), else None."""
    return _pointer_words(text)[1]


def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """The stemmed content words of a wording (cached: claim matching asks for the same texts often)."""
    return frozenset(_stem(w.lower()) for w in _WORDS.findall(text) if w.lower() not in STOP and len(w) > 2)


def split_relation_id(rid: str | None) -> tuple[RelationType, str, str] | None:
    """'tacit-cooperation.a.b' -> (type, a, b); None for anything else."""
    if not rid:
        return None
    parts = rid.split(".")
    if len(parts) != 3:
        return None
    try:
        return RelationType(parts[0].replace("-", "_")), parts[1], parts[2]
    except ValueError:
        return None


def _compatible(t: RelationType, u: RelationType) -> float:
    if t is u:
        return 1.0
    if u in SPECIFIC.get(t, ()) or t in SPECIFIC.get(u, ()):
        return 0.9
    if frozenset({t, u}) in NEAR:
        return 0.8
    return 0.0


@dataclass(slots=True)
class ClaimMatcher:
    """Scores whether two claims are one proposition (1.0: certainly; 0.0: certainly not).

    `threshold` is the cosine at which two contents are one proposition with embeddings (calibrated on
    the sample and the dev gold, docs/extraction.md); `lexical_threshold` the content-word overlap
    (Jaccard) used instead when the model is absent. Contents about disjoint sets of actors lose
    `actor_penalty`.
    """

    threshold: float = 0.72
    lexical_threshold: float = 0.5
    actor_penalty: float = 0.12
    use_embeddings: bool | None = None  # None: when the model is installed
    _cache: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def embeddings(self) -> bool:
        if self.use_embeddings is None:
            self.use_embeddings = E.available()
            if not self.use_embeddings:
                E.warn_unavailable()
        return self.use_embeddings

    @property
    def cut(self) -> float:
        """The score at or above which two claims are one."""
        return self.threshold if self.embeddings else self.lexical_threshold

    def prepare(self, texts: Iterable[str]) -> None:
        """Embed many texts in one batch (later `similarity` calls on them are lookups)."""
        if not self.embeddings:
            return
        todo = list(dict.fromkeys(t for t in texts if t and t not in self._cache))
        if todo:
            for t, v in zip(todo, E.embed(todo), strict=True):
                self._cache[t] = v

    def vector(self, text: str) -> np.ndarray:
        if text not in self._cache:
            self.prepare([text])
        return self._cache[text]

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> float:
        """The best meaning match of any text of `a` with any text of `b`."""
        a = [t for t in a if t]
        b = [t for t in b if t]
        if not a or not b:
            return 0.0
        if self.embeddings:
            self.prepare([*a, *b])
            va = np.stack([self._cache[t] for t in a])
            vb = np.stack([self._cache[t] for t in b])
            return float((va @ vb.T).max())
        best = 0.0
        for x in a:
            wx = content_words(x)
            for y in b:
                wy = content_words(y)
                if wx and wy:
                    best = max(best, len(wx & wy) / len(wx | wy))
        return best

    def same(self, a: Claim, b: Claim, *, texts_a: Sequence[str] = (), texts_b: Sequence[str] = (),
             relations: Mapping[str, Relation] | None = None) -> float:
        """How surely `a` and `b` are one proposition, in [0, 1]; compare with `cut`.

        Relations (by the claims' `relation` ids, or looked up in `relations`) decide when both claims
        propose one: the same pair with the same or a compatible kind is one claim, anything else is
        not. Otherwise the meaning of the texts (each claim's `text` plus `texts_a` / `texts_b`: the
        words of the statements that carry it) decides, lowered when the actors they concern are
        disjoint.
        """
        if a.id == b.id:
            return 1.0
        ra, rb = _relation_of(a, relations), _relation_of(b, relations)
        if ra and rb:
            same_pair = {ra[1], ra[2]} == {rb[1], rb[2]} and (
                ra[0].symmetric or rb[0].symmetric or (ra[1], ra[2]) == (rb[1], rb[2]))
            return _compatible(ra[0], rb[0]) if same_pair else 0.0
        sim = self.similarity([a.text, *texts_a], [b.text, *texts_b])
        ca, cb = set(a.concerns), set(b.concerns)
        if ca and cb and not ca & cb:
            sim -= self.actor_penalty
        if (ra or rb) and not (ca & cb):
            sim -= self.actor_penalty  # a relation between other actors is another proposition
        return max(0.0, min(1.0, sim))


_DEFAULT: ClaimMatcher | None = None


def default_matcher() -> ClaimMatcher:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ClaimMatcher()
    return _DEFAULT


def same_claim(a: Claim, b: Claim, *, texts_a: Sequence[str] = (), texts_b: Sequence[str] = (),
               relations: Mapping[str, Relation] | None = None, matcher: ClaimMatcher | None = None) -> float:
    """`ClaimMatcher.same` with the process-wide default matcher; >= `default_matcher().cut` is one claim."""
    return (matcher or default_matcher()).same(a, b, texts_a=texts_a, texts_b=texts_b, relations=relations)


def _relation_of(c: Claim, relations: Mapping[str, Relation] | None) -> tuple[RelationType, str, str] | None:
    if not c.relation:
        return None
    if relations and c.relation in relations:
        r = relations[c.relation]
        return r.type, r.actor, r.counterpart
    return split_relation_id(c.relation)


@dataclass(slots=True)
class _Use:
    """A statement that carries a claim: for anaphora and for matching by meaning."""

    text: str
    speakers: tuple[str, ...]
    stance: Stance
    order: int


class ClaimBook:
    """Claims of one article, by id, in first-seen order."""

    def __init__(self, names: dict[str, str], matcher: ClaimMatcher | None = None,
                 reporters: frozenset[str] = frozenset()) -> None:
        self.names = names
        # a matcher of its own: its embedding cache lives as long as the article
        self.matcher = matcher or ClaimMatcher()
        self.reporters = reporters  # media actors: what they say is a report
        self.claims: dict[str, Claim] = {}
        self.uses: dict[str, list[_Use]] = {}
        self._order = 0

    # -- building --------------------------------------------------------------------------
    def for_relation(self, rel: Relation, concerns: list[str]) -> str:
        cid = rel.id
        if cid not in self.claims:
            text = TEMPLATES[rel.type].format(
                a=self.names.get(rel.actor, rel.actor), b=self.names.get(rel.counterpart, rel.counterpart)
            )
            self.claims[cid] = Claim(id=cid, text=text, relation=rel.id, concerns=[rel.actor, rel.counterpart])
        self._concern(cid, concerns)
        return cid

    def for_text(self, text: str, concerns: list[str]) -> str | None:
        """The claim of a content that states no relation: an earlier claim of the same meaning, or a new one."""
        prop = content_text(text)
        if not _WORDS.search(prop):
            return None
        cid = slugify(prop)
        if cid not in self.claims:
            best = self.match(prop, concerns)
            if best is not None:
                cid = best
            else:
                self.claims[cid] = Claim(id=cid, text=prop)
        self._concern(cid, concerns)
        return cid

    def prepare(self, contents: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Embed in one batch the (content, concerns) pairs `for_text` will compare with another."""
        items = [(content_text(c), frozenset(k)) for c, k in contents]
        bags = [content_words(p) for p, _ in items]
        keep = list(dict.fromkeys(
            p for i, (p, k) in enumerate(items)
            if any(_may_meet(bags[i], bags[j], k, items[j][1]) for j in range(len(items)) if j != i)))
        if len(keep) >= 2:
            self.matcher.prepare([gist(p) for p in keep])

    def match(self, prop: str, concerns: Sequence[str]) -> str | None:
        """The earlier claim this content means, if one scores at or above the matcher's cut.

        Only claims keyed by wording are candidates: a relation's claim is met through its structure.
        """
        probe = Claim(id="", text=gist(prop), concerns=list(concerns))
        best, best_score = None, self.matcher.cut
        bag = content_words(prop)
        for cid, c in self.claims.items():
            if c.relation:
                continue
            texts = [u.text for u in self.uses.get(cid, ()) if not is_pointer(u.text)]
            if not any(_may_meet(bag, content_words(t), frozenset(concerns), frozenset(c.concerns))
                       for t in [c.text, *texts]):
                continue  # nothing in common: not worth an embedding (the encoder outweighs the parse)
            s = self.matcher.same(probe, Claim(id=cid, text=gist(c.text), concerns=c.concerns),
                                  texts_b=[gist(t) for t in texts])
            # ties go to the earlier claim: dict order is first-seen
            if s >= best_score and (best is None or s > best_score):
                best, best_score = cid, s
        return best

    def answer(self, text: str, speakers: Sequence[str], concerns: Sequence[str]) -> str | None:
        """The earlier claim that a denial, doubt or confirmation with a content of its own answers, or None.

        A denial answers something somebody else put forward: "Smith never took any money" after "the
        Times reported that Smith took bribes", "Smith has done nothing wrong" after an accusation
        against Smith. The candidates are the claims other speakers put forward; the meaning must reach
        the matcher's cut lowered by `ANSWER_RELAX` (a denial says the contrary, so it is further from
        the claim than a paraphrase), or the content is short and about an actor the claim concerns
        (a plain exculpation), the nearest such claim winning.
        """
        prop = content_text(text)
        if not _WORDS.search(prop):
            return None
        own, mine = set(speakers), set(concerns) - set(speakers)
        bag = content_words(prop)
        probe = Claim(id="", text=gist(prop), concerns=list(concerns))
        best, best_score = None, self.matcher.cut - ANSWER_RELAX
        near: tuple[int, str] | None = None
        candidates: list[tuple[str, Claim, list[str]]] = []
        for cid, c in self.claims.items():
            others = self._stated_by_others(cid, own)
            if not others:
                continue
            shared = mine & set(c.concerns)
            # "Smith has denied any wrongdoing": a short answer by (or about) the one the claim concerns
            if (shared or own & set(c.concerns)) and len(bag) <= SHORT_ANSWER:
                last = max(u.order for u in others)
                if near is None or last > near[0]:
                    near = (last, cid)
            texts = [u.text for u in others if not is_pointer(u.text)]
            # worth an embedding only when the wordings share words (a shared actor alone is a topic)
            if not any(_may_meet(bag, content_words(t)) for t in [c.text, *texts]):
                continue
            candidates.append((cid, c, texts))
        # one encoder batch for every wording compared (the encoder costs more than the parse)
        if candidates:
            self.matcher.prepare([gist(prop)] + [gist(t) for _, c, texts in candidates for t in [c.text, *texts]])
        for cid, c, texts in candidates:
            sc = self.matcher.same(probe, Claim(id=cid, text=gist(c.text), concerns=c.concerns),
                                   texts_b=[gist(t) for t in texts])
            if sc >= best_score and (best is None or sc > best_score):
                best, best_score = cid, sc
        if best is not None:
            return best
        return near[1] if near is not None else None

    def contrary(self, text: str, speakers: Sequence[str], concerns: Sequence[str]) -> str | None:
        """The earlier claim this assertion says the opposite of, or None (docs/annotation-guide.md, "A
        direct contrary answers the claim").

        Only an answer counts: the claim was put forward as true by someone else and concerns the speaker
        (the accused answers: "Of course, I pay federal taxes" after "he has paid nothing in federal
        taxes"); the two wordings share their words but one is negated and the other not, and their
        meaning is as close as a denial's (`answer`).
        """
        prop = content_text(text)
        own = set(speakers)
        bag = content_words(prop)
        neg = _negative(prop)
        best, best_score = None, CONTRARY_COSINE if self.matcher.embeddings else 0.0
        for cid, c in self.claims.items():
            if c.relation or not own & set(c.concerns):
                continue
            others = self._stated_by_others(cid, own)
            texts = [u.text for u in others if not is_pointer(u.text) and _negative(u.text) != neg
                     and _shares(bag, content_words(u.text))]
            if not texts:
                continue
            sc = self.matcher.similarity([gist(prop)], [gist(t) for t in texts])
            if sc >= best_score and (best is None or sc > best_score):
                best, best_score = cid, sc
        return best

    def _stated_by_others(self, cid: str, own: set[str]) -> list[_Use]:
        """The uses of `cid` by other speakers that put it forward as true: what a denial, a doubt or a
        confirmation can answer (one refuses a proposal or a promise, it does not deny it)."""
        return [u for u in self.uses.get(cid, ()) if not own & set(u.speakers) and u.stance in FACTUAL]

    def used(self, cid: str, text: str, speakers: Sequence[str], stance: Stance) -> None:
        """Record that a statement with these words carries `cid`."""
        self._order += 1
        self.uses.setdefault(cid, []).append(_Use(content_text(text), tuple(speakers), stance, self._order))

    def resolve_pointer(self, text: str, speakers: Sequence[str], stance: Stance) -> list[str]:
        """The claim an anaphoric content ('the report', 'such claims', 'it') refers to, or [].

        Among the earlier claims someone else put forward, the best fit wins, the nearest on a tie: a
        claim about the speaker (the accused answers), one that was alleged when the noun is an
        accusation, one a reporter made when it is a report.
        """
        noun = pointer_noun(text)
        if noun is None:
            return []
        own = set(speakers)
        best: tuple[float, int] | None = None
        out: list[str] = []
        for cid, uses in self.uses.items():
            others = [u for u in uses if not own & set(u.speakers) and u.stance.polarity > 0]
            if not others:
                continue
            c = self.claims.get(cid)
            if c is None:
                continue
            last = max(u.order for u in others)
            score = 0.0
            if own & set(c.concerns):
                score += 1.0
            if noun in ACCUSING and any(u.stance in (Stance.ALLEGES, Stance.CLAIMS) for u in others):
                score += 0.5
            if noun in REPORTING and any(set(u.speakers) & self.reporters for u in others):
                score += 0.5
            key = (score, last)
            if best is None or key > best:
                best, out = key, [cid]
        return out

    def _concern(self, cid: str, concerns: list[str]) -> None:
        c = self.claims[cid]
        for a in concerns:
            if a not in c.concerns:
                c.concerns.append(a)

    # -- folding ---------------------------------------------------------------------------
    def fold(self, relations: dict[str, Relation], principal: dict[str, str]) -> dict[str, str]:
        """Fold claims into one proposition; old id -> new id.

        A government body's claim folds into its government's on the same relation ("Afghan forces
        turned a blind eye to the Taliban" is the government tacitly cooperating), and a general
        relation into a more specific one on the same pair.
        """
        moved: dict[str, str] = {}
        for cid, c in list(self.claims.items()):
            r = relations.get(c.relation or "")
            if r is None:
                continue
            a, b = principal.get(r.actor, r.actor), principal.get(r.counterpart, r.counterpart)
            target = relation_id(r.type, a, b)
            if target != cid and target in self.claims:
                self._move(cid, target, moved)
        by_pair: dict[frozenset[str], list[Relation]] = {}
        for c in self.claims.values():
            if c.relation and c.relation in relations:
                r = relations[c.relation]
                by_pair.setdefault(frozenset((r.actor, r.counterpart)), []).append(r)
        for rels in by_pair.values():
            for r in rels:
                for specific in SPECIFIC.get(r.type, ()):
                    target = next((x for x in rels if x.type is specific), None)
                    if target is not None and r.id in self.claims:
                        self._move(r.id, target.id, moved)
                        break
        return {k: _follow(moved, v) for k, v in moved.items()}

    def _move(self, cid: str, target: str, moved: dict[str, str]) -> None:
        moved[cid] = target
        self._concern(target, self.claims[cid].concerns)
        self.uses.setdefault(target, []).extend(self.uses.pop(cid, []))
        del self.claims[cid]


def _shares(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two wordings of one predicate: two content words in common, and a good part of the shorter."""
    shared = len(a & b)
    return shared >= 2 and shared >= 0.4 * min(len(a), len(b))


NEGATIONS = words("not n't never no nothing none neither nor nobody")


def _negative(text: str) -> bool:
    """Does the wording negate what it says ("has paid nothing", "did not", "never")?"""
    return any(w.lower().strip("'’") in NEGATIONS or w.lower().endswith("n't") for w in _WORDS.findall(text))


def _may_meet(a: frozenset[str], b: frozenset[str], ca: frozenset[str] = frozenset(),
              cb: frozenset[str] = frozenset()) -> bool:
    """The structural filter before embeddings: one proposition is about the same actors (when both name
    some), and its two wordings still share content words."""
    if ca and cb and not ca & cb:
        return False
    shared = len(a & b)
    short = min(len(a), len(b)) <= 3
    # paraphrases measured on the dev articles (cosine >= 0.72) share two content words, or one of a short side
    return (shared >= 2 and shared >= 0.15 * len(a | b)) or (shared >= 1 and short)


def _follow(moved: dict[str, str], v: str) -> str:
    seen = set()
    while v in moved and v not in seen:
        seen.add(v)
        v = moved[v]
    return v
