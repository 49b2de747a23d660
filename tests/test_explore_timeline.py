"""The explorer shows a claim's timeline of assertions and denials (issue 17), in real headless Chromium,
on the dated multi-article fixture: dated statements in day order, the day it became contested, and the
undated ones counted, never placed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model.annotation import load
from claimgraph.store import KnowledgeStore, open_store

from .browser import NEEDS_CHROMIUM, launch
from .livesrv import serve

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "timeline"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from gen import iter_documents  # noqa: E402

pytestmark = [pytest.mark.browser,
              NEEDS_CHROMIUM]


@contextmanager
def claim_page(st: KnowledgeStore, claim: str) -> Iterator[tuple[Any, list[str]]]:
    """The explorer's page of `claim` in headless Chromium, its timeline drawn; and the page's errors."""
    with serve(create_app(Settings(), store=st)) as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/#claim/" + claim)
            page.wait_for_selector("#timeline li")
            yield page, errors
        finally:
            browser.close()


def test_claim_timeline_in_the_page(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    st.ingest_many([load(f) for f in sorted(FIXTURES.glob("*.yaml"))])
    with claim_page(st, "ceasefire-agreed") as (page, errors):
        days = page.eval_on_selector_all("#timeline li", "els => els.map(e => e.dataset.day)")
        sides = page.eval_on_selector_all("#timeline li", "els => els.map(e => e.classList[1])")
        assert days == sorted(days) and len(days) >= 3, days
        assert "supports" in sides and "opposes" in sides, sides
        # contested from the first denial after an assertion, marked once
        assert page.locator("#timeline .contested-from").count() == 1
        first_denial = sides.index("opposes")
        marked = page.eval_on_selector_all("#timeline li", "els => els.findIndex(e => e.querySelector('.contested-from'))")
        assert marked == first_denial
        page.screenshot(path=str(tmp_path / "claim-timeline.png"))
        assert not errors, errors
    st.close()


def test_claim_timeline_a_page_at_a_time(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    st.ingest_many(list(iter_documents(30_000, seed=3)), validate=False)
    hub = st.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s cg:about ?c ; cg:statedOn ?d } } "
                    "GROUP BY ?c ORDER BY DESC(?n) LIMIT 1").dicts()[0]
    dated = int(hub["n"])
    assert 50 < dated <= 100, dated  # two pages of the explorer's 50
    with claim_page(st, hub["c"].rsplit("/", 1)[1]) as (page, errors):
        assert page.locator("#timeline li").count() == 50
        assert page.text_content("#timeline-shown") == f"50 of {dated} dated statement(s)"
        page.click("#timeline-more")
        page.wait_for_function(f"document.querySelectorAll('#timeline li').length === {dated}")
        days = page.eval_on_selector_all("#timeline li", "els => els.map(e => e.dataset.day)")
        assert days == sorted(days)
        ids = page.eval_on_selector_all("#timeline li", "els => els.map(e => e.dataset.statement)")
        assert len(set(ids)) == dated  # the second page continues the first, nothing twice
        assert page.locator("#timeline-more").is_hidden()
        assert page.locator("#timeline .contested-from").count() <= 1
        assert not errors, errors
    st.close()
