"""The optional front-matter header of a plain-text article.

    title: Taliban and 'Islamic State' clash in Afghanistan
    publisher: DW
    url: https://p.dw.com/p/31Lts
    date: 2018-08-03
    ---
    In a major setback for ...

Only ``key: value`` lines with known keys, ended by a line ``---``; anything else means there is
no header and the whole input is the article. Offsets in the Document refer to the text after
the ``---`` line.
"""

from __future__ import annotations

HEADER_KEYS = frozenset({"title", "url", "publisher", "date", "author", "id", "source_id"})


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """(metadata, article text); ({}, raw) when the input has no header."""
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[:20]):
        if line.strip() == "---":
            if meta:
                return meta, "\n".join(lines[n + 1:])
            break
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in HEADER_KEYS or not value.strip():
            break
        meta["id" if key == "source_id" else key] = value.strip()
    return {}, raw
