"""The stance of a statement towards its claim: from the cue verb, its negation and, when the cue is
neutral, from what the content says about the claim.

The stances are a closed set with a polarity (`Stance.polarity`): asserts, claims, alleges, confirms,
welcomes, warns, pledges, proposes (+1); denies, rejects (-1); questions (0, also "did not confirm"
and a refusal to comment, which neither supports nor opposes).

The stance is taken towards the claim, not towards the sentence: "said 'it is categorically untrue'",
"called the reports hearsay", "there is no evidence that ...", "insists it never did" deny the claim
even though the cue (said, called, insists) is neutral; "did not deny" confirms it.
"""

from __future__ import annotations

from typing import Any

from ..model import Stance
from .lexicon import EVALUATIVE, FALSE_WORDS, TRUE_WORDS, words

Token = Any  # spacy.tokens.Token

CUE_STANCE: dict[str, Stance] = {
    # "insists that X" asserts X (docs/annotation-guide.md); "claimed", "contends" mark the speaker's own claim
    "claim": Stance.CLAIMS, "contend": Stance.CLAIMS,
    "allege": Stance.ALLEGES, "accuse": Stance.ALLEGES, "charge": Stance.ALLEGES, "blame": Stance.ALLEGES,
    "suggest": Stance.ALLEGES,
    "deny": Stance.DENIES, "refute": Stance.DENIES, "dispute": Stance.DENIES, "disprove": Stance.DENIES,
    "reject": Stance.REJECTS, "dismiss": Stance.REJECTS, "rebuff": Stance.REJECTS,
    # "blasted him for not paying income tax": criticism charges someone with what it names; it is an
    # allegation of that, not a refusal of a proposal
    "criticize": Stance.ALLEGES, "criticise": Stance.ALLEGES, "blast": Stance.ALLEGES, "condemn": Stance.ALLEGES,
    "denounce": Stance.ALLEGES, "decry": Stance.ALLEGES, "slam": Stance.ALLEGES,
    "confirm": Stance.CONFIRMS, "acknowledge": Stance.CONFIRMS, "admit": Stance.CONFIRMS,
    "concede": Stance.CONFIRMS, "agree": Stance.CONFIRMS,
    "welcome": Stance.WELCOMES, "praise": Stance.WELCOMES, "hail": Stance.WELCOMES,
    "applaud": Stance.WELCOMES, "laud": Stance.WELCOMES, "endorse": Stance.WELCOMES,
    "warn": Stance.WARNS, "caution": Stance.WARNS, "threaten": Stance.WARNS,
    "promise": Stance.PLEDGES, "pledge": Stance.PLEDGES, "vow": Stance.PLEDGES, "swear": Stance.PLEDGES,
    "guarantee": Stance.PLEDGES, "commit": Stance.PLEDGES,
    "propose": Stance.PROPOSES, "urge": Stance.PROPOSES, "recommend": Stance.PROPOSES,
    "advise": Stance.PROPOSES, "demand": Stance.PROPOSES, "appeal": Stance.PROPOSES,
    "implore": Stance.PROPOSES, "advocate": Stance.PROPOSES,
    # nominal cues: "Ghani's offer for peace talks", "under pressure from X to stop ..." (quotes.py)
    "offer": Stance.PROPOSES, "proposal": Stance.PROPOSES, "plea": Stance.PROPOSES, "threat": Stance.WARNS,
    "pressure": Stance.ALLEGES,
    "question": Stance.QUESTIONS, "doubt": Stance.QUESTIONS, "ask": Stance.QUESTIONS,
    "wonder": Stance.QUESTIONS,
    # a refusal to comment neither supports nor opposes the claim
    "decline": Stance.QUESTIONS, "refuse": Stance.QUESTIONS,
}
# a negated cue of these turns into its opposite: "did not deny" confirms; any other negated cue
# questions ("did not confirm", "did not respond to requests for comment")
NEGATED: dict[Stance, Stance] = {
    Stance.DENIES: Stance.CONFIRMS,
    Stance.REJECTS: Stance.ASSERTS,
}
# stances the content may turn into a denial: the cue itself says nothing against the claim, or
# rejects it in a way the content makes a denial ("dismissed it as nonsense")
CONTENT_DECIDES = frozenset({Stance.ASSERTS, Stance.CLAIMS, Stance.REJECTS})
# predicates that call a proposition false ("is untrue", "called the reports hearsay", "as nonsense");
# evaluative words (wrong, absurd, ridiculous) are left out: they judge, they do not deny
# "there is no truth to ...", "no evidence that ...", "without any basis"
GROUND_NOUNS = words("truth evidence basis proof foundation substance")
# the dependents through which a predicate says what its subject or object is ("is untrue", "called the
# reports hearsay"); "as" objects count too ("dismissed it as nonsense")
PREDICATIVE = frozenset({"acomp", "attr", "oprd"})
# "fake news", "baseless allegations": a false-word modifying one of these calls a report false
REPORT_NOUNS = words("report reports story stories news claim claims allegation allegations accusation"
                     " accusations charge charges rumour rumours rumor rumors narrative")
