"""Actor relations from the parse: a trigger word, its arguments, the actors they stand for.

One pass over the tokens. A trigger is a verb ("oppose", "attack", "surrendered to", "help each
other") or a noun ("the rivalry between X and Y", "air strikes against X", "talks with X", also
after a light verb: "engaged in fighting", "trade accusations", "signed a deal with"), or an idiom
of tacit cooperation ("turn a blind eye to", "give X a free pass"). Its arguments come from the
dependency tree (subject, object, the object of against/to/with/on, "between X and Y", passive
agents); each argument is resolved to actors by `ActorTable` ("IS fighters" -> Islamic State,
"its fighters" -> the group just named). A reciprocal argument ("each other", "the two sides")
takes the pair from the coordinated subject, or is left for the caller to fill from the
speakers of the statement the trigger sits in; so is a missing subject ("claimed to have killed
130 IS fighters": the Taliban did).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import ActorType, RelationType
from .actors import ActorTable
from .lexicon import words

Token = Any
R = RelationType

VERBS: dict[str, RelationType] = {
    **dict.fromkeys(words("attack strike bomb kill target ambush raid shell assault defeat besiege invade "
                    "bombard massacre behead execute capture"), R.ATTACK),
    **dict.fromkeys(words("fight battle clash combat"), R.FIGHTING),
    **dict.fromkeys(words("oppose overthrow resist topple"), R.OPPOSITION),
    **dict.fromkeys(words("rival compete feud vie"), R.RIVALRY),
    **dict.fromkeys(words("harbor harbour shelter"), R.SAFE_HAVEN),
    **dict.fromkeys(words("pressure press pressurize pressurise urge"), R.PRESSURE),
    **dict.fromkeys(words("accuse blame"), R.ACCUSATION),
    **dict.fromkeys(words("ally"), R.ALLIANCE),
    **dict.fromkeys(words("cooperate collaborate coordinate help partner"), R.COOPERATION),
    **dict.fromkeys(words("support back fund finance arm aid assist sponsor endorse"), R.SUPPORT),
    **dict.fromkeys(words("surrender capitulate"), R.SURRENDER),
    **dict.fromkeys(words("negotiate"), R.NEGOTIATION),
}
NOUNS: dict[str, RelationType] = {
    **dict.fromkeys(words("rivalry rival feud hostility enmity competition"), R.RIVALRY),
    **dict.fromkeys(words("clash fighting fight conflict war battle infighting hostilities skirmish combat"),
                    R.FIGHTING),
    **dict.fromkeys(words("attack strike airstrike offensive assault raid bombing operation "
                    "crackdown"), R.ATTACK),
    **dict.fromkeys(words("opposition"), R.OPPOSITION),
    **dict.fromkeys(words("accusation allegation"), R.ACCUSATION),
    **dict.fromkeys(words("alliance coalition pact"), R.ALLIANCE),
    **dict.fromkeys(words("cooperation collaboration coordination partnership collusion"), R.COOPERATION),
    **dict.fromkeys(words("support backing aid assistance sponsorship"), R.SUPPORT),
    **dict.fromkeys(words("surrender"), R.SURRENDER),
    **dict.fromkeys(words("talk negotiation deal agreement treaty dialogue ceasefire truce"), R.NEGOTIATION),
    **dict.fromkeys(words("haven sanctuary"), R.SAFE_HAVEN),
}
# taking territory: "captured X from Y", "seized", "took control of ... from Y"
CAPTURE_VERBS = words("capture seize take retake recapture wrest grab conquer overrun")
# offers of peace: the noun, and what makes it one ("an offer of peace talks", "peace overtures")
OFFER_NOUNS = words("offer overture overtures proposal proposals invitation")
PEACE_WORDS = words("peace talk talks negotiation negotiations truce ceasefire dialogue reconciliation")
REFUSE_VERBS = words("reject dismiss rebuff refuse spurn decline snub")
# a pledge or intent ("we will fight them") is one side's act, not an exchange of fire
INTENT_AUX = words("will would shall 'll going")
# verbs that relate the members of a coordinated subject ("X and Y fought")
SYMMETRIC_VERBS = words("fight battle clash combat compete feud rival vie cooperate collaborate negotiate "
                            "coordinate partner ally")
# a noun trigger whose actor is the subject of one of these ("engaged in fighting")
LIGHT = words("engage launch carry conduct stage wage hold sign trade start mount make "
                  "have seek offer resume continue step open reach strike")
# nouns of war with "against X" / "on X" are attacks by the subject on X
WAR_NOUNS = words("war fight fighting battle offensive campaign")
OBJ_PREPS = frozenset({"against", "on", "to", "with", "from", "at", "into"})
RECIPROCAL = frozenset({"other", "another", "side", "sides", "both"})
QUANTIFIERS = ("NUM", "DET", "PRON", "ADJ")
FIRST_PERSON = frozenset({"we", "us", "i", "me", "our", "my"})
GROUPS = frozenset({ActorType.ARMED_GROUP, ActorType.GOVERNMENT, ActorType.GOVERNMENT_AGENCY, ActorType.STATE,
                    ActorType.ORGANISATION})
GOVERNMENT_NOUNS = words("government regime administration authorities")
SPEAKER = "@speaker"  # stands for the speakers of the statement the relation is stated in
WE = "@we"  # "we": the speakers' organisation when a person speaks for one
MEMBER_NOUNS = words("troops forces men soldiers fighters police officers units militiamen")


@dataclass(slots=True)
class Found:
    """A relation the text states; `actor`/`counterpart` None when only the context can say."""

    type: RelationType
    actors: list[str]
    counterparts: list[str]
    trigger: int  # token index
    span: tuple[int, int]  # character offsets of the evidence
    reciprocal: bool = False
    negated: bool = False
    pair: tuple[str, str] | None = None  # for a reciprocal: the last two actors the text related


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _with_conj(tok: Token) -> list[Token]:
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(k for k in c.children if k.dep_ == "conj")
    return out


def _reciprocal(tok: Token) -> bool:
    low = tok.lower_
    if low in ("other", "another"):
        return any(c.lower_ in ("each", "one") for c in tok.children) or tok.i > 0 and tok.doc[
            tok.i - 1].lower_ in ("each", "one")
    if tok.lemma_.lower() == "side":
        return any(c.lower_ in ("two", "both") for c in tok.children)
    return low in ("them", "both") and tok.dep_ == "pobj" and tok.head.lower_ == "between"


class RelationFinder:
    def __init__(self, doc: Any, table: ActorTable) -> None:
        self.doc = doc
        self.table = table
        self._pair: tuple[str, str] | None = None  # the last two actors related: "the two sides"
        self._offerer: dict[str, str] = {}  # counterpart -> who last offered it peace

    def arg(self, tok: Token) -> list[str]:
        """The actors an argument stands for, coordination included."""
        out: list[str] = []
        for t in _with_conj(tok):
            if t.lower_ in FIRST_PERSON:
                aid: str | None = WE if t.lower_ in ("we", "us", "our") else SPEAKER
            else:
                aid = self._one(t)
                aid = self.table.principal(aid) if aid else None
            if aid and aid not in out:
                out.append(aid)
        return out

    def _one(self, t: Token, depth: int = 0) -> str | None:
        if depth > 2:
            return None
        lemma = t.lemma_.lower()
        if t.pos_ in QUANTIFIERS or lemma in ("member", "fighter", "militant", "part", "some", "many"):
            for p in _children(t, "prep"):
                if p.lower_ == "of":
                    for o in _children(p, "pobj"):
                        found = self._one(o, depth + 1)
                        if found:
                            return found
            for c in _children(t, "poss"):
                found = self.table.resolve(c, create=False, loose=True)
                if found:
                    return found
        if t.pos_ == "NUM":
            return None
        aid = self.table.resolve(t, create=False, loose=True)
        if aid is None and t.pos_ == "PROPN":
            aid = self.table.resolve(t, create=True)
        if aid is None:
            for c in _children(t, "poss", "compound"):
                aid = self.table.resolve(c, create=False, loose=True)
                if aid and lemma in MEMBER_NOUNS and self.table.actors[aid].type is ActorType.PERSON:
                    # "his troops": the force the person commands, not the person
                    org = [r.organisation for r in self.table.actors[aid].roles if r.organisation]
                    aid = (org + self.table.actors[aid].affiliations + [aid])[0]
                if aid is None and c.lower_ in ("its", "their"):
                    # "its fighters": the nearest group named before
                    aid = self.table.nearest(c.i, lambda a: a.type in GROUPS)
                if aid:
                    break
        if aid is None and lemma in GOVERNMENT_NOUNS:
            # "the government in Kabul": the government the place stands for
            for p in _children(t, "prep"):
                if p.lower_ in ("in", "of"):
                    for o in _children(p, "pobj"):
                        x = self.table.resolve(o, create=False, loose=True)
                        if x and self.table.actors[x].type in (ActorType.GOVERNMENT, ActorType.STATE):
                            aid = x
        if aid is not None and self.table.actors[aid].type is ActorType.COLLECTIVE and not (
            self.table.actors[aid].affiliations
        ):
            return None
        return aid

    def find(self) -> list[Found]:
        out: list[Found] = []
        for tok in self.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX"):
                f = self._verb(tok, lemma)
            elif tok.pos_ == "NOUN":
                f = self._noun(tok, lemma)
            else:
                f = None
            for x in f if isinstance(f, list) else [f] if f is not None else []:
                if x.reciprocal and not x.counterparts:
                    x.pair = self._pair  # "the fighting between the two sides": the pair just related
                elif x.actors and x.counterparts and not {SPEAKER, WE} & set(x.actors + x.counterparts):
                    self._pair = (x.actors[0], x.counterparts[0])
                    if x.type is R.PEACE_OFFER:
                        for c in x.counterparts:
                            self._offerer[c] = x.actors[0]
                out.append(x)
        return out

    # -- verbs -------------------------------------------------------------------------------
    def _subjects(self, verb: Token) -> tuple[list[str], Token | None]:
        """Subject actors of a verb, climbing control chains ("were able to defeat", "came and fought")."""
        cur = verb
        for _ in range(4):
            subjs = _children(cur, "nsubj")
            if subjs:
                # a heading glued onto the sentence gives a second subject: take the one naming actors
                for subj in subjs:
                    if subj.lower_ in ("who", "that", "which") and cur.dep_ == "relcl":
                        subj = cur.head
                    found = self.arg(subj)
                    if found:
                        return found, subj
                return [], subjs[0]
            if cur.dep_ not in ("conj", "xcomp", "advcl", "acomp") or cur.head is cur:
                break
            cur = cur.head
        return [], None

    def _objects(self, verb: Token, *extra: Token) -> tuple[list[str], list[Token]]:
        toks: list[Token] = []
        for c in _children(verb, "dobj", "dative", "attr"):
            toks.append(c)
        for p in [*_children(verb, "prep"), *[q for e in extra for q in _children(e, "prep")]]:
            if p.lower_ in OBJ_PREPS:
                toks.extend(_children(p, "pobj"))
        actors: list[str] = []
        for t in toks:
            for a in self.arg(t):
                if a not in actors:
                    actors.append(a)
        return actors, toks

    def _verb(self, verb: Token, lemma: str) -> Found | None:
        typ = VERBS.get(lemma)
        if lemma == "turn" and any(c.lower_ == "eye" for c in _children(verb, "dobj")):
            typ = R.TACIT_COOPERATION
            eye = next(c for c in _children(verb, "dobj") if c.lower_ == "eye")
            cps, toks = self._objects(verb, eye)
            cps = [a for a in cps if a]
            subj, st = self._subjects(verb)
            return self._make(typ, subj, cps, verb, st, toks)
        if lemma == "give" and any(
            c.lower_ == "pass" and any(k.lower_ == "free" for k in c.children) for c in _children(verb, "dobj")
        ):
            subj, st = self._subjects(verb)
            rec = [a for c in _children(verb, "dative") for a in self.arg(c)]
            return self._make(R.TACIT_COOPERATION, subj, rec, verb, st, _children(verb, "dative"))
        if lemma in REFUSE_VERBS:
            return self._refusal(verb)
        if lemma in CAPTURE_VERBS and any(p.lower_ == "from" for p in _children(verb, "prep")):
            subj, st = self._subjects(verb)
            froms = [o for p in _children(verb, "prep") if p.lower_ == "from" for o in _children(p, "pobj")]
            cps = [a for o in froms for a in self.arg(o)]
            return self._make(R.CAPTURED_TERRITORY, subj, cps, verb, st, froms)
        if lemma == "go" and any(p.lower_ == "after" for p in _children(verb, "prep")):
            typ = R.ATTACK  # "have gone after both militant groups"
            subj, st = self._subjects(verb)
            objs = [o for p in _children(verb, "prep") if p.lower_ == "after" for o in _children(p, "pobj")]
            return self._make(typ, subj, [a for o in objs for a in self.arg(o)], verb, st, objs)
        if typ is None:
            return None
        if typ is R.FIGHTING and any(c.lower_ in INTENT_AUX for c in _children(verb, "aux")):
            typ = R.ATTACK
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        if passive:
            patient = next(iter(_children(verb, "nsubjpass")))
            agents = [o for a in _children(verb, "agent") for o in _children(a, "pobj")]
            if not agents:
                return None
            return self._make(typ, self.arg(agents[0]), self.arg(patient), verb, patient, agents)
        subj, st = self._subjects(verb)
        objs, toks = self._objects(verb)
        recip = any(_reciprocal(t) for t in toks)
        if lemma in SYMMETRIC_VERBS and not objs and len(subj) >= 2:
            # "the Taliban and IS clashed": a symmetric relation inside the coordinated subject
            typ = R.FIGHTING if typ is R.ATTACK else typ
            return self._make(typ, subj[:1], subj[1:2], verb, st, [])
        if lemma == "help" and not recip:
            typ = R.SUPPORT
        return self._make(typ, subj, objs, verb, st, toks, reciprocal=recip)

    # -- nouns -------------------------------------------------------------------------------
    def _noun(self, noun: Token, lemma: str) -> Found | list[Found] | None:
        if lemma in OFFER_NOUNS:
            return self._offer(noun)
        if lemma == "pressure":
            return self._pressure(noun)
        typ = NOUNS.get(lemma)
        if typ is None:
            return None
        if typ is R.ACCUSATION and any(c.lemma_.lower() == "trade" for c in _children(noun, "compound")) and (
                noun.dep_ == "conj"):
            # "Kabul and Islamabad regularly trade accusations", "trade" parsed as a noun: one each way
            pair = [a for a in self.arg(noun.head) if a]
            if len(pair) >= 2:
                return [f for f in (self._make(typ, pair[:1], pair[1:2], noun, noun.head, [noun]),
                                    self._make(typ, pair[1:2], pair[:1], noun, noun.head, [noun])) if f]
        if lemma in ("support", "aid", "backing") and noun.dep_ not in ("dobj", "pobj", "nsubj", "attr"):
            return None
        between = [o for p in _children(noun, "prep") if p.lower_ == "between" for o in _children(p, "pobj")]
        if between:
            pair = self.arg(between[0])
            nxt = between[0].right_edge.i
            nxt = nxt if self.doc[nxt].lower_ == "and" else nxt + 1
            if len(pair) == 1 and nxt + 1 < len(self.doc) and self.doc[nxt].lower_ == "and":
                # "between the Taliban and IS" where the parser hung "IS" elsewhere
                other = self.table.tok.get(nxt + 1)
                if other and other not in pair:
                    pair.append(self.table.principal(other))
                    between = [between[0], self.doc[nxt + 1]]
            recip = _reciprocal(between[0])
            if typ is R.ATTACK:
                typ = R.FIGHTING
            return self._make(typ, pair[:1], pair[1:2], noun, None, between, reciprocal=recip and len(pair) < 2)
        cps, toks = self._objects(noun)
        if lemma in WAR_NOUNS and any(p.lower_ in ("against", "on") for p in _children(noun, "prep")):
            typ = R.ATTACK
        owner: list[str] = [a for c in _children(noun, "poss") for a in self.arg(c)]
        subj_tok = None
        if not owner and noun.dep_ in ("dobj", "pobj") and noun.head is not noun:
            verb = noun.head if noun.dep_ == "dobj" else noun.head.head
            if verb.pos_ in ("VERB", "AUX") and (verb.lemma_.lower() in LIGHT or noun.dep_ == "dobj"):
                owner, subj_tok = self._subjects(verb)
                if verb.lemma_.lower() == "trade" and len(owner) >= 2 and not cps:
                    # "X and Y trade accusations": one relation each way
                    return [f for f in (self._make(typ, owner[:1], owner[1:2], verb, subj_tok, [noun]),
                                        self._make(typ, owner[1:2], owner[:1], verb, subj_tok, [noun])) if f]
        if typ in (R.RIVALRY, R.FIGHTING) and not cps and len(owner) >= 2:
            return self._make(typ, owner[:1], owner[1:2], noun, subj_tok, [noun])
        if not cps:
            return None
        recip = any(_reciprocal(t) for t in toks)
        return self._make(typ, owner, cps, noun, subj_tok, toks, reciprocal=recip)

    def _clause_subject(self, tok: Token) -> tuple[list[str], Token | None]:
        """The subject of the clause a noun sits in ("Despite X's offer, the Taliban have shown...")."""
        cur = tok
        for _ in range(6):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                subj, st = self._subjects(cur)
                if subj:
                    return subj, st
        return [], None

    def _is_peace(self, noun: Token) -> bool:
        near = [c for c in noun.subtree if c.i != noun.i and abs(c.i - noun.i) <= 4]
        return any(c.lemma_.lower() in PEACE_WORDS for c in near)

    def _offer(self, noun: Token) -> Found | None:
        """"an offer of peace talks by X", "X's offer for peace talks", "peace overtures to Y"."""
        if not self._is_peace(noun):
            return None
        preps = _children(noun, "prep")
        # "an offer of peace talks by X": the parser may hang "by X" on "talks"
        by = [o for p in noun.subtree if p.dep_ == "prep" and p.lower_ == "by" for o in _children(p, "pobj")]
        owner_toks = by[:1] or _children(noun, "poss")
        owner = [a for o in owner_toks for a in self.arg(o)]
        to = [o for p in preps if p.lower_ in ("to", "with") for o in _children(p, "pobj")]
        cps = [a for o in to for a in self.arg(o)]
        subj_tok = None
        if not cps:
            cps, subj_tok = self._clause_subject(noun)
        if not owner and cps and cps[0] in self._offerer:
            owner = [self._offerer[cps[0]]]  # "dismissing the peace overtures": the offer made to them
        if not owner:
            return None
        return self._make(R.PEACE_OFFER, owner, cps, noun, subj_tok, owner_toks + to)

    def _refusal(self, verb: Token) -> Found | None:
        """"the Taliban dismissed the peace overtures": a peace rejection of whoever offered them."""
        objs = [o for o in _children(verb, "dobj") if o.lemma_.lower() in OFFER_NOUNS | PEACE_WORDS]
        if not objs or not (self._is_peace(objs[0]) or objs[0].lemma_.lower() in PEACE_WORDS):
            return None
        subj, st = self._subjects(verb)
        o = objs[0]
        by = [x for p in o.subtree if p.dep_ == "prep" and p.lower_ == "by" for x in _children(p, "pobj")]
        offerer = [a for x in by[:1] + _children(o, "poss") for a in self.arg(x)]
        if not offerer and subj:
            offerer = [self._offerer[subj[0]]] if subj[0] in self._offerer else []
        return self._make(R.PEACE_REJECTION, subj, offerer, verb, st, [o])

    def _pressure(self, noun: Token) -> Found | None:
        """"X has been under pressure from Y and Z" (Y and Z press X), "pressure on X"."""
        preps = _children(noun, "prep")
        frm = [o for p in preps if p.lower_ == "from" for o in _children(p, "pobj")]
        on = [o for p in preps if p.lower_ == "on" for o in _children(p, "pobj")]
        if frm:
            actors = [a for o in frm for a in self.arg(o)]
            cps, subj_tok = self._clause_subject(noun)
            if not cps:
                # the parse lost the subject (a heading glued on): the actor named just before
                near = self.table.nearest(noun.i, lambda a: a.type is not ActorType.PERSON, limit=3)
                cps = [self.table.principal(near)] if near and noun.sent.start <= noun.i else []
            return self._make(R.PRESSURE, actors, cps, noun, subj_tok, frm)
        if on:
            owner, subj_tok = self._clause_subject(noun)
            return self._make(R.PRESSURE, owner, [a for o in on for a in self.arg(o)], noun, subj_tok, on)
        return None

    # -- result ------------------------------------------------------------------------------
    def _make(self, typ: RelationType, actors: list[str], cps: list[str], trig: Token,
              subj: Token | None, args: list[Token], reciprocal: bool = False) -> Found | None:
        actors = [a for a in actors if a]
        cps = [c for c in cps if c and c not in actors]
        if not cps and not reciprocal:
            return None
        sent = trig.sent
        lo = min([trig.i] + ([subj.left_edge.i] if subj is not None else []) + [a.left_edge.i for a in args])
        hi = max([trig.i] + [a.right_edge.i for a in args])
        lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
        doc = self.doc
        while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ == "cc"):
            lo += 1
        while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
            hi -= 1
        negated = any(c.dep_ == "neg" for c in trig.children)
        return Found(typ, actors, cps, trig.i, (doc[lo].idx, doc[hi].idx + len(doc[hi])),
                     reciprocal=reciprocal, negated=negated)
