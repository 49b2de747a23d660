"""A seeded synthetic corpus in the claimgraph ontology, with the shape of real annotated news.

    python bench/gen.py --triples 1000000 --seed 1 -o corpus.nq

or, as a library (bench/ is not a package; put it on sys.path):

    from gen import iter_documents
    for doc in iter_documents(1_000_000, seed=1): ...

What it looks like: articles from a dozen publishers over 2015-2024, each a few thousand
characters of generated prose with statements whose quotes (40-400 characters) sit at exact
offsets; speakers, recipients and the actors a claim concerns are drawn with Zipf-like
popularity, so a few hubs carry a large share (tens of thousands of statements at 10M triples);
claims come from a shared pool, so the same claim id is asserted in one article and denied in
another; relations between actors carry narration evidence, and some claims propose them.

Everything derives from the seed (and the triple budget, which sizes the pools): the same
arguments give the same bytes. The N-Quads output goes through `claimgraph.rdf.mapper.to_triples`
and `nquads`, one named graph per article, so it is exactly what ingest writes; it is streamed
article by article, so 10M triples never sit in memory at once.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TextIO

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
    relation_id,
)
from claimgraph.rdf.mapper import graph_iri, nquads, to_triples

TRIPLES_PER_ARTICLE = 640
"""Rough mean, used only to size the actor and claim pools from the triple budget."""

_FIRST = ["Amina", "Yonus", "Maria", "Ahmad", "Li", "Olga", "Samuel", "Fatima", "Jean", "Kofi", "Elena",
          "Tariq", "Nadia", "Pedro", "Hana", "Viktor", "Aisha", "Jonas", "Mariam", "Rahul", "Zoë", "Émile",
          "Sofia", "Karim", "Ngozi", "Mehmet", "Leila", "Daniel", "Ines", "Omar", "Chen", "Anja", "Yusuf"]
_LAST = ["Rahimi", "Fakur", "Okafor", "Haddad", "Novak", "Mensah", "Petrov", "Silva", "Karimi", "Duarte",
         "Müller", "Nguyen", "Hosseini", "Osei", "Kowalski", "Ibrahim", "Santos", "Yilmaz", "Dubois",
         "Mwangi", "Lindqvist", "Farouk", "Morales", "Hakimi", "Sato", "Orlov", "Nasser", "Achebe"]
_PLACES = ["Jawzjan", "Kunduz", "Mosul", "Aleppo", "Donetsk", "Tigray", "Sahel", "Darfur", "Idlib", "Kherson",
           "Marawi", "Cabo Delgado", "Goma", "Benghazi", "Helmand", "Nangarhar", "Raqqa", "Borno", "Sanaa"]
_GROUP = ["Front", "Movement", "Brigades", "Army", "Council", "Alliance", "Militia", "Coalition"]
_GROUP_ADJ = ["Liberation", "Popular", "National", "Islamic", "Democratic", "Revolutionary", "United",
              "Patriotic", "Free", "Northern", "Southern", "People's"]
_ORG = ["Human Rights Watch Office", "Relief Agency", "Institute for Peace", "Refugee Council",
        "Monitoring Group", "Red Crescent Society", "Observatory", "Crisis Committee"]
_AGENCY = ["Ministry of Defence", "Ministry of Interior", "Police", "Security Forces", "Intelligence Service",
           "Border Guard", "Army Command"]
_TITLES = ["spokesman", "commander", "governor", "minister", "analyst", "director", "deputy chief",
           "senior official", "researcher", "adviser"]
_PUBLISHERS = ["Deutsche Welle", "Daily Courier", "Global Wire", "The Northern Times", "Radio Horizon",
               "Le Quotidien", "Frontier Post", "Eastern Herald", "Weekly Observer", "Al Nahar Online",
               "Pacific Ledger", "Continental News"]
_CUES: dict[Stance, list[str]] = {
    Stance.ASSERTS: ["said", "stated", "told", "explained", "added"],
    Stance.CLAIMS: ["claimed", "insisted", "maintained"],
    Stance.ALLEGES: ["alleged", "accused"],
    Stance.CONFIRMS: ["confirmed", "acknowledged"],
    Stance.WELCOMES: ["welcomed", "praised"],
    Stance.WARNS: ["warned", "cautioned"],
    Stance.DENIES: ["denied", "dismissed"],
    Stance.REJECTS: ["rejected", "refuted"],
    Stance.QUESTIONS: ["questioned", "doubted"],
}
_KINDS = [ActorType.PERSON, ActorType.ARMED_GROUP, ActorType.GOVERNMENT_AGENCY, ActorType.ORGANISATION,
          ActorType.GOVERNMENT, ActorType.STATE, ActorType.COLLECTIVE]
_KIND_W = [50, 18, 12, 10, 5, 3, 2]
_STANCES = list(_CUES)
_PUBLISHER_CUM = list(accumulate(1.0 / (r ** 0.8) for r in range(1, len(_PUBLISHERS) + 1)))
_STANCE_W = [30, 14, 8, 8, 3, 5, 18, 8, 6]  # denials are common: that is what makes claims contested
_NOUNS = ["fighters", "forces", "civilians", "villages", "talks", "ceasefire", "offensive", "convoy",
          "checkpoint", "district", "agreement", "elections", "refugees", "supplies", "weapons",
          "negotiators", "border", "airstrike", "prisoners", "camp", "council", "province", "militants"]
_VERBS = ["attacked", "captured", "withdrew from", "surrounded", "negotiated with", "supplied", "supported",
          "abandoned", "reinforced", "evacuated", "shelled", "occupied", "secured", "blocked", "freed"]
_ADJ = ["heavy", "fresh", "renewed", "brief", "intense", "unexpected", "limited", "serious", "sporadic",
        "fierce", "long", "fragile", "secret", "recent"]
_TIMES = ["on Monday", "last week", "over the weekend", "in recent months", "since last year",
          "during the night", "earlier this month", "on Thursday", "in the past two days"]
_FILLER = [
    "The situation in {place} remains tense, according to residents.",
    "Independent verification of the reports was not possible.",
    "Aid organisations say thousands of families have fled {place} {time}.",
    "The region has seen {adj} fighting {time}.",
    "Local journalists described {adj} clashes near the main road to {place}.",
    "Roads into {place} were closed {time}, witnesses said.",
    "Diplomats expect {adj} talks to resume {time}.",
]
_REL_PHRASE: dict[RelationType, str] = {
    RelationType.RIVALRY: "{a} and {b} have been bitter rivals in {place} {time}.",
    RelationType.OPPOSITION: "{a} openly opposes {b}.",
    RelationType.ATTACK: "{a} attacked positions held by {b} in {place} {time}.",
    RelationType.ACCUSATION: "{a} has repeatedly accused {b} of violating the agreement.",
    RelationType.ALLIANCE: "{a} and {b} formed an alliance in {place} {time}.",
    RelationType.COOPERATION: "{a} and {b} have cooperated closely {time}.",
    RelationType.TACIT_COOPERATION: "{a} and {b} appear to have tolerated each other in {place}.",
    RelationType.SUPPORT: "{a} has provided support to {b} {time}.",
    RelationType.SURRENDER: "Members of {a} surrendered to {b} in {place} {time}.",
    RelationType.NEGOTIATION: "{a} and {b} held negotiations in {place} {time}.",
}
_REL_TYPES = list(_REL_PHRASE)
_CLAIM_TEXT: dict[RelationType, str] = {
    RelationType.RIVALRY: "{a} and {b} are rivals in {place}",
    RelationType.OPPOSITION: "{a} opposes {b}",
    RelationType.ATTACK: "{a} attacked {b} in {place}",
    RelationType.ACCUSATION: "{a} accuses {b} of breaking the ceasefire",
    RelationType.ALLIANCE: "{a} is allied with {b}",
    RelationType.COOPERATION: "{a} cooperates with {b} in {place}",
    RelationType.TACIT_COOPERATION: "{a} tacitly cooperates with {b}",
    RelationType.SUPPORT: "{a} supports {b} with weapons and money",
    RelationType.SURRENDER: "Fighters of {a} surrendered to {b} in {place}",
    RelationType.NEGOTIATION: "{a} is negotiating with {b}",
}


def _zipf_cum(n: int, s: float = 1.1) -> list[float]:
    return list(accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


def _pick(rng: random.Random, cum: list[float]) -> int:
    return bisect_left(cum, rng.random() * cum[-1])


@dataclass(slots=True)
class _ClaimSpec:
    claim: Claim
    relation: tuple[RelationType, int, int] | None  # type, actor rank, counterpart rank


@dataclass(slots=True)
class _World:
    """The pools shared by all articles: actors (by popularity rank), publishers and claims."""

    seed: int
    n_actors: int
    n_claims: int
    n_articles: int
    actor_cum: list[float] = field(default_factory=list)
    claim_cum: list[float] = field(default_factory=list)
    _actors: dict[int, Actor] = field(default_factory=dict)
    _claims: dict[int, _ClaimSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.actor_cum = _zipf_cum(self.n_actors)
        self.claim_cum = _zipf_cum(self.n_claims, 0.9)

    # Each actor and claim has its own RNG seeded from (seed, kind, rank), so its description is
    # the same in every article that mentions it, whatever order articles are generated in.
    def actor(self, rank: int) -> Actor:
        a = self._actors.get(rank)
        if a is not None:
            return a
        rng = random.Random(f"{self.seed}/actor/{rank}")
        kind = self.kind(rank)
        place = rng.choice(_PLACES)
        aliases: list[str] = []
        if kind is ActorType.PERSON:
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            name = f"{first} {last}"
            aliases = [last]
        elif kind is ActorType.ARMED_GROUP:
            words = [rng.choice(_GROUP_ADJ), rng.choice(_GROUP)]
            name = f"{words[0]} {words[1]} of {place}"
            aliases = ["".join(w[0] for w in name.split() if w[0].isupper())]
        elif kind is ActorType.GOVERNMENT_AGENCY:
            name = f"{place} {rng.choice(_AGENCY)}"
        elif kind is ActorType.ORGANISATION:
            name = f"{place} {rng.choice(_ORG)}"
        elif kind is ActorType.GOVERNMENT:
            name = f"Government of {place}"
            aliases = [f"the government in {place}"]
        elif kind is ActorType.STATE:
            name = f"Republic of {place}"
        else:
            name = f"Residents of {place}"
        actor = Actor(id=f"{_slug(name)}-{rank}", name=name, type=kind, aliases=aliases)
        if kind is ActorType.PERSON and rng.random() < 0.6:
            org_rank = self._org_rank(rng)
            if org_rank is not None:
                actor.roles = [Role(rng.choice(_TITLES), self.actor(org_rank).id)]
                actor.affiliations = [self.actor(org_rank).id]
        self._actors[rank] = actor
        return actor

    def kind(self, rank: int) -> ActorType:
        rng = random.Random(f"{self.seed}/kind/{rank}")
        return rng.choices(_KINDS, _KIND_W)[0]

    def _org_rank(self, rng: random.Random) -> int | None:
        # people speak for the organisations of the popular end (never for another person)
        for _ in range(8):
            org = rng.randrange(min(self.n_actors, 200))
            if self.kind(org) is not ActorType.PERSON:
                return org
        return None

    def org_of(self, actor: Actor) -> list[int]:
        return [int(ref.rsplit("-", 1)[1]) for ref in actor.affiliations]

    def claim(self, rank: int) -> _ClaimSpec:
        c = self._claims.get(rank)
        if c is not None:
            return c
        rng = random.Random(f"{self.seed}/claim/{rank}")
        a = _pick(rng, self.actor_cum)
        b = _pick(rng, self.actor_cum)
        while b == a:
            b = rng.randrange(self.n_actors)
        place = rng.choice(_PLACES)
        rel: tuple[RelationType, int, int] | None = None
        if rng.random() < 0.4:
            rt = rng.choice(_REL_TYPES)
            rel = (rt, a, b)
            text = _CLAIM_TEXT[rt].format(a=self.actor(a).name, b=self.actor(b).name, place=place)
            rid: str | None = relation_id(rt, self.actor(a).id, self.actor(b).id)
        else:
            text = (f"{self.actor(a).name} {rng.choice(_VERBS)} {rng.choice(_ADJ)} "
                    f"{rng.choice(_NOUNS)} in {place} {rng.choice(_TIMES)}")
            rid = None
        concerns = [self.actor(a).id, self.actor(b).id] if rel or rng.random() < 0.5 else [self.actor(a).id]
        spec = _ClaimSpec(Claim(id=f"claim-{rank}-{_slug(text, 40)}", text=text, relation=rid,
                                concerns=concerns), rel)
        self._claims[rank] = spec
        return spec


def _slug(text: str, max_len: int = 48) -> str:
    from claimgraph.model import slugify

    return slugify(text, max_len)


class _Text:
    """An article text being written, handing out exact spans for what it appends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, s: str) -> Span:
        span = Span(self.pos, self.pos + len(s), s)
        self.parts.append(s)
        self.pos += len(s)
        return span

    def since(self, start: int) -> str:
        out: list[str] = []
        pos = self.pos
        for part in reversed(self.parts):
            if pos <= start:
                break
            out.append(part)
            pos -= len(part)
        return "".join(reversed(out))[start - pos:]

    def value(self) -> str:
        return "".join(self.parts)