# what can be true or false: rejecting one of these denies it ("reject any suggestion of cooperation",
# "dismissed the claims"); rejecting an offer or a plan does not
TRUTH_NOUNS = REPORT_NOUNS | words("suggestion suggestions assertion assertions notion idea characterization"
                                   " characterisation account accounts reporting speculation assumption")
# "I don't think there is any connection": a negated opinion verb states the speaker's view, it does not
# deny a fact
NEG_RAISING = words("think believe expect suppose imagine guess feel reckon")
MODALS = words("will would shall should can could may might must 'll")
NEGATIVE_ARGS = words("nothing nobody")
SUBJ_OBJ = frozenset({"nsubj", "nsubjpass", "dobj"})
# "called for ...", "called on X to ...": a call is a proposal
CALL_PREPS = words("for on")


def stance(cue_lemma: str | None, negated: bool = False, *, cue: Token | None = None,
           content: list[Token] | None = None, negation: bool = True) -> Stance:
    """The stance of a statement with this cue (and, if given, its cue token and content tokens).

    Without `cue` and `content` only the lemma and negation count (asserts unless the cue says more).
    `negation=False` leaves out the weakest sign of a denial, a negated main clause ("said the army did
    not shell the town"): that one denies only when a claim it answers is on the table (the pipeline
    decides), otherwise it asserts a negative fact.
    """
    lemma = cue_lemma or ""
    base = CUE_STANCE.get(lemma, Stance.ASSERTS)
    if cue is not None:
        base = _by_construction(cue, lemma, base)
    if negated:
        return NEGATED.get(base, Stance.QUESTIONS)
    if content and base in CONTENT_DECIDES and _denies(content, cue, negation):
        return Stance.DENIES
    if content and base is Stance.ASSERTS:
        act = _speech_act(content)
        if act is not None:
            return act
    if content and base is Stance.REJECTS and _about_truth(content):
        return Stance.DENIES
    if base in CONTENT_DECIDES and _judges_what_was_said(cue):
        return Stance.DENIES
    return base


# "called the accusation absurd", "..., which Smith called ridiculous": judging something said (not a
# person or a plan) denies it
POINTING = words("which what it this that")


def _judges_what_was_said(cue: Token | None) -> bool:
    if cue is None:
        return False
    kids = list(cue.children)
    judged = any(c.dep_ in PREDICATIVE and c.lower_ in EVALUATIVE | FALSE_WORDS for c in kids)
    said = any(c.dep_ in ("dobj", "nsubjpass") and (c.lemma_.lower() in TRUTH_NOUNS or c.lower_ in POINTING)
               for c in kids)
    # "an allegation he called absurd": the relative clause judges the noun it hangs on
    said = said or (cue.dep_ == "relcl" and cue.head.lemma_.lower() in TRUTH_NOUNS)
    return judged and said


def _about_truth(content: list[Token]) -> bool:
    """Is what is rejected something said ("the claims", "any suggestion that"), not an offer or a plan?"""
    inside = {t.i for t in content}
    head = next((t for t in content if t.head.i not in inside or t.head is t), None)
    return head is not None and head.lemma_.lower() in TRUTH_NOUNS


def attribution_stance(att: Any, doc: Any, negation: bool = True) -> Stance:
    """The stance of a `quotes.Attribution` over the parse `doc` it was found in."""
    from .quotes import token_range  # quotes imports nothing from here; imported late to keep it so

    cue = doc[att.cue_token] if att.cue_token is not None else None
    content = [doc[i] for s, e in att.fragments for i in token_range(doc, s, e)]
    return stance(att.cue_lemma, att.negated, cue=cue, content=content, negation=negation)


def _by_construction(cue: Token, lemma: str, base: Stance) -> Stance:
    """What the cue's own dependents make of it: "called for / called on X to" and "suggested a
    ceasefire" (an object or an infinitive, not a that-clause) propose."""
    kids = list(cue.children)
    if lemma == "call" and any(c.dep_ == "prep" and c.lower_ in CALL_PREPS and c.i == cue.i + 1 for c in kids):
        return Stance.PROPOSES
    if lemma == "suggest" and not any(c.dep_ == "ccomp" for c in kids) and any(
            c.dep_ in ("dobj", "xcomp") and c.i > cue.i for c in kids):
        return Stance.PROPOSES
    return base


