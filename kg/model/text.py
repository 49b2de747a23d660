"""Small text utilities shared by the mapper, extraction and the trace: sentences and context."""

from __future__ import annotations

import re
from bisect import bisect_right

CONTEXT = 32
"""Characters of prefix and suffix kept in a TextQuoteSelector."""

_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "rep", "sen",
           "gov", "pres", "no", "vs", "etc", "inc", "co", "corp", "ltd", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m"}
_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n""")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering the text, whitespace trimmed; deterministic and cheap."""
    cuts = [0]
    for m in _END.finditer(text):
        if m.group().startswith((".",)):
            word = re.search(r"([A-Za-z.]+)\.$", text[max(0, m.start() - 12): m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREV:
                continue
            if word and re.fullmatch(r"[A-Z]", word.group(1)):  # initials: "John F. Kennedy"
                continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


class Sentences:
    """Find the sentence(s) around a span quickly (bisect over precomputed bounds)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds = sentence_bounds(text)
        self._starts = [a for a, _ in self.bounds]

    def around(self, start: int, end: int) -> tuple[int, int]:
        if not self.bounds:
            return start, end
        i = max(0, bisect_right(self._starts, start) - 1)
        j = max(i, bisect_right(self._starts, max(start, end - 1)) - 1)
        return min(self.bounds[i][0], start), max(self.bounds[j][1], end)


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix of a span, as a TextQuoteSelector keeps them."""
    return text[max(0, start - width): start], text[end: end + width]
