"""The stance of a statement from its cue verb and negation ("did not confirm" -> questions)."""

from __future__ import annotations

from ..model import Stance

CUE_STANCE: dict[str, Stance] = {
    "claim": Stance.CLAIMS, "insist": Stance.CLAIMS, "maintain": Stance.CLAIMS, "contend": Stance.CLAIMS,
    "allege": Stance.ALLEGES, "accuse": Stance.ALLEGES, "charge": Stance.ALLEGES, "blame": Stance.ALLEGES,
    "suggest": Stance.ALLEGES,
    "deny": Stance.DENIES, "refute": Stance.DENIES, "dispute": Stance.DENIES, "disprove": Stance.DENIES,
    "reject": Stance.REJECTS, "dismiss": Stance.REJECTS, "rebuff": Stance.REJECTS, "condemn": Stance.REJECTS,
    "criticize": Stance.REJECTS, "criticise": Stance.REJECTS, "blast": Stance.REJECTS,
    "confirm": Stance.CONFIRMS, "acknowledge": Stance.CONFIRMS, "admit": Stance.CONFIRMS,
    "concede": Stance.CONFIRMS, "agree": Stance.CONFIRMS,
    "welcome": Stance.WELCOMES, "praise": Stance.WELCOMES, "hail": Stance.WELCOMES,
    "warn": Stance.WARNS, "caution": Stance.WARNS, "threaten": Stance.WARNS,
    "question": Stance.QUESTIONS, "doubt": Stance.QUESTIONS, "ask": Stance.QUESTIONS,
    "wonder": Stance.QUESTIONS,
}
# a negated cue of these turns into its opposite: "did not deny" confirms
NEGATED: dict[Stance, Stance] = {
    Stance.DENIES: Stance.CONFIRMS,
    Stance.REJECTS: Stance.ASSERTS,
}


def stance(cue_lemma: str | None, negated: bool = False) -> Stance:
    """asserts unless the cue says more; a negated cue ('did not confirm') questions the claim."""
    base = CUE_STANCE.get(cue_lemma or "", Stance.ASSERTS)
    if negated:
        return NEGATED.get(base, Stance.QUESTIONS)
    return base