def _denies(content: list[Token], cue: Token | None, negation: bool = True) -> bool:
    """Does the content hold the claim false? Only the main clause of the content counts (a "no
    evidence" deep inside a long quotation says nothing about the statement's claim)."""
    inside = {t.i for t in content}
    top = [t for t in content if (t.head.i not in inside or t.head is t) and not t.is_punct]
    heads = {t.i for t in top} | ({cue.i} if cue is not None else set())
    for t in content:
        if not _near(t, heads):
            continue
        low = t.lower_
        if low in FALSE_WORDS and not _negated(t) and (
                t.dep_ in PREDICATIVE or (t.dep_ == "pobj" and t.head.lower_ == "as")
                or (t.dep_ == "amod" and t.head.lemma_.lower() in REPORT_NOUNS)):
            return True  # not "fake ballots were found": that alleges, it does not deny
        if low in TRUE_WORDS and t.dep_ in ("acomp", "attr") and (_negated(t) or _negated(t.head)):
            return True  # "that is just not true"
        if low in GROUND_NOUNS and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            return True  # "there is no truth to", "no evidence that"
    # "insists it never did", "said the army did not shell the town": the main clause denies a fact
    # (a negated intention, "will not run", is no denial)
    first = top[0] if top and negation else None
    if first is not None and first.pos_ in ("VERB", "AUX") and first.lower_ not in TRUE_WORDS \
            and first.lemma_.lower() not in NEG_RAISING:
        kids = list(first.children)
        # "she has done nothing wrong", "nobody was hurt": a negative argument negates the clause
        neg = [c for c in kids if c.dep_ == "neg" or (c.lower_ in NEGATIVE_ARGS and c.dep_ in SUBJ_OBJ)]
        modal = any(c.lower_ in MODALS for c in kids if c.dep_ == "aux")
        fact = any(c.lower_ == "never" for c in neg) or any(
            c.dep_ in ("aux", "auxpass") and c.lemma_ in ("do", "have", "be") for c in kids)
        return bool(neg) and not modal and fact
    return False


# "Trump was absolutely right", "the statement was true": confirming what was said (or its speaker)
RIGHT_WORDS = words("right true accurate correct")
FIRST_PERSON = words("i we")
FUTURE = words("will 'll shall")
OBLIGATION = words("should must ought")
CONDITIONS = words("if unless")


def _speech_act(content: list[Token]) -> Stance | None:
    """What a content said with a neutral verb does (docs/annotation-guide.md, section 4): confirms ("he is
    absolutely right", "the statement was true"), pledges ("we will fight them both"), warns ("if they
    attack us, we will take action"), proposes ("he really should", "it is time to ..."). Only the
    content's main clause counts."""
    inside = {t.i for t in content}
    top = [t for t in content if (t.head.i not in inside or t.head is t) and not t.is_punct]
    if not top:
        return None
    main = top[0]
    kids = list(main.children)
    if main.lemma_ == "be" or main.pos_ == "AUX":
        pred = next((c for c in kids if c.dep_ in ("acomp", "attr")), None)
        if pred is not None and pred.lower_ in RIGHT_WORDS and not _negated(main) and not _negated(pred):
            return Stance.CONFIRMS
        if pred is not None and pred.lower_ == "time" and any(c.dep_ in ("relcl", "acl", "xcomp") for c in
                                                              pred.children):
            return Stance.PROPOSES  # "it is time to create a fair tax system"
    # "They are both enemies ... and we will fight them both": the clause and its conjoined clauses
    for verb in [main, *(c for c in kids if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]:
        act = _commitment(verb, verb is main)
        if act is not None:
            return act
    return None


def _commitment(verb: Token, main: bool) -> Stance | None:
    if verb.pos_ not in ("VERB", "AUX") or _negated(verb):
        return None
    kids = list(verb.children)
    aux = {c.lower_ for c in kids if c.dep_ == "aux"}
    subj = next((c for c in kids if c.dep_ == "nsubj"), None)
    if main and aux & OBLIGATION:
        return Stance.PROPOSES  # "he really should", "we must act"
    if aux & FUTURE and subj is not None and subj.lower_ in FIRST_PERSON and verb.lemma_ not in ("be", "have"):
        conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONS
                                                    for m in c.children) for c in kids)
        return Stance.WARNS if conditional else Stance.PLEDGES
    return None


def _near(tok: Token, heads: set[int]) -> bool:
    """Is `tok` within two steps of the content's main clause (or of the cue)?"""
    t = tok
    for _ in range(3):
        if t.i in heads:
            return True
        if t.head is t:
            return False
        t = t.head
    return t.i in heads


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)
