"""Debian's Chromium for the web page tests, driven by Playwright with `executable_path` (Playwright
cannot download a browser here; ./dev test installs the `chromium` package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed")
# no background fetches of its own: the tests assert that the page asks nothing of other hosts
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]


def launch(playwright: Any) -> Any:
    """A headless Chromium browser (close it when done)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
