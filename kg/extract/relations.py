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
                    "bombard massacre behead execute capture fight battle"), R.ATTACK),
    **dict.fromkeys(words("oppose overthrow resist topple"), R.OPPOSITION),
    **dict.fromkeys(words("rival compete clash feud"), R.RIVALRY),
    **dict.fromkeys(words("accuse blame"), R.ACCUSATION),
    **dict.fromkeys(words("ally"), R.ALLIANCE),
    **dict.fromkeys(words("cooperate collaborate coordinate help partner"), R.COOPERATION),
    **dict.fromkeys(words("support back fund finance arm aid assist sponsor harbor harbour shelter "
                    "endorse"), R.SUPPORT),
    **dict.fromkeys(words("surrender capitulate"), R.SURRENDER),
    **dict.fromkeys(words("negotiate"), R.NEGOTIATION),
}
NOUNS: dict[str, RelationType] = {
    **dict.fromkeys(words("rivalry rival clash fighting fight conflict war battle feud hostility enmity "
                    "infighting"), R.RIVALRY),
    **dict.fromkeys(words("attack strike airstrike offensive assault raid bombing operation "
                    "crackdown"), R.ATTACK),
    **dict.fromkeys(words("opposition"), R.OPPOSITION),
    **dict.fromkeys(words("accusation allegation"), R.ACCUSATION),
    **dict.fromkeys(words("alliance coalition pact"), R.ALLIANCE),
    **dict.fromkeys(words("cooperation collaboration coordination partnership collusion"), R.COOPERATION),
    **dict.fromkeys(words("support backing aid assistance sponsorship"), R.SUPPORT),
    **dict.fromkeys(words("surrender"), R.SURRENDER),
    **dict.fromkeys(words("talk negotiation deal agreement treaty dialogue ceasefire truce"), R.NEGOTIATION),
}
# verbs that relate the members of a coordinated subject ("X and Y fought")
SYMMETRIC_VERBS = words("fight battle clash compete feud rival cooperate collaborate negotiate "
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
SPEAKER = "@speaker"  # stands for the speakers of the statement the relation is stated in


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

    def arg(self, tok: Token) -> list[str]:
        """The actors an argument stands for, coordination included."""
        out: list[str] = []
        for t in _with_conj(tok):
            if t.lower_ in FIRST_PERSON:
                aid: str | None = SPEAKER
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
                if aid:
                    break
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
            if f is not None:
                out.append(f)
        return out

    # -- verbs -------------------------------------------------------------------------------
    def _subjects(self, verb: Token) -> tuple[list[str], Token | None]:
        """Subject actors of a verb, climbing control chains ("were able to defeat", "came and fought")."""
        cur = verb
        for _ in range(4):
            subj = next(iter(_children(cur, "nsubj")), None)
            if subj is not None:
                if subj.lower_ in ("who", "that", "which") and cur.dep_ == "relcl":
                    subj = cur.head
                return self.arg(subj), subj
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
        if typ is None:
            return None
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
            typ = R.RIVALRY if typ is R.ATTACK else typ
            return self._make(typ, subj[:1], subj[1:2], verb, st, [])
        if lemma == "help" and not recip:
            typ = R.SUPPORT
        return self._make(typ, subj, objs, verb, st, toks, reciprocal=recip)

    # -- nouns -------------------------------------------------------------------------------
    def _noun(self, noun: Token, lemma: str) -> Found | None:
        typ = NOUNS.get(lemma)
        if typ is None:
            return None
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
                typ = R.RIVALRY
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
                    f = self._make(typ, owner[:1], owner[1:2], verb, subj_tok, [noun])
                    if f is not None:
                        f.reciprocal = False
                    return f
        if typ is R.RIVALRY and not cps and len(owner) >= 2:
            return self._make(typ, owner[:1], owner[1:2], noun, subj_tok, [noun])
        if not cps:
            return None
        recip = any(_reciprocal(t) for t in toks)
        return self._make(typ, owner, cps, noun, subj_tok, toks, reciprocal=recip)

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
