"""Actors from one parse: named entities, learned acronyms and the gazetteer, one id per actor.

An `ActorTable` maps tokens to actor ids. Mentions come from spaCy's entities (PERSON, ORG,
GPE, NORP), from ``Name (ACR)`` acronyms the text defines, and from the gazetteer's names and
aliases. Names are canonicalised so that the same actor gets the same id in every article:

* people: titles dropped ("General John Nicholson" -> John Nicholson); a lone surname ("Fakur",
  "Mr. Fakur") is the full name introduced in the article with that last (or first) name;
* groups: "the", quotation marks and possessives dropped; acronyms and gazetteer aliases mapped
  to their name; "Taliban fighters", "IS militants", "a Taliban spokesman" are the group;
* states: a capital speaking is its state ("Islamabad denies" -> Pakistan), or the state's
  government when the article names it ("Kabul" -> Afghan government);
* national bodies: "<demonym> officials|government|forces" are the collective / government /
  security forces of that country ("Afghan officials" is affiliated with the Afghan government).

`resolve(token)` gives the actor of a noun phrase's head: mention, pronoun (nearest fitting actor
mentioned before, outside quotations), definite description ("the militants" -> the last armed
group, "the head of Jawzjan provincial council" -> the person with that role), or a new
collective ("local officials", "observers"). Every lookup is a dict hit or a short walk back.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable
from typing import Any

from spacy.tokens import Span as SpacySpan

from ..model import Actor, ActorType, Role, Span, slugify
from .gazetteer import (
    CONDITIONAL,
    COUNTRIES,
    FEMALE_NAMES,
    FEMALE_NOUNS,
    FEMALE_TITLES,
    KNOWN,
    MALE_NAMES,
    MALE_NOUNS,
    MALE_TITLES,
    PLACE_NOUNS,
    Country,
)
from .lexicon import words

Token = Any

TITLES = words(
    """mr mrs ms miss dr gen general president sen senator rep representative gov governor prime
    minister secretary chief judge justice pope king queen prince princess sheikh mullah maulvi
    commander colonel col lt lieutenant captain capt sir lord lady rev reverend father professor
    prof del delegate vice speaker mayor ambassador chairman chairwoman former mr. mrs. ms. dr.
    gen. sen. rep. gov. col. lt. capt. prof. del. rev. st. adm. admiral sgt. sgt sergeant major
    candidate nominee""")
HE = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
SHE = frozenset({"she", "her", "hers", "herself"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# prepositions whose object is where something happens ("IS in Afghanistan"), not who acts
LOCATIVE = frozenset({"in", "into", "across", "throughout", "within", "inside", "near", "around",
                      "outside", "at"})
# page furniture: widget, link and media lines that are not article prose
_FURNITURE = re.compile(
    r"^\s*(?:read more|see also|also read|related|watch video|listen to audio|share\b|advertisement|"
    r"click here|follow us|sign up|subscribe|image:|photo:|picture:)|\bpermalink\b|\bsend facebook\b",
    re.IGNORECASE)
# nouns for documents and channels: with an author ("Ivana Trump's brief") they are that author
# speaking; without one they are an unnamed source of the article ("the report said")
DOCUMENT_NOUNS = words("""report poll survey study ad advert advertisement complaint tweet statement
    letter memo email e-mail note notes editorial clip video document filing lawsuit analysis release
    transcript website post blog brief submission account missive investigation inquiry probe review
    audit ruling judgment verdict indictment database data statistics figures record records article
    story book memoir plan proposal speech remarks testimony message cable dossier estimate""")
# anonymous sources: every "a source", "some", "observers", "analysts say" of an article is one actor,
# its unnamed sources (docs/annotation-guide.md, section 1)
SOURCE_WORDS = words("""source sources some someone somebody others observer observers analyst analysts
    expert experts critic critics insider insiders commentator commentators many""")
ROLE_ORG_NOUNS = words("""council ministry committee commission parliament assembly party court agency
    department office bureau board authority university company bank union senate congress""")
THEY = frozenset({"they", "them", "their", "theirs", "themselves"})
IT = frozenset({"it", "its", "itself"})
RELATIVE = frozenset({"who", "whom", "that", "which", "whose"})
MEMBER_NOUNS = words("""fighter militant member supporter spokesman spokeswoman spokesperson representative
    leader leadership commander insurgent loyalist official delegation""")
FORCE_NOUNS = frozenset({"force", "troop", "army", "military", "soldier", "security"})
OFFICIAL_NOUNS = frozenset({"official", "authority", "diplomat", "lawmaker", "leader"})
GOV_NOUNS = frozenset({"government", "administration", "cabinet", "regime", "authorities"})
GROUP_NOUNS = words("""militant insurgent group rebel extremist jihadist fighter organization organisation
    outfit movement""")
ARMED_HINTS = ("militant", "insurgent", "rebel", "brigade", "jihad", "taliban", "al-qaeda")
GOV_HINTS = ("ministry", "department", "agency", "police", "army", "council", "commission",
             "office", "court", "congress", "parliament", "senate", "military", "forces", "bureau",
             "service", "pentagon", "house", "committee")
MEDIA_HINTS = ("news", "times", "post", "radio", "television", " tv", "press", "journal", "herald",
               "gazette", "tribune", "magazine", "agency")
QUOTE_CHARS = "\"'“”‘’«»"
_ACRONYM = re.compile(
    r"[\"“'‘]?((?:[A-Z][\w'’.-]*\s+)(?:(?:of|the|for|and|de|[A-Z][\w'’.-]*)\s+)*[A-Z][\w'’.-]*)"
    r"[\"”'’]?\s*\(([A-Z][A-Za-z.]{1,9})\)"
)


HUMAN_NOUNS = words("""official source analyst expert observer critic resident witness lawmaker leader minister
    police people aide adviser advisor activist spokesman spokeswoman spokesperson authority
    diplomat politician candidate voter supporter opponent scientist researcher economist doctor
    lawyer attorney prosecutor investigator officer soldier commander general president senator
    governor mayor member staff staffer employee worker student teacher parent family relative
    neighbor neighbour friend colleague administration government ministry department agency
    campaign party committee council court judge jury panel board union group organization
    organisation company firm bank spokesperson insider person man woman child citizen villager
    farmer protester demonstrator victim survivor refugee migrant fighter militant insurgent rebel
    journalist reporter correspondent editor writer author historian professor lecturer pollster
    strategist consultant executive chairman director manager founder owner negotiator mediator
    delegate envoy ambassador representative inspector auditor regulator watchdog agent detective
    cop trooper guard clergy cleric imam priest bishop pope monk elder chief head secretary
    democrat republican conservative liberal progressive moderate son daughter wife husband brother
    sister father mother ally surrogate team camp aide lawyer""")
_AGENTIVE = ("ist", "ian", "eer", "er", "or", "ee", "man", "men", "ers", "ors", "ees")
# documents and channels that "say" things on someone's behalf
SOURCE_NOUNS = words("""report poll survey study ad advert advertisement complaint tweet statement
    letter memo editorial clip video document filing lawsuit analysis release transcript website
    post blog newspaper paper magazine network channel station show program programme
    percent majority minority half most""")


def is_human(tok: Token) -> bool:
    """A noun for people or bodies of people (the speaker of a statement)."""
    lemma = tok.lemma_.lower()
    return lemma in HUMAN_NOUNS or lemma in SOURCE_NOUNS or (
        tok.pos_ == "NOUN" and lemma.endswith(_AGENTIVE) and len(lemma) > 4
    )


def normalise(name: str) -> str:
    """'the "Islamic State"' -> 'Islamic State'; "Taliban's" -> 'Taliban'."""
    s = name.strip().strip(QUOTE_CHARS + " ,.;:").strip()
    s = re.sub(r"[’']s$", "", s)
    # "this White House", "a Mitt Romney": a determiner is no part of a name
    s = re.sub(r"^(?:the|this|that|these|those|a|an)\s+(?=[A-Z])", "", s, flags=re.IGNORECASE)
    s = s.strip(QUOTE_CHARS + " ")
    return re.sub(r"\s+", " ", s)


def _furniture(text: str) -> list[tuple[int, int]]:
    """Character ranges that are page furniture, sorted.

    Widget and link lines ("Share ... Facebook", "Read more: ..."), and picture-gallery headings: a
    heading repeated at the start of several paragraphs ("The endless battle for power in X <caption
    title> <caption>"), whose repeated words are no sentence of the article.
    """
    out: list[tuple[int, int]] = []
    starts: dict[tuple[str, ...], list[tuple[int, list[re.Match[str]]]]] = {}
    pos = 0
    for line in text.split("\n"):
        if _FURNITURE.search(line):
            out.append((pos, pos + len(line)))
        else:
            ws = list(re.finditer(r"\S+", line))
            if len(ws) >= 8:
                starts.setdefault(tuple(w.group() for w in ws[:5]), []).append((pos, ws))
        pos += len(line) + 1
    for paras in starts.values():
        if len(paras) < 3:  # prose seldom opens three paragraphs with the same five words
            continue
        n = 5  # the longest word prefix the repeated paragraphs share
        while all(len(ws) > n + 4 and ws[n].group() == paras[0][1][n].group() for _, ws in paras):
            n += 1
        for p, ws in paras:
            out.append((p + ws[0].start(), p + ws[n - 1].end()))
    return sorted(out)


HEADLINE_WORDS = 30


def _headline_end(text: str) -> int:
    """Where the headline ends: a short, title-cased first paragraph set off by a blank line, else 0.

    Only title case glues words onto names ("Rip Donald Trump"); a lede sentence is left alone."""
    m = re.match(r"\s*([^\n]+)\n[ \t\xa0]*\n", text)
    if m is None or len(m.group(1).split()) > HEADLINE_WORDS or not text[m.end():].strip():
        return 0
    long = [w for w in re.findall(r"[^\W\d_][\w'’-]*", m.group(1)) if len(w) > 3]
    if not long or sum(w[0].isupper() for w in long) < 0.6 * len(long):
        return 0
    return m.end(1)


def _sentence_index(doc: Any) -> list[int]:
    """The sentence number of every token."""
    out = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = n
    return out


def _initials_match(name: str, acr: str) -> bool:
    letters = [c for c in acr.upper() if c.isalpha()]
    caps = [w[0].upper() for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    if not letters or not caps or letters[0] != caps[0]:
        return False
    it = iter(caps)
    return all(any(c == x for x in it) for c in letters)


class ActorTable:
    """The actors of one article and which tokens mention them."""

    def __init__(self, doc: Any, text: str, in_quote: Callable[[int], bool], scope: str = "") -> None:
        self.doc = doc
        self.text = text
        self.in_quote = in_quote
        self.scope = scope  # the source id: unnamed sources get ids inside the article
        self.furniture = _furniture(text)
        self._headline_end = _headline_end(text)
        self.gender: dict[str, str] = {}  # person id -> "m" | "f", when a cue says so
        self._sent = _sentence_index(doc)
        self._subjects: set[int] = set()  # last tokens of mentions that are a clause's subject
        self._documents: set[str] = set()  # unnamed sources that are documents ("it" fits them)
        self.actors: dict[str, Actor] = {}
        self.used: set[str] = set()
        self.tok: dict[int, str] = {}
        self.timeline: list[tuple[int, str]] = []
        self._mention_keys: set[tuple[str, int, int]] = set()
        self._aliases: dict[str, tuple[str, ActorType]] = {}
        self._countries: dict[str, Country] = {}
        self._surnames: dict[str, list[tuple[int, str]]] = {}
        self._build_lexicon()
        self._scan()
        self._learn_gender()

    # -- lexicon -----------------------------------------------------------------------------
    def _build_lexicon(self) -> None:
        text = self.text
        for k in KNOWN:
            for alias in (k.name, *k.aliases):
                if alias in CONDITIONAL and k.name not in text:
                    continue
                self._aliases[alias] = (k.name, k.type)
        named_govs = {m.group(1).lower() for m in re.finditer(r"\b([A-Z][\w.]+)\s+government\b", text)}
        self._named_govs = named_govs
        for c in COUNTRIES:
            for form in (c.name, *c.aliases, *c.demonyms):
                self._countries[form] = c
            gov = any(d.lower() in named_govs for d in c.demonyms) or c.name.lower() in named_govs
            self._aliases.setdefault(c.name, (c.name, ActorType.STATE))
            for alias in c.aliases:
                self._aliases.setdefault(alias, (c.name, ActorType.STATE))
            if c.capital:
                self._aliases.setdefault(
                    c.capital, (f"{c.demonyms[0]} government", ActorType.GOVERNMENT) if gov
                    else (c.name, ActorType.STATE)
                )
        for m in _ACRONYM.finditer(text):
            name, acr = normalise(m.group(1)), m.group(2)
            if _initials_match(name, acr):
                target = self._aliases.get(name, (name, ActorType.ORGANISATION))
                self._aliases[acr] = target
                self._aliases.setdefault(name, target)

    # -- mentions ----------------------------------------------------------------------------
    def _scan(self) -> None:
        doc = self.doc
        starts = [t.idx for t in doc]
        taken: set[int] = set()
        if self._aliases:
            keys = sorted(self._aliases, key=len, reverse=True)
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
            for m in rx.finditer(self.text):
                a = bisect_left(starts, m.start())
                b = bisect_left(starts, m.end())
                if a >= len(doc) or doc[a].idx != m.start() or a == b or self.is_furniture(m.start()):
                    continue
                name, typ = self._aliases[m.group()]
                if typ is ActorType.STATE and doc[b - 1].ent_type_ not in ("GPE", "NORP", "ORG", ""):
                    continue
                if m.group() in self._countries and self._locative(doc[a:b].root):
                    continue  # "IS in Afghanistan": the country is where, not who
                aid = self._ensure(name, typ)
                self._mention(aid, a, b)
                taken.update(range(a, b))
        ents = [e for e in doc.ents if not self.is_furniture(e.start_char) and not self._is_place(e)
                and self._in_body(e)]
        persons = [e for e in ents if e.label_ == "PERSON"]
        for e in persons:
            words = self._person_words(e)
            if len(words) >= 2:
                aid = self._ensure(" ".join(words), ActorType.PERSON)
                for key in (words[-1], words[0]):
                    self._surnames.setdefault(key, []).append((e.start, aid))
                self._gender_cue(aid, e, words)
        for e in ents:
            a, b = self._glued(e.start, e.end)
            if any(i in taken for i in range(a, b)):
                continue
            aid = self._entity_actor(e if (a, b) == (e.start, e.end) else SpacySpan(doc, a, b, label=e.label_))
            if aid is not None:
                self._mention(aid, a, b)
                taken.update(range(a, b))
        self._bare_surnames(persons, taken)
        self._roles(persons)

    def _bare_surnames(self, persons: list[Any], taken: set[int]) -> None:
        """'Norman Ham ... Ham made it clear': a surname the tagger left untagged still names the person
        it names elsewhere in the article (after the full name, and only as a proper noun)."""
        last = {self._person_words(e)[-1]: e.start for e in persons if len(self._person_words(e)) >= 2}
        for tok in self.doc:
            first = last.get(tok.text)
            if first is None or tok.i <= first or tok.i in taken or tok.i in self.tok or tok.pos_ != "PROPN":
                continue
            if self.is_furniture(tok.idx) or tok.i < len(self.doc) - 1 and self.doc[tok.i + 1].pos_ == "PROPN":
                continue  # "Ham Radio": part of another name
            if tok.i > 0 and self.doc[tok.i - 1].pos_ == "PROPN":
                continue
            aid = self._surname(tok.text, tok.i)
            if aid is not None:
                self._mention(aid, tok.i, tok.i + 1)
                taken.add(tok.i)

    # -- what is not an actor ----------------------------------------------------------------
    def is_furniture(self, char: int) -> bool:
        """Whether a character lies in page furniture (share widgets, "Read more:", gallery headings)."""
        k = bisect_left(self.furniture, (char + 1, -1)) - 1
        return k >= 0 and self.furniture[k][0] <= char < self.furniture[k][1]

    def _in_body(self, e: Any) -> bool:
        """A name in the headline counts only when the body names it too: a title-cased headline
        ("Black Lawmakers Rip Donald Trump As ...") glues verbs onto names, and repeats the body."""
        if e.start_char >= self._headline_end:
            return True
        name = normalise(e.text)
        return bool(name) and self.text.find(name, self._headline_end) >= 0

    def _glued(self, a: int, b: int) -> tuple[int, int]:
        """Widen a token range over hyphen-joined words: 'Islami' in 'Hizb-i-Islami' is the whole name."""
        doc = self.doc
        while a >= 2 and doc[a - 1].text == "-" and not doc[a - 1].whitespace_ and not doc[a - 2].whitespace_ \
                and doc[a - 2].is_alpha:
            a -= 2
        while b + 1 < len(doc) and doc[b].text == "-" and not doc[b - 1].whitespace_ and not doc[b].whitespace_ \
                and doc[b + 1].is_alpha:
            b += 2
        return a, b

    @staticmethod
    def _locative(root: Token) -> bool:
        """A place phrase: the object of 'in', 'across', 'at'... ('IS in Afghanistan')."""
        while root.dep_ == "conj":
            root = root.head
        return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE

    @staticmethod
    def _is_place(e: Any) -> bool:
        """'Qush Tepa districts', 'Jawzjan province': a name that modifies a place noun is a place."""
        if e.label_ in ("LOC", "FAC"):
            return True
        if e[-1].lower_ in PLACE_NOUNS or (e.end < len(e.doc) and e.doc[e.end].lower_ in PLACE_NOUNS):
            return True
        root = e.root
        while root.dep_ == "conj" and root.head.i < root.i:
            root = root.head
        return root.dep_ in ("compound", "nmod", "amod") and root.head.lower_ in PLACE_NOUNS

    def _person_words(self, e: Any) -> list[str]:
        words = [t.text for t in e if not t.is_punct or t.text in ("-", ".")]
        words = [w for w in words if w.strip(QUOTE_CHARS)]
        while words and (words[0].lower() in TITLES or words[0].lower().rstrip(".") in TITLES
                         or (words[0].lower() in ("a", "an", "the", "this", "that") and len(words) > 1)):
            words = words[1:]
        while words and words[-1].lower() in ("'s", "’s", "jr", "jr."):
            words = words[:-1]
        return words

    def _surname(self, word: str, at: int) -> str | None:
        cands = self._surnames.get(word)
        if not cands:
            return None
        before = [aid for i, aid in cands if i <= at]
        return before[-1] if before else cands[0][1]

    def _entity_actor(self, e: Any) -> str | None:
        label = e.label_
        if label == "PERSON":
            words = self._person_words(e)
            if not words:
                return None
            if len(words) == 1:
                aid = self._surname(words[0], e.start) or self._ensure(words[0], ActorType.PERSON)
            else:
                aid = self._ensure(" ".join(words), ActorType.PERSON)
            self._gender_cue(aid, e, words)
            return aid
        if label not in ("ORG", "GPE", "NORP"):
            return None
        name = normalise(e.text)
        if not name or not any(c.isalpha() for c in name) or "http" in name or "\n" in name:
            return None
        if " " not in name and (s := self._surname(name, e.start)):
            return s
        if label == "NORP":
            return None  # "Afghan" is not an actor; "Afghan officials" is, through resolve()
        if label == "GPE":
            if self._locative(e.root):
                return None
            country = self._countries.get(name)
            return self._ensure(country.name, ActorType.STATE) if country else None
        return self._ensure(name, self._org_type(name))

    @staticmethod
    def _org_type(name: str) -> ActorType:
        low = f" {name.lower()} "
        if "government" in low or "administration" in low:
            return ActorType.GOVERNMENT
        if any(h in low for h in ARMED_HINTS):
            return ActorType.ARMED_GROUP
        if any(h in low for h in MEDIA_HINTS):
            return ActorType.MEDIA
        if any(h in low for h in GOV_HINTS):
            return ActorType.GOVERNMENT_AGENCY
        return ActorType.ORGANISATION

    def _ensure(self, name: str, typ: ActorType) -> str:
        aid = slugify(name)
        if aid not in self.actors:
            self.actors[aid] = Actor(id=aid, name=name, type=typ)
        return aid

    def _mention(self, aid: str, a: int, b: int, alias: bool = True) -> None:
        doc = self.doc
        while a < b and (doc[a].is_punct or doc[a].lower_ == "the") and doc[a].text not in QUOTE_CHARS[:1]:
            a += 1
        while b > a and doc[b - 1].is_punct and doc[b - 1].text not in QUOTE_CHARS:
            b -= 1
        if a >= b:
            return
        for i in range(a, b):
            self.tok[i] = aid
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        if (aid, start, end) in self._mention_keys:
            return
        self._mention_keys.add((aid, start, end))
        actor = self.actors[aid]
        actor.mentions.append(Span.of(self.text, start, end))
        name = normalise(self.text[start:end]) if actor.type is not ActorType.PERSON else self.text[start:end]
        if alias and name and name != actor.name and name not in actor.aliases and name[0].isupper():
            actor.aliases.append(name)
        insort(self.timeline, (b - 1, aid))
        root = doc[a:b].root
        while root.dep_ in ("conj", "appos") and root.head.i < root.i:
            root = root.head  # "Both the Taliban and IS oppose": IS is a subject too
        if root.dep_ in SUBJECT_DEPS:
            self._subjects.add(b - 1)

    # -- gender ------------------------------------------------------------------------------
    def _gender_cue(self, aid: str, e: Any, words: list[str]) -> None:
        """Gender from a title (Mr, Mrs, Ms...) or a common first name; the first cue wins."""
        if aid in self.gender:
            return
        before = [t.lower_ for t in e[:1]] + ([self.doc[e.start - 1].lower_] if e.start else [])
        if any(w in FEMALE_TITLES for w in before):
            self.gender[aid] = "f"
        elif any(w in MALE_TITLES for w in before):
            self.gender[aid] = "m"
        elif len(words) >= 2 and words[0].lower() in FEMALE_NAMES:
            self.gender[aid] = "f"
        elif len(words) >= 2 and words[0].lower() in MALE_NAMES:
            self.gender[aid] = "m"

    def _learn_gender(self) -> None:
        """'Ann Lee ... She said': a he/she whose sentence and the one before name one person only."""
        for tok in self.doc:
            low = tok.lower_
            if low not in HE or self.in_quote(tok.idx):
                continue
            sent = self._sent[tok.i]
            k = bisect_left(self.timeline, (tok.i, ""))
            people: set[str] = set()
            while k > 0:
                k -= 1
                i, aid = self.timeline[k]
                if self._sent[i] < sent - 1:
                    break
                if self.actors[aid].type is ActorType.PERSON and not self.in_quote(self.doc[i].idx):
                    people.add(aid)
            if len(people) == 1 and (aid := people.pop()) not in self.gender:
                self.gender[aid] = "f" if low in SHE else "m"

    def fits_pronoun(self, aid: str, low: str) -> bool:
        """A person fits he/she unless the gender known for them is the other one."""
        g = self.gender.get(aid)
        return g is None or g == ("f" if low in SHE else "m")

    # -- roles -------------------------------------------------------------------------------
    def _roles(self, persons: list[Any]) -> None:
        for e in persons:
            aid = self.tok.get(e.root.i)
            if aid is None or self.actors[aid].type is not ActorType.PERSON:
                continue
            root = e.root
            lo = e.start
            while lo > 0 and self.doc[lo - 1].dep_ in ("compound", "amod", "nmod") and (
                lo <= self.doc[lo - 1].head.i < e.end
            ) and "\n" not in self.doc[lo - 1].whitespace_:
                lo -= 1
                lo = self._glued(lo, lo + 1)[0]  # "Hizb-i-Islami leader": the whole hyphenated name
            if lo < e.start and any(t.pos_ in ("NOUN", "PROPN") for t in self.doc[lo:e.start]):
                self._add_role(aid, lo, e.start)
            for c in root.children:
                if c.dep_ == "appos" and c.i > root.i and c.pos_ in ("NOUN", "PROPN") and c.ent_type_ != "PERSON":
                    lo, hi = c.left_edge.i, c.right_edge.i + 1
                    while lo < hi and (self.doc[lo].dep_ == "det" or self.doc[lo].is_punct):
                        lo += 1
                    self._add_role(aid, lo, hi)
            if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < root.i:
                h = root.head
                lo = h.left_edge.i
                while lo < h.i and (self.doc[lo].dep_ == "det" or self.doc[lo].is_punct):
                    lo += 1
                self._add_role(aid, lo, root.left_edge.i)

    def _add_role(self, aid: str, lo: int, hi: int) -> None:
        doc = self.doc
        while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
            hi -= 1
        if hi <= lo or hi - lo > 14:
            return
        title = doc[lo:hi].text
        if title.lower().rstrip(".") in ("mr", "mrs", "ms", "dr") or "\n" in title:
            return
        actor = self.actors[aid]
        # a named body in the title ("provincial council in Herat") before any name inside it ("Herat")
        org = self._role_body(lo, hi)
        for i in range(lo, hi):
            other = self.tok.get(i)
            if other and other != aid and self.actors[other].type is not ActorType.PERSON:
                org = org or other
        if not any(t.pos_ == "NOUN" or t.lower_ in TITLES for t in doc[lo:hi]):
            return  # 'Afghanistan' alone is no title
        if org is None and hi - lo >= 2 and doc[hi - 1].pos_ == "NOUN" and (
            any(t.pos_ == "PROPN" for t in doc[lo:hi - 1])
            and not any(t.ent_type_ in ("PERSON", "GPE", "NORP", "DATE") for t in doc[lo:hi - 1])
        ):  # "Hizb-i-Islami leader": the name before the title is the organisation
            org = self._ensure(normalise(doc[lo:hi - 1].text), ActorType.ORGANISATION)
        if any(r.title == title for r in actor.roles):
            return
        role_words = {t.lower_ for t in doc[lo:hi]}
        if aid not in self.gender and role_words & FEMALE_NOUNS:
            self.gender[aid] = "f"
        elif aid not in self.gender and role_words & MALE_NOUNS:
            self.gender[aid] = "m"
        actor.roles.append(Role(title=title, organisation=org))
        if org:
            self.used.add(org)
            if org not in actor.affiliations:
                actor.affiliations.append(org)

    def _role_body(self, lo: int, hi: int) -> str | None:
        """The body a role belongs to: 'head of the provincial council in Jawzjan' -> Jawzjan provincial council.

        Only a body anchored by a name (a place or name after 'in'/'of', or before the noun) gets an
        actor: "the provincial council" alone would merge every article's council into one id.
        """
        doc = self.doc
        for n in doc[lo:hi]:
            if n.lemma_.lower() not in ROLE_ORG_NOUNS or n.pos_ != "NOUN":
                continue
            mods = [c for c in n.lefts if c.dep_ in ("amod", "compound") and c.i >= lo]
            places = [o for c in n.rights if c.dep_ == "prep" and c.lower_ in ("in", "of") and c.i < hi
                      for o in c.children if o.dep_ == "pobj" and o.pos_ == "PROPN" and o.i < hi]
            named = [c for c in mods if c.pos_ == "PROPN"]
            if not places and not named:
                continue
            words = [places[0].text] if places else []
            words += [c.text for c in mods] + [n.text]
            return self._ensure(normalise(" ".join(words)), self._org_type(" ".join(words)))
        return None

    # -- resolution --------------------------------------------------------------------------
    def nearest(self, before: int, want: Callable[[Actor], bool], limit: int = 80) -> str | None:
        """The actor of the closest mention before token `before`, outside quotations, that fits."""
        k = bisect_left(self.timeline, (before, ""))
        steps = 0
        while k > 0 and steps < limit:
            k -= 1
            steps += 1
            i, aid = self.timeline[k]
            if self.in_quote(self.doc[i].idx):
                continue
            if want(self.actors[aid]):
                return aid
        return None

    def _pronoun_fit(self, low: str) -> Callable[[Actor], bool]:
        """he/she: a person of a fitting gender; they: a group or collective; it: an organisation."""
        if low in HE:
            return lambda a: a.type is ActorType.PERSON and self.fits_pronoun(a.id, low)
        if low in THEY:
            return lambda a: a.type is not ActorType.PERSON
        return lambda a: a.type not in (ActorType.PERSON, ActorType.COLLECTIVE) and (
            a.type is not ActorType.UNNAMED_SOURCE or a.id in self._documents)

    def _antecedent(self, tok: Token, want: Callable[[Actor], bool], sentences: int = 4) -> str | None:
        """The actor a pronoun outside quotations stands for.

        The nearest sentence (this one, then back up to `sentences`) naming a fitting actor decides;
        in it a subject wins over an object or addressee ("X told Y that he..." is X), then the
        closest mention. Past that window: the nearest fitting actor.
        """
        k = bisect_left(self.timeline, (tok.i, ""))
        here = self._sent[tok.i]
        found: str | None = None
        found_sent = -1
        steps = 0
        while k > 0 and steps < 80:
            k -= 1
            steps += 1
            i, aid = self.timeline[k]
            sent = self._sent[i]
            if here - sent > sentences or (found is not None and sent != found_sent):
                break
            if self.in_quote(self.doc[i].idx) or not want(self.actors[aid]):
                continue
            if i in self._subjects:
                return aid
            if found is None:
                found, found_sent = aid, sent
        return found or self.nearest(tok.i, want)

    def country_of(self, tok: Token) -> Country | None:
        return self._countries.get(tok.text) or self._countries.get(tok.text.rstrip("s"))

    def resolve(self, tok: Token, *, create: bool = True, loose: bool = False) -> str | None:
        """The actor a noun phrase with head `tok` stands for (None when it is not an actor)."""
        aid = self._resolve(tok, create=create, loose=loose)
        if aid is not None and not create and self.actors[aid].type is ActorType.UNNAMED_SOURCE \
                and not self.actors[aid].affiliations:
            return None  # an unnamed source speaks; it is no party to a relation
        if aid is not None:
            self.used.add(aid)
            if tok.i not in self.tok:
                lo, hi = self._np_bounds(tok)
                self._mention(aid, lo, hi, alias=tok.pos_ == "PROPN")
        return aid

    def resolve_many(self, tok: Token) -> list[str]:
        """The actors of a speaker phrase: 'Outfits like the Taliban and IS' are the Taliban and IS."""
        for c in tok.children:
            if c.dep_ == "prep" and (c.lower_ in ("like", "including") or (
                    c.lower_ == "as" and c.i > 0 and self.doc[c.i - 1].lower_ == "such")):
                objs = [o for o in c.children if o.dep_ == "pobj"]
                objs += [x for o in objs for x in o.conjuncts if x.i > o.i]
                named = [aid for o in objs if (aid := self.resolve(o, create=False))]
                if named:
                    return list(dict.fromkeys(named))
        aid = self.resolve(tok)
        return [aid] if aid else []

    def unnamed(self, description: str, *, document: bool = False, affiliation: str | None = None,
                collective: bool = False) -> str:
        """An unnamed source of this article: id ``unnamed.<source id>.<description>``.

        Scoped to the article on purpose: "officials" of one article and of another are not one
        actor, and a named-looking global id would merge them in the graph.
        """
        desc = slugify(description) if description else "source"
        aid = f"unnamed.{self.scope}.{desc}" if self.scope else f"unnamed.{desc}"
        if aid not in self.actors:
            name = "unnamed sources" if description == "sources" else description or "unnamed source"
            # a described group ("local officials") is a collective; a source or document is unnamed
            typ = ActorType.COLLECTIVE if collective else ActorType.UNNAMED_SOURCE
            self.actors[aid] = Actor(id=aid, name=name, type=typ)
        if document:
            self._documents.add(aid)
        if affiliation and affiliation not in self.actors[aid].affiliations:
            self.actors[aid].affiliations.append(affiliation)
            self.used.add(affiliation)
        return aid

    def fallback(self, tok: Token | None, cue: int | None = None) -> str:
        """The speaker when nothing named resolves: an unnamed source described by the phrase.

        A speaker phrase inside page furniture ("<gallery heading> <caption title> Last week, the
        Taliban announced") is the parse running the heading into the sentence: the actor named
        last before the cue, in its sentence and outside quotations, speaks.
        """
        if cue is not None and (tok is None or self.is_furniture(tok.left_edge.idx)):
            named = [(i, aid) for i in range(cue - 1, self.doc[cue].sent.start - 1, -1)
                     if (aid := self.tok.get(i)) and not self.in_quote(self.doc[i].idx)
                     and not self.is_furniture(self.doc[i].idx)]
            subjects = [aid for i, aid in named if i in self._subjects or self.doc[i].dep_ in SUBJECT_DEPS]
            if named:  # a subject first ("... US President Donald Trump unveiled ..., vowing")
                aid = (subjects or [named[0][1]])[0]
                self.used.add(aid)
                return aid
        if tok is None or tok.pos_ in ("PRON", "DET", "NUM", "PUNCT", "SYM", "X") or not tok.is_alpha:
            aid = self.unnamed("sources")
        else:
            lo, hi = self._np_bounds(tok)
            desc = " ".join(t.lower_ for t in self.doc[lo:hi]
                            if t.dep_ not in ("det", "poss", "predet", "case") and not t.is_punct)
            aid = self.unnamed(desc or tok.lower_, document=tok.lemma_.lower() in DOCUMENT_NOUNS)
        self.used.add(aid)
        if tok is not None and tok.i not in self.tok:
            lo, hi = self._np_bounds(tok)
            self._mention(aid, lo, hi, alias=False)
        return aid

    def _np_bounds(self, tok: Token) -> tuple[int, int]:
        lo = min([tok.i] + [c.left_edge.i for c in tok.lefts])
        hi = tok.i + 1
        for c in tok.rights:
            if c.dep_ in ("compound", "flat", "nummod") and c.i == hi:
                hi = c.right_edge.i + 1
        return lo, hi

    def _resolve(self, tok: Token, *, create: bool, loose: bool) -> str | None:
        if tok.i in self.tok:
            return self.tok[tok.i]
        if tok.pos_ == "NOUN":
            # "the Democratic candidate Hillary Clinton": the name in apposition is who the noun is
            for c in tok.children:
                if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i in self.tok:
                    return self.tok[c.i]
        low = tok.lower_
        if low in HE | THEY | IT:
            want = self._pronoun_fit(low)
            if self.in_quote(tok.idx):
                # inside a quotation only an antecedent in the same sentence is safe
                for i in range(tok.i - 1, tok.sent.start - 1, -1):
                    aid = self.tok.get(i)
                    if aid and want(self.actors[aid]):
                        return aid
                return None
            if low in IT and not (loose or create):
                return None
            return self._antecedent(tok, want)
        if low in SOURCE_WORDS and create and tok.pos_ in ("PRON", "DET", "ADJ"):
            return self.unnamed("sources")  # "some say", "others argue"
        if low in RELATIVE and tok.head.dep_ == "relcl" and tok.head.head.i != tok.i:
            return self._resolve(tok.head.head, create=create, loose=loose)  # "X, who said": X
        if tok.pos_ in ("PRON", "NUM", "DET") or low in RELATIVE:
            return None
        lemma = tok.lemma_.lower()
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod")]
        mod_actor = next((self.tok[c.i] for c in mods if c.i in self.tok), None)
        if mod_actor is None:  # "his surrogates", "their spokesman": the possessor the pronoun stands for
            mod_actor = next((a for c in mods if c.dep_ == "poss" and c.lower_ in HE | THEY | IT
                              and (a := self._resolve(c, create=False, loose=True))), None)
        country = next((cc for c in mods if (cc := self.country_of(c))), None)
        if country is None and lemma in GOV_NOUNS:  # "the government in Kabul"
            country = next((cc for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                            for o in c.children if o.dep_ == "pobj" and (cc := self.country_of(o))), None)
        if country is None and mod_actor and self.actors[mod_actor].type is ActorType.STATE:
            country = self._countries.get(self.actors[mod_actor].name)
        if lemma in MEMBER_NOUNS and mod_actor and self.actors[mod_actor].type is not ActorType.STATE:
            return mod_actor
        if country is not None:
            adj = country.demonyms[0]
            if lemma in FORCE_NOUNS or any(c.lemma_.lower() in FORCE_NOUNS for c in mods):
                # forces serve the government the article names, else the state itself ("US forces")
                named = {d.lower() for d in country.demonyms} | {country.name.lower()}
                gov = self._ensure(f"{adj} government", ActorType.GOVERNMENT) if named & self._named_govs \
                    else self._ensure(country.name, ActorType.STATE)
                return self._affiliated(f"{adj} security forces", ActorType.GOVERNMENT_AGENCY, gov)
            if lemma in GOV_NOUNS:
                return self._ensure(f"{adj} government", ActorType.GOVERNMENT)
            if lemma in OFFICIAL_NOUNS:
                gov = self._ensure(f"{adj} government", ActorType.GOVERNMENT)
                return self._affiliated(f"{adj} officials", ActorType.COLLECTIVE, gov)
        if lemma in GOV_NOUNS and not mods:
            return self._described(tok, lambda a: a.type is ActorType.GOVERNMENT)
        if lemma in GROUP_NOUNS and not mod_actor:
            found = self._described(tok, lambda a: a.type is ActorType.ARMED_GROUP)
            if found:
                return found
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            found = self._by_role(tok)
            if found:
                return found
        if loose and mod_actor:
            return mod_actor
        if not create:
            return None
        if tok.pos_ == "PROPN":
            lo, hi = self._np_bounds(tok)
            words = [t.text for t in self.doc[lo:hi] if t.dep_ != "det" and not t.is_punct]
            bare = words
            while bare and bare[0].lower().rstrip(".") in {w.rstrip(".") for w in TITLES}:
                bare = bare[1:]
            words = bare or words[-1:]  # "Mr. King": the title word is the name
            if not words:
                return None
            if len(words) == 1 and (s := self._surname(words[0], tok.i)):
                return s
            name = normalise(" ".join(words))
            typ = ActorType.PERSON if tok.ent_type_ == "PERSON" else self._org_type(name)
            return self._ensure(name, typ)
        if tok.pos_ == "NOUN":
            lo, hi = self._np_bounds(tok)
            words = [t for t in self.doc[lo:hi]
                     if t.dep_ not in ("det", "poss", "predet", "case") and not t.is_punct]
            if not words:
                words = [tok]
            if lemma in DOCUMENT_NOUNS:
                # a document speaks for its author ("Ivana Trump's brief"); else it is an unnamed source
                return mod_actor or self.unnamed(" ".join(t.lower_ for t in words), document=True)
            if not is_human(tok):
                return None
            if mod_actor:  # "Trump's son", "his surrogates": unnamed, affiliated with the possessor
                owner = self.actors[mod_actor].name
                rest = " ".join(t.lower_ for t in words if t.i not in self.tok)
                return self.unnamed(f"{owner} {rest}" if rest else owner, affiliation=mod_actor)
            if any(t.pos_ == "PROPN" for t in words):
                # anchored to a name ("Republican lawmakers"): a class of people, one id everywhere
                return self._ensure(" ".join(t.text for t in words), ActorType.COLLECTIVE)
            if lemma in SOURCE_WORDS or tok.lower_ in SOURCE_WORDS:
                return self.unnamed("sources")  # "a source", "independent analysts": the article's sources
            return self.unnamed(" ".join(t.lower_ for t in words), collective=True)
        return None

    def _described(self, tok: Token, want: Callable[[Actor], bool]) -> str | None:
        """'the government', 'the insurgents': the fitting actor named last (same sentence first)."""
        if self.in_quote(tok.idx):
            for i in range(tok.i - 1, tok.sent.start - 1, -1):
                aid = self.tok.get(i)
                if aid and want(self.actors[aid]):
                    return aid
        return self.nearest(tok.i, want, limit=400)

    def _affiliated(self, name: str, typ: ActorType, org: str) -> str:
        aid = self._ensure(name, typ)
        if org not in self.actors[aid].affiliations:
            self.actors[aid].affiliations.append(org)
        self.used.add(org)
        return aid

    def _by_role(self, tok: Token) -> str | None:
        words = {t.lower_ for t in tok.subtree if t.is_alpha and t.dep_ not in ("det", "prep", "cc")}
        words -= {"of", "the", "in", "for"}
        if len(words) < 1:
            return None
        best: str | None = None
        for aid, actor in self.actors.items():
            if actor.type is not ActorType.PERSON or not actor.roles:
                continue
            for r in actor.roles:
                rw = {w.lower() for w in re.findall(r"[\w-]+", r.title)}
                if tok.lower_ in rw and words <= rw:
                    best = aid
        return best

    def principal(self, aid: str) -> str:
        """The body a collective speaks for in a relation ('Afghan officials' -> Afghan government)."""
        a = self.actors[aid]
        if a.type is ActorType.COLLECTIVE and a.affiliations:
            return a.affiliations[0]
        return aid

    def output(self, keep: set[str]) -> list[Actor]:
        """The actors worth a node: used by a statement, relation or role, people, repeated names."""
        out = []
        wanted = self.used | keep
        changed = True
        while changed:  # affiliations and role organisations of kept actors are kept too
            changed = False
            for aid in list(wanted):
                a = self.actors[aid]
                for ref in a.affiliations + [r.organisation for r in a.roles if r.organisation]:
                    if ref not in wanted:
                        wanted.add(ref)
                        changed = True
        heads = {aid for i, aid in self.timeline if self.doc[i].dep_ not in ("compound", "amod")}
        for aid, a in self.actors.items():
            salient = (a.type is ActorType.PERSON and aid in heads) or (
                a.type is not ActorType.STATE and len(a.mentions) >= 2
            )
            if aid in wanted or salient:
                a.mentions.sort(key=lambda s: s.start)
                out.append(a)
        return out