def _clause(rng: random.Random) -> str:
    return (f"the {rng.choice(_ADJ)} {rng.choice(_NOUNS)} {rng.choice(_VERBS)} the {rng.choice(_NOUNS)} "
            f"in {rng.choice(_PLACES)} {rng.choice(_TIMES)}")


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    """Prose of about lo..hi characters, sentence-shaped."""
    target = rng.randint(lo, hi)
    s = _clause(rng)
    while len(s) < target:
        s += rng.choice((", and ", " while ", ", after ", " because ")) + _clause(rng)
    return s[0].upper() + s[1:]


def _quote(rng: random.Random) -> str:
    # quote lengths are skewed like real ones: mostly one sentence, sometimes three
    n = rng.choices([1, 2, 3], [60, 30, 10])[0]
    return ". ".join(_sentence(rng, 30, 140) for _ in range(n))


def _document(world: _World, rng: random.Random, index: int) -> Document:
    pub_name = _PUBLISHERS[_pick(rng, _PUBLISHER_CUM)]
    publisher = Actor(id=_slug(pub_name), name=pub_name, type=ActorType.MEDIA)
    year = 2015 + index * 10 // world.n_articles  # the corpus runs forward in time
    date = f"{min(year, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    place = rng.choice(_PLACES)
    sid = f"{publisher.id}-{index:07d}"
    title = f"{rng.choice(_ADJ).capitalize()} {rng.choice(_NOUNS)} reported in {place}"

    actors: dict[str, Actor] = {publisher.id: publisher}
    claims: dict[str, Claim] = {}
    relations: dict[str, Relation] = {}
    statements: list[Statement] = []
    mentioned: set[str] = set()
    t = _Text()

    def use(rank: int) -> Actor:
        a = world.actor(rank)
        if a.id not in actors:
            actors[a.id] = Actor(id=a.id, name=a.name, type=a.type, aliases=list(a.aliases),
                                 roles=list(a.roles), affiliations=list(a.affiliations))
            for org in world.org_of(a):
                use(org)
        return actors[a.id]

    def mention(a: Actor, span: Span) -> None:
        if a.id not in mentioned:  # the first mention of each actor is annotated, as annotators do
            mentioned.add(a.id)
            a.mentions.append(span)

    def add_relation(rt: RelationType, ra: int, rb: int, evidence: bool) -> str:
        a, b = use(ra), use(rb)
        rid = relation_id(rt, a.id, b.id)
        rel = relations.setdefault(rid, Relation(rt, a.id, b.id))
        if evidence:
            phrase = _REL_PHRASE[rt].format(a="{a}", b="{b}", place=place, time=rng.choice(_TIMES))
            start = t.pos
            for piece in re.split(r"(\{a\}|\{b\})", phrase):
                if piece == "{a}":
                    mention(a, t.add(a.name))
                elif piece == "{b}":
                    mention(b, t.add(b.name))
                elif piece:
                    t.add(piece)
            rel.evidence.append(Span(start, t.pos, t.since(start)))
            t.add(" ")
        return rid

    t.add(f"{title}\n\n")
    for _ in range(rng.randint(1, 2)):
        t.add(_FILLER[rng.randrange(len(_FILLER))].format(place=place, time=rng.choice(_TIMES),
                                                         adj=rng.choice(_ADJ)) + " ")
    n_statements = rng.choices(range(3, 17), [1 + (i < 6) * 3 for i in range(14)])[0]
    for k in range(n_statements):
        if k % 3 == 0:
            t.add("\n\n")
        for _ in range(rng.choices([0, 1, 2], [40, 40, 20])[0]):
            t.add(_sentence(rng, 60, 200) + ". ")
        if rng.random() < 0.25:
            spec = world.claim(_pick(rng, world.claim_cum))
            if spec.relation:
                add_relation(*spec.relation, evidence=True)
        speaker = use(_pick(rng, world.actor_cum))
        stance = rng.choices(_STANCES, _STANCE_W)[0]
        about: list[str] = []
        for _ in range(rng.choices([0, 1, 2], [15, 70, 15])[0]):
            spec = world.claim(_pick(rng, world.claim_cum))
            c = spec.claim
            for ref in c.concerns:
                use(int(ref.rsplit("-", 1)[1]))
            if spec.relation:
                add_relation(*spec.relation, evidence=False)
            claims[c.id] = c
            if c.id not in about:
                about.append(c.id)
        recipient = publisher.id if rng.random() < 0.3 else None
        cue_word = rng.choice(_CUES[stance])
        kind = rng.choices([StatementKind.DIRECT, StatementKind.INDIRECT, StatementKind.MIXED], [55, 35, 10])[0]
        quote_text = _quote(rng)
        first = speaker.id not in mentioned
        role = (f", {speaker.roles[0].title} of {actors[speaker.affiliations[0]].name},"
                if speaker.roles and first else "")
        if kind is StatementKind.DIRECT:
            t.add("“")
            quote = t.add(quote_text)
            t.add(",” ")
            who = t.add(speaker.name)
            t.add(role + " ")
            cue = t.add(cue_word)
            t.add(f" {rng.choice(_TIMES)}. " if recipient is None else " DW. ")
        else:
            who = t.add(speaker.name)
            t.add(role + " ")
            cue = t.add(cue_word)
            t.add(" that ")
            quote = t.add(quote_text[0].lower() + quote_text[1:])
            t.add(". ")
        mention(speaker, who)
        statements.append(Statement(quote=quote, speakers=[speaker.id], cue=cue, cue_lemma=None,
                                    speaker_mention=who, recipient=recipient, kind=kind, stance=stance,
                                    claims=about))
    if rng.random() < 0.5:
        add_relation(rng.choice(_REL_TYPES), _pick(rng, world.actor_cum), _pick(rng, world.actor_cum) or 1,
                     evidence=True)
    text = t.value().rstrip()
    # a relation between an actor and itself is not something a generator should invent
    rels = [r for r in relations.values() if r.actor != r.counterpart]
    rel_ids = {r.id for r in rels}
    for c in claims.values():
        if c.relation and c.relation not in rel_ids:
            c.relation = None
    source = Source(id=sid, text=text, title=title, publisher=publisher.id,
                    url=f"https://news.example.org/{publisher.id}/{sid}", date=date, method="synthetic")
    return Document(source=source, actors=list(actors.values()), statements=statements,
                    claims=list(claims.values()), relations=rels)


