"""Word lists written as one string: ``words("say tell claim")`` -> frozenset of the words."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# what calls a proposition false ("is untrue", "called the reports hearsay", "dismissed it as nonsense")
FALSE_WORDS = words("untrue false baseless unfounded groundless fabricated fabrication fiction nonsense hearsay"
                    " rubbish lie lies falsehood falsehoods misinformation disinformation fake bogus"
                    " inaccurate incorrect unsubstantiated speculation")
# what judges without saying false (wrong, absurd): a denial only when it judges something said
EVALUATIVE = words("absurd ridiculous preposterous laughable outrageous nonsensical silly crazy wrong"
                   " misleading offensive")
TRUE_WORDS = words("true accurate correct case")
