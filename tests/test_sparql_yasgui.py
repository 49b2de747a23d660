"""The bundled YASGUI editor in a real headless Chromium: it runs a query offline against /sparql."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import httpx
import pytest

from claimgraph.model import Document

from .browser import NEEDS_CHROMIUM, launch
from .test_sparql_protocol import live_server, sample_store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[str]:
    with live_server(sample_store(tmp_path_factory.mktemp("yasgui"), sample_doc)) as url:
        yield url


def test_page_is_served_without_a_cdn(server: str) -> None:
    for path, headers in (("/query", {}), ("/sparql", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})):
        r = httpx.get(server + path, headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "/query/assets/yasgui.min.js" in r.text and "cdn" not in r.text.lower()
        assert "statements-by-actor" in r.text and "https://claimgraph.org/ns#" in r.text
    assert httpx.get(server + "/query/assets/yasgui.min.js").status_code == 200
    assert httpx.get(server + "/query/assets/..%2Fsparql.py").status_code == 404


@pytest.mark.browser
@NEEDS_CHROMIUM
def test_yasgui_runs_a_query_offline(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    hosts: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.on("request", lambda req: hosts.append(urlparse(req.url).hostname or req.url))
            page.goto(server + "/query")
            page.wait_for_selector(".yasqe .CodeMirror")
            page.select_option("#examples", "statements-by-actor")
            page.evaluate("() => { yasgui.getTab().setQuery('PREFIX schema: <https://schema.org/>\\n"
                          "SELECT DISTINCT ?headline WHERE { ?a a schema:NewsArticle ; schema:headline ?headline }');"
                          " return true; }")
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr table tbody tr", timeout=15000)
            text = page.inner_text(".yasr table tbody")
            assert "Taliban" in text
            page.select_option("#examples", "actors-by-statements")
            page.click(".yasqe_queryButton")
            page.wait_for_function("() => document.querySelectorAll('.yasr table tbody tr').length > 1",
                                   timeout=15000)
        finally:
            browser.close()
    assert hosts and set(hosts) <= {"127.0.0.1"}, set(hosts)
