"""The explorer's first page in real headless Chromium (issue 19): the graph before any typing,
contested claims with their two sides, one click to the highlighted quote, deep links the page
produces (`/#claim/...`, `/#actor/...`, hand-annotated statement ids), and the 84 PolNeAR dev
articles (evaluation-only data, read from ../shared, never copied) staying readable.

Screenshots land in the test's tmp dir (printed with -s; pytest keeps the last runs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model import Document
from claimgraph.store import open_store

from .browser import NEEDS_CHROMIUM, launch
from .conftest import SHARED
from .livesrv import serve

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
POLNEAR = SHARED / "eval" / "quotes" / "polnear_dev.jsonl"
TACIT = "claim/afghan-government-tacitly-cooperates-with-taliban"
pytestmark = [pytest.mark.browser,
              NEEDS_CHROMIUM]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[str]:
    data = tmp_path_factory.mktemp("first-page")
    st = open_store(data)
    st.ingest(sample_doc)
    with serve(create_app(Settings(data=str(data)), st)) as url:
        yield url
    st.close()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            pg = browser.new_page(viewport={"width": 1400, "height": 900})
            pg.errors = []  # type: ignore[attr-defined]
            pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
            yield pg
        finally:
            browser.close()


def shot(page: Any, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"{name}.png"
    page.screenshot(path=str(out), full_page=False)
    assert out.stat().st_size > 10_000
    print("screenshot:", out)
    return out


def test_first_page_shows_contested_claims_and_clicks_through_to_the_quote(base: str, page: Any,
                                                                           tmp_path: Path) -> None:
    page.goto(base + "/")
    page.wait_for_selector("#contested .contested-claim")
    assert "1 source ·" in page.inner_text("#counts") and "3 contested" in page.inner_text("#counts")
    first = page.locator("#contested .contested-claim").first
    assert "tacitly cooperate" in first.inner_text()
    sides = first.locator(".sides").inner_text()
    assert "Yonus Fakur" in sides and "Afghan officials" in sides and "Taliban" in sides
    assert first.locator(".side-opposes button").all_inner_texts() == ["Afghan officials", "Taliban"]
    # the graph is drawn already: claims and their speakers, with the legend
    assert page.evaluate("cy.nodes('[kind = \"claim\"]').length") == 3
    assert page.evaluate("cy.edges('[side = \"opposes\"]').length") >= 2
    assert page.is_visible("#legend")
    assert page.locator("#top-actors li").count() >= 5 and page.locator("#recent-sources li").count() == 1
    shot(page, tmp_path, "first-page")
    first.locator("button.claim-link").click()
    page.wait_for_selector("#article mark.current")
    assert page.evaluate("location.hash") == f"#{TACIT}"
    assert "Yonus Fakur" in page.inner_text("#asserters")
    assert "turned a blind eye" in page.inner_text("#article")
    shot(page, tmp_path, "claim-trace")
    # home again through the header
    page.click("#home")
    page.wait_for_selector("#contested .contested-claim")
    assert page.errors == []


@pytest.mark.parametrize("link", ["actor/yonus-fakur", "actor/afghan-government", TACIT,
                                  "claim/pakistan-harbours-militants", "statement/dw-31lts.6302-6478",
                                  "source/dw-31lts"])
def test_deep_links_the_page_produces_open(base: str, page: Any, tmp_path: Path, link: str) -> None:
    page.goto(f"{base}/#{link}")
    if link.startswith("claim/"):
        page.wait_for_selector("#claim-text")
    else:
        page.wait_for_selector("#neighbours li")
        assert link in page.inner_text("#panel").lower()
    assert "Error" not in page.inner_text("#panel") and "null" not in page.inner_text("#panel")
    assert page.evaluate(f"cy.getElementById({json.dumps(link)}).length") == 1
    if link == "actor/yonus-fakur":
        assert page.inner_text("#panel h2") == "Yonus Fakur"
        shot(page, tmp_path, "actor-deep-link")
    assert page.errors == []


def test_a_deep_link_followed_inside_the_page(base: str, page: Any) -> None:
    page.goto(base + "/")
    page.wait_for_selector("#contested .contested-claim")
    page.evaluate("location.hash = '#actor/pakistan'")
    page.wait_for_function("document.querySelector('#panel h2') && document.querySelector('#panel h2').innerText === 'Pakistan'")
    page.go_back()
    page.wait_for_selector("#contested .contested-claim")


# ---------------------------------------------------------------- 84 real articles


@pytest.fixture(scope="module")
def polnear(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not POLNEAR.exists():
        pytest.skip(f"{POLNEAR} is absent (evaluation data outside the repository)")
    from claimgraph.extract.pipeline import extract_text

    docs = []
    for line in POLNEAR.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        docs.append(extract_text(r["text"], source_id=r["doc_id"].lower()[:60].strip("-_."),
                                 title=r.get("title"), publisher=r.get("publisher")))
    data = tmp_path_factory.mktemp("polnear")
    st = open_store(data)
    st.ingest_many(docs)
    with serve(create_app(Settings(data=str(data)), st)) as url:
        yield url
    st.close()


@pytest.mark.slow
def test_the_84_article_corpus_stays_readable(polnear: str, page: Any, tmp_path: Path) -> None:
    page.goto(polnear + "/")
    page.wait_for_selector("#top-actors li")
    assert "84 sources" in page.inner_text("#counts")
    # the first page draws a handful of claims and their speakers, not the corpus
    assert 0 < page.evaluate("cy.nodes().length") <= 80
    ids = page.evaluate("cy.edges().map((e) => e.id())")
    assert len(ids) == len(set(ids))
    shot(page, tmp_path, "polnear-first-page")
    top = page.get_attribute("#top-actors li button", "data-id")
    page.goto(f"{polnear}/#{top}")
    page.wait_for_selector("#neighbours li")
    # a hub comes a page at a time, with its totals, and parallel edges drawn once with a count
    assert page.is_visible("#more-neighbours") and "in all" in page.inner_text("#groups")
    before = page.locator("#neighbours li").count()
    page.click("#more-neighbours")
    page.wait_for_function(f"document.querySelectorAll('#neighbours li').length > {before}")
    shot(page, tmp_path, "polnear-hub")
    assert page.errors == []
