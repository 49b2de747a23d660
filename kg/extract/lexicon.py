"""Word lists written as one string: ``words("say tell claim")`` -> frozenset of the words."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())
