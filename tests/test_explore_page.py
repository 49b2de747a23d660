"""The explorer page in real headless Chromium against a live server: search, expand, trace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.settings import Settings
from claimgraph.model import Document
from claimgraph.store import open_store
from tests.livesrv import serve

from .browser import NEEDS_CHROMIUM, launch

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
TACIT = "claim/afghan-government-tacitly-cooperates-with-taliban"
FAKUR_BLIND_EYE = "statement/dw-31lts.6302-6478"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[str]:
    data = tmp_path_factory.mktemp("data")
    st = open_store(data)
    st.ingest(sample_doc)
    with serve(create_app(Settings(data=str(data)), st)) as url:
        yield url
    st.close()


@NEEDS_CHROMIUM
def test_fakur_to_the_blind_eye_quote(base: str, tmp_path: Path) -> None:
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            page.fill("#q", "Fakur")
            page.press("#q", "Enter")
            page.click('#results button[data-id="actor/yonus-fakur"]')
            # his node is expanded: his five statements are in the graph and listed as neighbours
            page.wait_for_selector(f'#neighbours button[data-id="{FAKUR_BLIND_EYE}"]')
            # the first page's overview may share the canvas: count Fakur's own neighbourhood
            fakur = "cy.getElementById('actor/yonus-fakur')"
            assert page.evaluate(f"{fakur}.connectedEdges('[label = \"said\"]').length") == 5
            assert page.evaluate(f"{fakur}.neighborhood('node').filter(n => n.id().startsWith('statement/'))"
                                 ".length") == 5
            page.click(f'#neighbours button[data-id="{FAKUR_BLIND_EYE}"]')
            page.click(f'#neighbours button[data-id="{TACIT}"]')
            page.wait_for_selector("#article mark.current")
            assert "tacitly cooperate" in page.inner_text("#claim-text")
            mark = page.inner_text("#article mark.current")
            assert mark.startswith("The fact that over 2,000 Taliban fighters") and "turned a blind eye" in mark
            assert "turned a blind eye" in page.inner_text("#sentence")
            deniers = page.inner_text("#deniers")
            assert "Afghan officials" in deniers and "Taliban" in deniers
            assert "Yonus Fakur" in page.inner_text("#asserters")
            assert page.get_attribute("#source-link", "href") == "https://p.dw.com/p/31Lts"
            # stance colours: the denial is marked as opposing, Fakur's quote as supporting
            assert page.locator("#statements .stmt.opposes").count() == 1
            assert "supports" in (page.get_attribute("#statements .stmt.current", "class") or "")
            page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
            assert (tmp_path / "explorer.png").stat().st_size > 10_000
            assert errors == []
        finally:
            browser.close()
    assert requests and all(u.startswith(base + "/") for u in requests), [u for u in requests if not u.startswith(base)]
