"""Stances, claims and actor relations.

A statement's claim is keyed on the actor relation its content expresses (relation type from
keywords, plus the two actors it names or implies), so that an allegation and its denial meet
in ONE claim whose id is the relation id; content without a relation gets a claim of its own.
Narration sentences ("the rivalry between the Taliban and IS") give relations with evidence.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import RelationType, Stance

Token = Any

STANCE_BY_CUE: dict[str, Stance] = {
    "deny": Stance.DENIES, "reject": Stance.REJECTS, "dismiss": Stance.REJECTS,
    "allege": Stance.ALLEGES, "accuse": Stance.ALLEGES, "suggest": Stance.ALLEGES,
    "claim": Stance.CLAIMS, "confirm": Stance.CONFIRMS, "warn": Stance.WARNS,
    "welcome": Stance.WELCOMES, "caution": Stance.WARNS,
}

# keyword patterns -> relation type, most specific first (the first that matches wins)
RELATION_KEYWORDS: list[tuple[RelationType, re.Pattern[str]]] = [
    (RelationType.TACIT_COOPERATION, re.compile(
        r"\bturn(?:s|ed|ing)? a blind eye\b|\bfree pass\b|\btacit(?:ly)?\b|\bcollu(?:de|sion)", re.I)),
    (RelationType.COOPERATION, re.compile(
        r"\bcooperat\w*|\bco-operat\w*|\bhelp(?:s|ed|ing)? each other\b|\bwork(?:s|ed|ing)? together\b", re.I)),
    (RelationType.SURRENDER, re.compile(r"\bsurrender\w*", re.I)),
    (RelationType.NEGOTIATION, re.compile(r"\btalks\b|\bnegotiat\w*|\bpeace deal\b|\bsigned a deal\b", re.I)),
    (RelationType.SUPPORT, re.compile(r"\bsupport\w*|\bback(?:s|ed|ing)\b", re.I)),
    (RelationType.RIVALRY, re.compile(r"\brival\w*|\bclash\w*|\bfight\w*|\bconflict\b|\bbattl\w*", re.I)),
    (RelationType.ATTACK, re.compile(r"\battack\w*|\bkill\w*|\bstrikes?\b|\bdefeat\w*|\bdestroy\w*", re.I)),
    (RelationType.OPPOSITION, re.compile(r"\boppos\w*|\boverthrow\w*", re.I)),
]
FAMILY = {RelationType.TACIT_COOPERATION: RelationType.COOPERATION}
TWO_SIDES = re.compile(r"\b(the two sides|both sides|the two groups|each other|one another)\b", re.I)


def stance(cue_lemma: str | None, negated: bool) -> Stance:
    """The speaker's stance from the speech verb and its negation ("did not confirm" questions)."""
    s = STANCE_BY_CUE.get(cue_lemma or "", Stance.ASSERTS)
    if negated:
        if s in (Stance.CONFIRMS, Stance.ASSERTS, Stance.CLAIMS, Stance.ALLEGES):
            return Stance.QUESTIONS
        if s in (Stance.DENIES, Stance.REJECTS):
            return Stance.ASSERTS
    return s


def relation_type(content: str) -> RelationType | None:
    for type_, pat in RELATION_KEYWORDS:
        if pat.search(content):
            return type_
    return None


def family(type_: RelationType) -> RelationType:
    return FAMILY.get(type_, type_)


def wants_two_sides(content: str) -> bool:
    return bool(TWO_SIDES.search(content))


# nouns and verbs that state a relation in narration, with the relation they state
NARRATION_TRIGGERS: dict[str, RelationType] = {
    "rivalry": RelationType.RIVALRY, "fighting": RelationType.RIVALRY, "clash": RelationType.RIVALRY,
    "conflict": RelationType.RIVALRY, "battle": RelationType.RIVALRY, "fight": RelationType.RIVALRY,
    "oppose": RelationType.OPPOSITION, "attack": RelationType.ATTACK, "strike": RelationType.ATTACK,
    "kill": RelationType.ATTACK, "support": RelationType.SUPPORT, "back": RelationType.SUPPORT,
    "surrender": RelationType.SURRENDER, "talks": RelationType.NEGOTIATION,
    "negotiate": RelationType.NEGOTIATION, "negotiation": RelationType.NEGOTIATION,
    "cooperation": RelationType.COOPERATION, "cooperate": RelationType.COOPERATION,
    "overthrow": RelationType.OPPOSITION,
}
