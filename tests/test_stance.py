"""Stance towards the claim (kg/extract/stance.py) on invented sentences, through the real spaCy model."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_text
from claimgraph.model import Stance, Statement


def _only(text: str) -> Statement:
    sts = extract_text(text).statements
    assert len(sts) == 1, [(s.cue_lemma, s.quote.text) for s in sts]
    return sts[0]


@pytest.mark.parametrize("text", [
    'Jane Roe said "it is categorically untrue" that troops entered the village.',
    '"That is just not true," Jane Roe told reporters.',
    "Jane Roe called the reports hearsay.",
    "Jane Roe dismissed the report as nonsense.",
    "Jane Roe said there is no truth to the claims that the army shelled the town.",
    "Jane Roe said there was no evidence that the fire was set deliberately.",
    "Jane Roe said the allegations were baseless.",
    "Jane Roe insists she never paid the officials.",
    '"She has done nothing wrong," Jane Roe said.',
])
def test_a_neutral_cue_with_denying_content_denies(text: str) -> None:
    s = _only(text)
    assert s.stance is Stance.DENIES and s.stance.polarity == -1


@pytest.mark.parametrize(("text", "expected"), [
    ("Jane Roe said the bridge was closed.", Stance.ASSERTS),
    ("Jane Roe said officials had found fake ballots in the town.", Stance.ASSERTS),  # alleges fakes, no denial
    ("Jane Roe said she will not run for office.", Stance.ASSERTS),  # a negated intention denies no fact
    ("Jane Roe did not deny that talks had taken place.", Stance.CONFIRMS),
    ("Jane Roe did not confirm the report.", Stance.QUESTIONS),
    # rejecting something said is about its truth (docs/annotation-guide.md); an offer is not
    ("Jane Roe rejected any suggestion that the vote was rigged.", Stance.DENIES),
    ("Jane Roe rejected the offer of talks.", Stance.REJECTS),
    ("Jane Roe called the accusation ridiculous.", Stance.DENIES),
    ("Jane Roe called the plan ridiculous.", Stance.ASSERTS),
    ("Jane Roe declined to comment on the report.", Stance.QUESTIONS),  # a refusal neither supports nor opposes
    ("Jane Roe suggested that the rebels were behind the attack.", Stance.ALLEGES),
])
def test_negation_and_scope(text: str, expected: Stance) -> None:
    assert _only(text).stance is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Jane Roe promised to raise wages.", Stance.PLEDGES),
    ("Jane Roe vowed to rebuild the bridge.", Stance.PLEDGES),
    ("Jane Roe pledged to hold elections next year.", Stance.PLEDGES),
    ("Jane Roe proposed a ceasefire between the two sides.", Stance.PROPOSES),
    ("Jane Roe suggested a meeting with the rebels.", Stance.PROPOSES),
    ("Jane Roe called for an independent inquiry into the killings.", Stance.PROPOSES),
    ("Jane Roe called on parliament to vote on the bill.", Stance.PROPOSES),
    ("Jane Roe urged the government to release the prisoners.", Stance.PROPOSES),
])
def test_pledges_and_proposals_support(text: str, expected: Stance) -> None:
    s = _only(text)
    assert s.stance is expected and s.stance.polarity == 1


@pytest.mark.parametrize(("text", "denial"), [
    ("Afghanistan accused Pakistan of sheltering militants, which Pakistan denied.", "which Pakistan denied"),
    # the quote of "a charge Y rejects" is the pointer phrase (docs/annotation-guide.md)
    ("Afghanistan accuses Pakistan of sheltering militants, a charge Pakistan rejects.", "a charge"),
])
def test_an_accusation_and_its_denial_are_two_statements_on_one_claim(text: str, denial: str) -> None:
    accusation, answer = extract_text(text).statements
    assert accusation.stance is Stance.ALLEGES and accusation.speakers == ["afghanistan"]
    assert accusation.quote.text == "Pakistan of sheltering militants"
    assert answer.speakers == ["pakistan"] and answer.stance.polarity == -1 and answer.quote.text == denial
    assert answer.claims and answer.claims == accusation.claims
