"""Who is who: turn speaker, recipient and narration mentions into `Actor`s with stable slug ids.

Named entities (PERSON, ORG, GPE, NORP) and noun phrases for groups ("local officials",
"Observers") become actors; a later surname ("Fakur") is the person introduced earlier
("Yonus Fakur"); he/she is the most recent person, they the most recent group; "the militants",
"the group" the most recent group; appositions give roles. The gazetteer below holds a few
well-known aliases (IS/ISIS/Daesh) and capitals that stand for their state (Islamabad).
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import Any

from ..model import Actor, ActorType, Role, Span, slugify

Token = Any

# alias (lowercase) -> (canonical name, type); documented in docs/extraction.md
GAZETTEER: dict[str, tuple[str, ActorType]] = {
    "is": ("Islamic State", ActorType.ARMED_GROUP),
    "isis": ("Islamic State", ActorType.ARMED_GROUP),
    "isil": ("Islamic State", ActorType.ARMED_GROUP),
    "daesh": ("Islamic State", ActorType.ARMED_GROUP),
    "islamic state": ("Islamic State", ActorType.ARMED_GROUP),
    "taliban": ("Taliban", ActorType.ARMED_GROUP),
    "al qaeda": ("Al Qaeda", ActorType.ARMED_GROUP),
    "al-qaeda": ("Al Qaeda", ActorType.ARMED_GROUP),
    "hamas": ("Hamas", ActorType.ARMED_GROUP),
    "hezbollah": ("Hezbollah", ActorType.ARMED_GROUP),
    "kabul": ("Afghanistan", ActorType.STATE),
    "islamabad": ("Pakistan", ActorType.STATE),
    "washington": ("United States", ActorType.STATE),
    "moscow": ("Russia", ActorType.STATE),
    "beijing": ("China", ActorType.STATE),
    "us": ("United States", ActorType.STATE),
    "u.s.": ("United States", ActorType.STATE),
    "usa": ("United States", ActorType.STATE),
    "america": ("United States", ActorType.STATE),
    "uk": ("United Kingdom", ActorType.STATE),
    "britain": ("United Kingdom", ActorType.STATE),
}
# demonym -> state, for "Afghan officials", "Pakistani troops"
DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan", "pakistani": "Pakistan", "american": "United States", "us": "United States",
    "u.s.": "United States", "russian": "Russia", "chinese": "China", "british": "United Kingdom",
    "german": "Germany", "french": "France", "indian": "India", "iranian": "Iran", "iraqi": "Iraq",
    "syrian": "Syria", "turkish": "Turkey", "israeli": "Israel", "ukrainian": "Ukraine",
}
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. gen gen. general president sen sen. senator rep rep. gov gov."
    " governor secretary minister prime chancellor king queen prince judge colonel col. lt. captain"
    " sheikh mullah commander".split()
)
GENERIC_GROUPS = frozenset(
    "militants group insurgents rebels fighters organisation organization movement outfit".split()
)
MEMBER_NOUNS = frozenset("militants fighters members commanders leaders spokesman spokesperson".split())
STATE_BODIES = frozenset(
    "government officials authorities forces troops army military police ministry administration".split()
)
PERSON_PRON = frozenset("he she him her".split())
GROUP_PRON = frozenset("they them".split())
_DET = re.compile(r"^(the|a|an|some|another|both)\s+", re.I)


@dataclass(slots=True)
class _Seen:
    pos: int
    actor: str
    person: bool


class ActorBook:
    """The actors of one article, built while reading it in text order."""

    def __init__(self, doc: Any, text: str) -> None:
        self.doc = doc
        self.text = text
        self.actors: dict[str, Actor] = {}
        self.timeline: list[_Seen] = []
        self._by_ent: dict[int, str] = {}  # token index -> actor id for entity tokens
        self._abbrev: dict[str, str] = {}
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                if ent.label_ == "NORP" and ent.root.dep_ in ("amod", "compound"):
                    continue
                aid = self._entity(ent)
                if aid:
                    for t in ent:
                        self._by_ent[t.i] = aid

    # --- registering -------------------------------------------------------------------
    def add(self, name: str, type_: ActorType, span: tuple[int, int] | None = None,
            alias: str | None = None) -> str:
        aid = slugify(name)
        a = self.actors.get(aid)
        if a is None:
            a = self.actors[aid] = Actor(id=aid, name=name, type=type_)
        if alias and alias != a.name and alias not in a.aliases:
            a.aliases.append(alias)
        if span is not None:
            sp = Span.of(self.text, *span)
            if sp not in a.mentions:
                a.mentions.append(sp)
            insort(self.timeline, _Seen(span[0], aid, a.type is ActorType.PERSON), key=lambda s: s.pos)
        return aid

    def _entity(self, ent: Any) -> str | None:
        raw = ent.text
        toks = [t for t in ent if not (t.i == ent.start and t.lower_ in ("the",))]
        if toks and toks[-1].lower_ in ("'s", "’s"):
            toks = toks[:-1]
        if not toks:
            return None
        name = self.text[toks[0].idx: toks[-1].idx + len(toks[-1])].strip("\"“”'‘’ ")
        if not name or not any(c.isalpha() for c in name):
            return None
        span = (toks[0].idx, toks[-1].idx + len(toks[-1]))
        key = name.lower()
        if key in self._abbrev:
            return self.add(self.actors[self._abbrev[key]].name, self.actors[self._abbrev[key]].type, span, name)
        if key in GAZETTEER:
            canon, type_ = GAZETTEER[key]
            aid = self.add(canon, type_, span, name if name != canon else None)
        elif ent.label_ == "PERSON":
            aid = self._person(toks, span)
        elif ent.label_ == "GPE":
            aid = self.add(name, ActorType.STATE, span)
        elif ent.label_ == "NORP":
            aid = self.add(name, ActorType.COLLECTIVE, span)
        else:
            aid = self.add(name, ActorType.ORGANISATION, span)
        # "Islamic State" (IS): the parenthesised abbreviation is an alias
        m = re.match(r"[\"”’]?\s*\(([A-Z][A-Za-z.]{1,7})\)", self.text[ent.end_char: ent.end_char + 12])
        if m:
            self._abbrev[m.group(1).lower()] = aid
            a = self.actors[aid]
            if m.group(1) not in a.aliases:
                a.aliases.append(m.group(1))
        del raw
        return aid

    def _person(self, toks: list[Token], span: tuple[int, int]) -> str:
        while len(toks) > 1 and toks[0].lower_ in TITLES:
            toks = toks[1:]
        name = " ".join(t.text for t in toks)
        last = toks[-1].text
        for a in self.actors.values():
            if a.type is ActorType.PERSON and (a.name.split()[-1] == last or a.name == name):
                return self.add(a.name, ActorType.PERSON, span, name if name != a.name else None)
        return self.add(name, ActorType.PERSON, span)

    # --- resolving -----------------------------------------------------------------------
    def recent(self, pos: int, person: bool, exclude: set[str] | None = None) -> str | None:
        i = bisect_left(self.timeline, pos, key=lambda s: s.pos) - 1
        while i >= 0:
            s = self.timeline[i]
            if s.person == person and (not exclude or s.actor not in exclude):
                if person or self.actors[s.actor].type is not ActorType.STATE or not exclude:
                    return s.actor
            i -= 1
        return None

    def recent_pair(self, pos: int) -> list[str]:
        """The two most recent distinct actors mentioned in one sentence before `pos`."""
        sents = {}
        for s in self.timeline:
            if s.pos >= pos:
                break
            sents.setdefault(self.doc[self._tok_at(s.pos)].sent.start, []).append(s.actor)
        for start in sorted(sents, reverse=True):
            ids = list(dict.fromkeys(sents[start]))
            if len(ids) >= 2:
                return ids[:2]
        return []

    def _tok_at(self, char: int) -> int:
        return max(0, bisect_left(self.doc, char + 1, key=lambda t: t.idx) - 1)

    def resolve(self, tok: Token, create: bool = True) -> list[str]:
        """Actor ids a mention headed by `tok` stands for (several for "X and Y").

        With `create=False` only entities, pronouns and known kinds of group phrases resolve,
        so content words ("place", "course") do not become actors.
        """
        heads = [tok]
        while heads[-1] is not None:
            nxt = next((c for c in heads[-1].children if c.dep_ == "conj"), None)
            if nxt is None:
                break
            heads.append(nxt)
        out: list[str] = []
        for h in heads:
            aid = self._one(h, create)
            if aid and aid not in out:
                out.append(aid)
        return out

    def side(self, aid: str) -> str:
        """The party an actor acts for in a relation: a state body acts for its state."""
        a = self.actors[aid]
        for ref in a.affiliations:
            if self.actors[ref].type is ActorType.STATE:
                return ref
        return aid

    def _one(self, tok: Token, create: bool = True) -> str | None:
        low = tok.lower_
        if low in ("who", "which", "that") and tok.head.dep_ == "relcl":
            tok = tok.head.head
            low = tok.lower_
        if low in PERSON_PRON:
            return self.recent(tok.idx, person=True)
        if low in GROUP_PRON:
            return self.recent(tok.idx, person=False)
        if tok.i in self._by_ent:
            aid = self._by_ent[tok.i]
            self._role(tok, aid)
            return aid
        comps = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i in self._by_ent]
        if comps and low in MEMBER_NOUNS | GENERIC_GROUPS:
            return self._by_ent[comps[0].i]
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
        if "the" in dets and not mods and low in GENERIC_GROUPS:
            return self.recent(tok.idx, person=False)
        if low in ("government", "administration") and not mods:
            place = [k for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"
                     for k in c.children if k.dep_ == "pobj" and k.i in self._by_ent]
            if place:
                return self._by_ent[place[0].i]
            state = self._recent_state(tok.idx)
            if state:
                return state
        person = self._by_role(tok)
        if person:
            return person
        left = min([tok.i] + [m.i for m in mods])
        name = self.text[self.doc[left].idx: tok.idx + len(tok)]
        demonym = next((DEMONYMS[m.lower_] for m in mods if m.lower_ in DEMONYMS), None)
        if not create and not (demonym and low in STATE_BODIES):
            return None
        type_ = ActorType.COLLECTIVE
        if low in STATE_BODIES and demonym:
            type_ = ActorType.GOVERNMENT if low in ("government", "administration") else ActorType.GOVERNMENT_AGENCY
        aid = self.add(name, type_, (self.doc[left].idx, tok.idx + len(tok)))
        if demonym and low in STATE_BODIES:
            state = self.add(demonym, ActorType.STATE)
            if state != aid and state not in self.actors[aid].affiliations:
                self.actors[aid].affiliations.append(state)
        return aid

    def _recent_state(self, pos: int) -> str | None:
        for s in reversed([s for s in self.timeline if s.pos < pos]):
            a = self.actors[s.actor]
            if a.type is ActorType.STATE:
                return a.id
            if a.affiliations and self.actors[a.affiliations[0]].type is ActorType.STATE:
                return a.affiliations[0]
        return None

    def _by_role(self, tok: Token) -> str | None:
        """ "the head of Jawzjan provincial council": a person whose stated role has these words."""
        words = {t.lower_ for t in tok.subtree if t.is_alpha and not t.is_stop}
        if len(words) < 2:
            return None
        for a in self.actors.values():
            for r in a.roles:
                rw = {w.lower() for w in re.findall(r"[A-Za-z]+", r.title)}
                if tok.lower_ in rw and len(words & rw) >= 2:
                    return a.id
        return None

    def _role(self, tok: Token, aid: str) -> None:
        """An apposition next to a person names a role: "Yonus Fakur, a Kabul-based ... analyst"."""
        a = self.actors[aid]
        if a.type is not ActorType.PERSON:
            return
        head = tok
        while head.i in self._by_ent and head.head.i in self._by_ent and head.head is not head and \
                self._by_ent[head.head.i] == aid:
            head = head.head
        for c in head.children:
            if c.dep_ == "appos" and c.i > head.i and c.i not in self._by_ent:
                title = _DET.sub("", self.text[c.left_edge.idx: c.right_edge.idx + len(c.right_edge)])
                title = title.strip(" ,.;")
                if title and all(r.title != title for r in a.roles):
                    a.roles.append(Role(title=title))

    def mark_media(self, aid: str) -> None:
        self.actors[aid].type = ActorType.MEDIA

    def list(self) -> list[Actor]:
        return list(self.actors.values())
