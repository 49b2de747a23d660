"""Letters to the editor: where the article's own voice is a reader's, and takes sides.

A letters page is a run of letters, each a few paragraphs closed by its writer's signature line
("Michael Pravica." then, optionally, "Henderson, Nev."). The annotation guideline (section 2,
"Narration") makes the writer's own sentences statements when they take a side on a claim: the
writer's view ("I cannot fathom how X escaped charges") or a denial ("She's done nothing wrong.").
This module only finds the letters (offsets and the signature); the pipeline turns sentences into
statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import words

# "Michael Pravica.", "Toni LeAnn Williams.": a paragraph that is a name and a full stop
_SIGNATURE = re.compile(r"[A-Z][\w'’-]*\.?(?: (?:[A-Z][\w'’-]*\.?|[a-z]{1,3})){1,3}\.")
# "Henderson, Nev.", "Tulsa, Okla.": the writer's town after the name
_PLACE = re.compile(r"[A-Z][\w .'’-]{1,30}, [A-Z][\w.'’ -]{1,20}\.?")
# the views a writer states in the first person: "I cannot fathom how ...", "I think that ..."
OPINION = words("fathom think believe hope doubt wonder know fear suspect understand find")


@dataclass(frozen=True, slots=True)
class Letter:
    start: int  # the first character of the letter's body
    end: int  # the end of its last body paragraph
    signature: tuple[int, int]  # the writer's name (without the full stop)


def letters(text: str) -> list[Letter]:
    """The letters of a letters page, in order; [] for any other article (fewer than two signatures)."""
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s = pos + len(line) - len(line.lstrip())
        e = pos + len(line.rstrip())
        if e > s:
            paras.append((s, e))
        pos += len(line) + 1
    out: list[Letter] = []
    body: list[tuple[int, int]] = []
    for s, e in paras:
        chunk = text[s:e]
        if _SIGNATURE.fullmatch(chunk) and len(chunk.split()) <= 4:
            if body:
                out.append(Letter(body[0][0], body[-1][1], (s, e - 1)))
            body = []
        elif _PLACE.fullmatch(chunk) and not body:
            continue  # the signatory's town
        elif chunk.isupper() or len(chunk.split()) <= 2:
            body = []  # a heading ("LETTERS.", "FACEBOOK."): the next letter starts after it
        else:
            body.append((s, e))
    return out if len(out) >= 2 else []


__all__ = ["OPINION", "Letter", "letters"]
