"""Automatic extraction on the sample article, from the raw .txt (no annotation involved)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimgraph
from claimgraph.errors import ClaimgraphError
from claimgraph.extract import METHOD, extract_file, extract_text
from claimgraph.model import Document, RelationType, Stance, Statement
from claimgraph.model.annotation import from_dict
from claimgraph.rdf.mapper import to_triples
from claimgraph.rdf.validate import violations

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dw-jawzjan.txt"


@pytest.fixture(scope="session")
def extracted() -> Document:
    """The sample, extracted once per test session (the spaCy model loads once per process)."""
    return extract_file(SAMPLE, publisher="DW", url="https://p.dw.com/p/31Lts",
                        title="Taliban and 'Islamic State' clash in Afghanistan")


def find(doc: Document, pred: Callable[[Statement], bool]) -> list[Statement]:
    return [s for s in doc.statements if pred(s)]


def test_document_is_exact_and_marked_automatic(extracted: Document) -> None:
    assert extracted.check() == []
    text = extracted.source.text
    assert text == SAMPLE.read_text(encoding="utf-8")
    for where, span in extracted.spans():
        assert text[span.start:span.end] == span.text, where
    assert extracted.source.method == METHOD and METHOD.startswith("automatic claimgraph-extract ")
    assert extracted.source.id == "taliban-and-islamic-state-clash-in-afghanistan"
    assert extracted.source.publisher == "dw"
    assert extracted.actor("dw") is not None and extracted.actor("dw").type.value == "media"


def test_actors_have_stable_ids_and_aliases(extracted: Document) -> None:
    ids = {a.id for a in extracted.actors}
    assert {"taliban", "islamic-state", "yonus-fakur", "abdul-hai-hayat", "dw", "pakistan",
            "faqir-mohammad-jawzjani"} <= ids
    islamic_state = extracted.actor("islamic-state")
    assert islamic_state is not None and "IS" in islamic_state.aliases
    assert islamic_state.type.value == "armed_group"
    fakur = extracted.actor("yonus-fakur")
    assert fakur is not None and fakur.type.value == "person"
    assert any("political analyst" in r.title for r in fakur.roles)
    assert {m.text for m in fakur.mentions} >= {"Yonus Fakur", "Fakur"}
    assert "Islamabad" in extracted.actor("pakistan").aliases


def test_hayat_told_dw(extracted: Document) -> None:
    told = find(extracted, lambda s: s.speakers == ["abdul-hai-hayat"] and s.recipient == "dw")
    assert told, [(s.speakers, s.recipient) for s in extracted.statements]
    s = told[0]
    assert s.cue is not None and s.cue.text == "told" and s.cue_lemma == "tell"
    assert s.kind.value == "direct" and s.quote.text.startswith("There were heavy clashes")
    assert s.speaker_mention is not None and s.speaker_mention.text.startswith("Abdul Hai Hayat")
    hayat = extracted.actor("abdul-hai-hayat")
    assert any(r.title == "head of the provincial council in Jawzjan" for r in hayat.roles)


def test_taliban_claim_to_have_killed_130_is_fighters(extracted: Document) -> None:
    (s,) = find(extracted, lambda s: "killed over 130" in s.quote.text)
    assert s.speakers == ["taliban"] and s.cue_lemma == "claim" and s.stance is Stance.CLAIMS
    assert s.kind.value == "indirect"
    claim = next(c for c in extracted.claims if c.id in s.claims)
    assert claim.relation == "attack.taliban.islamic-state"


def test_fakur_allegation_and_the_denial_share_one_claim(extracted: Document) -> None:
    fakur = find(extracted, lambda s: s.speakers == ["yonus-fakur"])
    deniers = find(extracted, lambda s: "taliban" in s.speakers and s.cue_lemma == "reject")
    assert len(fakur) >= 4 and len(deniers) == 1
    denial = deniers[0]
    assert set(denial.speakers) == {"afghan-officials", "taliban"}
    # rejecting a suggestion is about its truth: a denial (docs/annotation-guide.md)
    assert denial.stance is Stance.DENIES and denial.stance.polarity == -1
    assert denial.quote.text == "any suggestion of cooperation between the two sides"
    (cid,) = denial.claims
    supporting = [s for s in fakur if cid in s.claims]
    assert supporting and all(s.stance.polarity == 1 for s in supporting)
    assert any("turned a blind eye" in s.quote.text for s in supporting)
    claim = next(c for c in extracted.claims if c.id == cid)
    rel = next(r for r in extracted.relations if r.id == claim.relation)
    assert rel.type is RelationType.TACIT_COOPERATION
    assert {rel.actor, rel.counterpart} == {"afghan-government", "taliban"}
    officials = extracted.actor("afghan-officials")
    assert officials is not None and officials.affiliations == ["afghan-government"]
    # the council head "did not confirm such reports": questions the same claim
    (doubt,) = find(extracted, lambda s: s.quote.text == "such reports")
    assert doubt.speakers == ["abdul-hai-hayat"] and doubt.stance is Stance.QUESTIONS
    assert doubt.cue is not None and doubt.cue.text == "did not confirm" and doubt.claims == [cid]


def test_police_chief_told_dw(extracted: Document) -> None:
    (s,) = find(extracted, lambda s: s.speakers == ["faqir-mohammad-jawzjani"] and s.recipient == "dw")
    assert s.quote.text == "his troops have gone after both militant groups" and s.kind.value == "indirect"
    chief = extracted.actor("faqir-mohammad-jawzjani")
    assert any(r.title == "head of provincial police in Jawzjan" for r in chief.roles)
    later = find(extracted, lambda s: s.speakers == ["faqir-mohammad-jawzjani"] and s.recipient is None)
    assert {s.speaker_mention.text for s in later} == {"he", "Jawzjani"}  # pronoun and surname resolved


def test_islamabad_denies(extracted: Document) -> None:
    (s,) = find(extracted, lambda s: s.cue_lemma == "deny")
    assert s.speakers == ["pakistan"] and s.stance is Stance.DENIES
    assert s.speaker_mention is not None and s.speaker_mention.text == "Islamabad"
    assert s.quote.text == "a charge"  # the pointer phrase is the quote; the claim is what it points at
    # "under pressure from Kabul and Washington to stop offering safe havens ...": they allege it
    (pressure,) = find(extracted, lambda s: s.cue is not None and s.cue.text == "under pressure")
    assert set(pressure.speakers) == {"afghan-government", "united-states"}
    assert pressure.stance is Stance.ALLEGES and pressure.quote.text.startswith("to stop offering safe havens")
    assert s.claims and s.claims == pressure.claims


def test_ghani_offer_is_proposed_and_rejected(extracted: Document) -> None:
    (offer,) = find(extracted, lambda s: s.cue_lemma == "offer")
    assert offer.speakers == ["ashraf-ghani"] and offer.stance is Stance.PROPOSES
    rejections = find(extracted, lambda s: s.speakers == ["taliban"] and s.stance is Stance.REJECTS)
    assert len(rejections) == 2 and all(r.claims == offer.claims for r in rejections)


def test_taliban_is_rivalry_relation(extracted: Document) -> None:
    rel = next(r for r in extracted.relations if r.id == "rivalry.islamic-state.taliban")
    assert rel.type is RelationType.RIVALRY and rel.evidence
    assert any(e.text == "rivalry between the Taliban and IS" for e in rel.evidence)
    # armed clashes are fighting, not rivalry (docs/annotation-guide.md, section 5)
    fight = next(r for r in extracted.relations if r.id == "fighting.islamic-state.taliban")
    assert any(e.text.startswith("The Taliban and IS have engaged in intense fighting") for e in fight.evidence)
    opp = {r.id for r in extracted.relations if r.evidence}
    assert {"opposition.taliban.afghan-government", "opposition.islamic-state.afghan-government"} <= opp


def test_new_relation_types_from_narration(extracted: Document) -> None:
    told = {r.id for r in extracted.relations if r.evidence}
    assert {"captured-territory.islamic-state.taliban", "accusation.afghan-government.pakistan",
            "accusation.pakistan.afghan-government", "peace-rejection.taliban.ashraf-ghani"} <= told
    # in narration or in the statement the pressure is (Kabul and Washington alleging the safe havens)
    assert {"peace-offer.ashraf-ghani.taliban", "pressure.afghan-government.pakistan",
            "pressure.united-states.pakistan"} <= {r.id for r in extracted.relations}


def test_validates_and_ingests(extracted: Document) -> None:
    assert violations(to_triples(extracted)) == []
    store = claimgraph.open_store()
    report = store.ingest(extracted)
    assert report is not None
    store.close()


def test_front_matter_header_and_overrides() -> None:
    body = '"We will win the war," the minister told Reuters.\n'
    raw = "title: A short test\nurl: https://example.org/a\npublisher: Reuters\ndate: 2020-01-02\n---\n" + body
    doc = extract_text(raw)
    assert doc.source.text == body and doc.check() == []
    assert (doc.source.id, doc.source.url, doc.source.date) == ("a-short-test", "https://example.org/a",
                                                                "2020-01-02")
    assert doc.source.publisher == "reuters" and doc.actor("reuters").type.value == "media"
    (s,) = doc.statements
    assert s.recipient == "reuters" and body[s.quote.start:s.quote.end] == "We will win the war"
    other = extract_text(raw, title="Another title", source_id="x-1")
    assert (other.source.id, other.source.title) == ("x-1", "Another title")


def test_missing_model_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from claimgraph.extract import nlp as nlp_module

    def missing(name: str, *a: object, **k: object) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", missing)
    with pytest.raises(ClaimgraphError, match="pip install --no-deps --require-hashes -r requirements/model.txt"):
        nlp_module.nlp.__wrapped__()


def test_cli_extract_prints_a_loadable_annotation() -> None:
    from claimgraph.cli.main import app

    r = CliRunner().invoke(app, ["extract", str(SAMPLE), "--format", "json", "--publisher", "DW"])
    assert r.exit_code == 0, r.output
    doc = from_dict(json.loads(r.stdout))
    assert doc.source.id == "dw-jawzjan" and doc.statements
    r = CliRunner().invoke(app, ["extract", "-", "--format", "jsonl", "--source-id", "t1"],
                           input='"It is over," the mayor said.\n')
    assert r.exit_code == 0, r.output
    line = json.loads(r.stdout)
    assert line["doc_id"] == "t1" and line["quotes"][0]["speaker_text"] == "the mayor"
