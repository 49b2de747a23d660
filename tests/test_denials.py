"""Denials land on the claim they deny, whatever verb says them (docs/annotation-guide.md, "A denial is
linked to the claim it denies"). Real spaCy parse, real embedding model when installed."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_text
from claimgraph.model import Stance, StatementKind

ACCUSATION = "The Times reported that Smith took bribes from the company. "


def _answer(second: str):
    doc = extract_text(ACCUSATION + second)
    report, *rest = doc.statements
    assert report.speakers == ["times"] and report.stance.polarity == 1
    (answer,) = rest
    return report, answer


@pytest.mark.parametrize("second", [
    'Smith said: "It is categorically untrue."',          # a neutral verb, the content calls it false
    "His lawyer called the reports hearsay.",
    '"That is just not true," a spokeswoman for Smith said.',
    "The company said the allegations were baseless.",
    "Jones, however, insisted that Smith never took any money.",   # the contrary, said with a negation
    "Smith has done nothing wrong, his wife said.",                # a plain exculpation of the accused
    "Smith dismissed the claims as fabricated.",
    "Smith denied it.",
    "Smith, however, has denied any wrongdoing.",                  # the accused answers, briefly
])
def test_a_denial_said_any_way_opposes_the_claim_it_answers(second: str) -> None:
    report, answer = _answer(second)
    assert answer.stance is Stance.DENIES, answer
    assert answer.claims == report.claims


def test_a_statement_after_a_finished_quotation_is_its_own() -> None:
    """'..."It is untrue." His lawyer called the reports hearsay.': the lawyer did not say the quotation."""
    doc = extract_text(ACCUSATION + 'Smith said: "It is categorically untrue." His lawyer called the reports hearsay.')
    quotes = [s.quote.text for s in doc.statements]
    assert quotes == ["that Smith took bribes from the company", "It is categorically untrue.",
                      "the reports hearsay"]


def test_calling_an_accusation_absurd_in_a_trailing_clause_is_a_second_statement() -> None:
    accusation, answer = extract_text("Jones accused Smith of lying, which Smith called absurd.").statements
    assert accusation.stance is Stance.ALLEGES and accusation.quote.text == "Smith of lying"
    assert answer.speakers == ["smith"] and answer.stance is Stance.DENIES
    assert answer.claims == accusation.claims


def test_the_narrators_verdict_denies_what_was_just_claimed() -> None:
    doc = extract_text("Trump claimed that Clinton started the birther movement. That claim is false.",
                       publisher="The Daily Check")
    claim, verdict = doc.statements
    assert verdict.kind is StatementKind.NARRATION and verdict.quote.text == "That claim is false."
    assert verdict.stance is Stance.DENIES and verdict.claims == claim.claims
    assert verdict.speakers == [doc.source.publisher]


def test_an_unrelated_denial_keeps_a_claim_of_its_own() -> None:
    """The answer must fit: a denial about something else is not linked to the bribery report."""
    doc = extract_text(ACCUSATION + "The weather office denied that the storm had reached the coast.")
    report, denial = doc.statements
    assert denial.stance is Stance.DENIES and denial.claims != report.claims


def test_pressure_to_stop_alleges_and_a_charge_denies_it() -> None:
    doc = extract_text("Ruritania has been under pressure from Freedonia to stop arming the rebels in the north, "
                       "a charge Ruritania denies.")
    pressure, denial = doc.statements
    assert pressure.speakers == ["freedonia"] and pressure.stance is Stance.ALLEGES
    assert pressure.cue is not None and pressure.cue.text == "under pressure"
    assert denial.speakers == ["ruritania"] and denial.stance is Stance.DENIES and denial.quote.text == "a charge"
    assert denial.claims == pressure.claims
    claim = next(c for c in doc.claims if c.id in pressure.claims)
    assert claim.text.startswith("arming the rebels")  # what is alleged is the arming, not the stopping


def test_an_offer_with_its_maker_is_a_proposal() -> None:
    doc = extract_text("Despite Mayor John Carter's offer for talks with the strikers, the union refused.")
    (offer,) = [s for s in doc.statements if s.cue_lemma == "offer"]
    assert offer.speakers == ["john-carter"] and offer.stance is Stance.PROPOSES
    assert offer.quote.text.startswith("for talks")


def test_headline_words_glued_to_a_name_mint_no_actor() -> None:
    text = ("Senators Rip Jane Roe Over Budget\n\nSenators criticised the budget plan on Monday. "
            '"It is a disgrace," said Jane Roe, who leads the committee.')
    ids = {a.id for a in extract_text(text).actors}
    assert "jane-roe" in ids and not any(i.startswith("rip") for i in ids)


def test_a_determiner_is_no_part_of_a_name() -> None:
    doc = extract_text('"He would not have done that to a John Smith," Jane Roe said.')
    assert not any(a.id.startswith("a-") for a in doc.actors)


def test_a_bare_surname_and_he_go_on_with_the_person_quoted() -> None:
    """'Ham made it clear ... under President Barack Obama. "...," he told the host': he is Ham."""
    text = ("Retired Air Force Gen. Norman Ham is speaking out ahead of the election.\n\n"
            "In an interview, Ham made it clear he had major misgivings about the armed forces under "
            "President Barack Obama.\n\n"
            '"Now that I do not have to be politically correct," he told the host, "it was demoralizing."\n\n'
            '"Sequestration severely handicapped our military," he said.')
    doc = extract_text(text)
    assert [s.speakers for s in doc.statements] == [["norman-ham"], ["norman-ham"]]


@pytest.mark.parametrize(("text", "speaker", "cue"), [
    ("Donald Trump spoke on Monday. The Trump campaign has pointed out that the tax breaks allowed him to "
     "rebound.", "The Trump campaign", "pointed"),
    ("Jane Roe continued to insist that the vote had been rigged.", "Jane Roe", "insist"),
])
def test_speech_through_a_particle_or_a_control_verb(text: str, speaker: str, cue: str) -> None:
    (s,) = extract_text(text).statements
    assert s.speaker_mention is not None and s.speaker_mention.text == speaker
    assert s.cue is not None and s.cue.text == cue


@pytest.mark.parametrize(("text", "expected"), [
    ('"We will rebuild the bridge," Jane Roe said.', Stance.PLEDGES),
    ('"They are our enemies and we will fight them," Jane Roe said.', Stance.PLEDGES),
    ('"If they attack us, we will take action against them," Jane Roe said.', Stance.WARNS),
    ('"He really should apologise," Jane Roe said.', Stance.PROPOSES),
    ('"It is time to create a fair tax system," Jane Roe said.', Stance.PROPOSES),
    ('"He is absolutely right," Jane Roe said.', Stance.CONFIRMS),
    ('"He will win the vote," Jane Roe said.', Stance.ASSERTS),      # a prediction about another: no pledge
    ('"We will not be there," Jane Roe said.', Stance.ASSERTS),      # a negated intention denies nothing
    ("Jane Roe insisted that the bridge was safe.", Stance.ASSERTS),  # "insists that X" asserts X
])
def test_what_a_content_does_when_the_verb_is_neutral(text: str, expected: Stance) -> None:
    (s,) = extract_text(text).statements
    assert s.stance is expected


def test_an_elaborated_denial_stays_on_the_claim_it_denies() -> None:
    doc = extract_text("Reuters reported that the army shelled the town. The army denied the report, saying its "
                       "troops had not fired a single shell.")
    report, denial, saying = doc.statements
    assert denial.stance is Stance.DENIES and saying.stance is Stance.DENIES
    assert denial.claims == saying.claims == report.claims


@pytest.mark.parametrize("text", [
    "Critics accused the mayor of rigging the vote, an allegation the mayor called absurd.",
    "The report said the mayor rigged the vote, something the mayor denies.",
])
def test_a_trailing_pointer_clause_denies_the_claim_before_it(text: str) -> None:
    first, answer = extract_text(text).statements
    assert first.stance.polarity == 1 and answer.stance is Stance.DENIES
    assert answer.claims == first.claims


def test_she_is_never_a_man_and_not_the_one_only_addressed() -> None:
    doc = extract_text('Matt Lauer asked Hillary Clinton about her emails. "I made a mistake," she told him. '
                       "John Smith met Mary Jones on Friday. She said the talks had failed.")
    assert [s.speakers for s in doc.statements if s.cue_lemma != "ask"] == [["hillary-clinton"], ["mary-jones"]]


@pytest.mark.parametrize(("text", "speaker", "stance"), [
    # the quote's cue is the verb before it, not one in a when-clause after it
    ("The video ends with footage of Trump saying at the debate, \u201cThat makes me smart,\u201d when Clinton "
     "criticised him for not paying taxes.",
     "trump", Stance.ASSERTS),
    # a dash the parser takes for a subject is none
    ("As was true for years ― Trump boasted, \u201cThat makes me smart.\u201d", "trump", Stance.ASSERTS),
])
def test_the_quote_goes_to_its_own_cue(text: str, speaker: str, stance: Stance) -> None:
    (s,) = [s for s in extract_text(text).statements if "smart" in s.quote.text]
    assert s.speakers == [speaker] and s.stance is stance


@pytest.mark.parametrize("text", [
    "Clinton noted that Trump has not paid any federal income taxes.",   # a negative fact about another
    '"I don\'t think there is any connection between the rhetoric and the plan," Jane Roe said.',  # a view
])
def test_a_negated_clause_with_nothing_to_deny_asserts(text: str) -> None:
    (s,) = extract_text(text).statements
    assert s.stance is Stance.ASSERTS


def test_the_accused_saying_the_contrary_denies_the_charge() -> None:
    """'A direct contrary answers the claim': the accused flips the negation of what was said of him."""
    doc = extract_text('Hillary Clinton said Donald Trump has paid nothing in federal taxes. Trump replied: '
                       '"Of course, I pay federal taxes." Clinton said Trump was unfit to be president. '
                       '"I have good judgment," Trump said.')
    charge, answer, unfit, judgment = doc.statements
    assert answer.stance is Stance.DENIES and answer.claims == charge.claims
    # no shared words, no flipped negation: a claim of its own, not a denial (no guessing at meaning)
    assert judgment.stance is Stance.ASSERTS and judgment.claims != unfit.claims


def test_criticism_charges_someone_it_refuses_nothing() -> None:
    (s,) = extract_text("Jane Roe blasted John Smith for not paying his taxes.").statements
    assert s.stance is Stance.ALLEGES


def test_a_name_in_apposition_is_the_speaker() -> None:
    (s,) = extract_text("After the debate, the Democratic candidate Hillary Clinton suggested that the plan "
                        "would fail.").statements
    assert s.speakers == ["hillary-clinton"]


LETTERS = """Readers on the audit.

LETTERS.

I cannot fathom how the mayor has escaped charges for his handling of the city budget. It is a scandal.

Anna Berg.

Springfield, Ill.

The mayor has been investigated for years. He's done nothing wrong. Leave him alone.

Tom Reed.
"""


def test_a_letter_writer_takes_sides_in_the_first_person() -> None:
    from claimgraph.extract.letters import letters

    assert [LETTERS[slice(*x.signature)] for x in letters(LETTERS)] == ["Anna Berg", "Tom Reed"]
    doc = extract_text(LETTERS)
    view, denial = doc.statements
    assert view.speakers == ["anna-berg"] and view.kind is StatementKind.NARRATION and view.stance is Stance.ASSERTS
    assert view.quote.text.startswith("how the mayor has escaped charges")
    assert denial.speakers == ["tom-reed"] and denial.stance is Stance.DENIES
    assert denial.quote.text == "He's done nothing wrong."
    assert letters("A news story.\n\nJane Roe.\n\nIt rained.") == []  # one signature is no letters page


def test_as_x_said_still_attributes_the_quote() -> None:
    (s,) = extract_text('"We are ready for the vote," as Jane Roe said on Monday.').statements
    assert s.speakers == ["jane-roe"] and s.quote.text == "We are ready for the vote"