def make_world(n_triples: int, seed: int) -> _World:
    articles = max(1, n_triples // TRIPLES_PER_ARTICLE)
    return _World(seed=seed, n_actors=max(60, int(3 * n_triples ** 0.5)), n_claims=max(20, articles // 2),
                  n_articles=articles)


def iter_documents(n_triples: int, seed: int = 1) -> Iterator[Document]:
    """Documents until their mapped triples reach `n_triples` (counted with `to_triples`)."""
    for doc, _triples in iter_mapped(n_triples, seed):
        yield doc


def iter_mapped(n_triples: int, seed: int = 1) -> Iterator[tuple[Document, list]]:
    """Documents with their triples (`to_triples(doc)`), until the triples reach `n_triples`."""
    world = make_world(n_triples, seed)
    rng = random.Random(seed)
    total = 0
    index = 0
    while total < n_triples:
        doc = _document(world, rng, index)
        triples = to_triples(doc)
        total += len(triples)
        index += 1
        yield doc, triples


def write_nquads(n_triples: int, seed: int, out: TextIO) -> tuple[int, int]:
    """Stream the corpus as N-Quads, one named graph per article; returns (articles, quads)."""
    articles = quads = 0
    for doc, triples in iter_mapped(n_triples, seed):
        out.writelines(nquads(triples, graph_iri(doc.source.id)))
        articles += 1
        quads += len(triples)
    return articles, quads


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="stop once this many triples are written")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, help="N-Quads file (default: stdout)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.output:
        with open(args.output, "w", encoding="utf-8", buffering=1 << 20) as f:
            articles, quads = write_nquads(args.triples, args.seed, f)
    else:
        articles, quads = write_nquads(args.triples, args.seed, sys.stdout)
    print(f"{articles} articles, {quads} quads in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
