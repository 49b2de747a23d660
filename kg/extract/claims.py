"""Claims: one per distinct proposition, so that asserting and denying statements meet.

A statement whose content states an actor relation proposes that relation: its claim is keyed by
relation type and the two actors, and its id is the relation id
(``tacit-cooperation.afghan-government.taliban``), whoever says it and whether they assert or deny
it. A more general relation on the same pair folds into the more specific one that another
statement proposes ("reject any suggestion of cooperation" denies the alleged tacit cooperation).
Other content becomes a claim keyed by the slug of its text; a content that only points back
("did not confirm such reports") takes the claims of the statement before it.
"""

from __future__ import annotations

import re

from ..model import Claim, Relation, RelationType, relation_id, slugify
from .lexicon import words

TEMPLATES: dict[RelationType, str] = {
    RelationType.RIVALRY: "{a} and {b} are rivals",
    RelationType.OPPOSITION: "{a} opposes {b}",
    RelationType.ATTACK: "{a} attacks {b}",
    RelationType.ACCUSATION: "{a} accuses {b}",
    RelationType.ALLIANCE: "{a} and {b} are allies",
    RelationType.COOPERATION: "{a} and {b} cooperate",
    RelationType.TACIT_COOPERATION: "{a} and {b} tacitly cooperate",
    RelationType.SUPPORT: "{a} supports {b}",
    RelationType.SURRENDER: "{a} surrenders to {b}",
    RelationType.NEGOTIATION: "{a} and {b} negotiate",
}
# general -> the more specific relations it covers
SPECIFIC: dict[RelationType, tuple[RelationType, ...]] = {
    RelationType.COOPERATION: (RelationType.TACIT_COOPERATION, RelationType.ALLIANCE),
}
POINTERS = words("report reports claim claims allegation allegations accusation accusations suggestion suggestions "
    "charge charges assertion rumour rumours rumor rumors account accounts idea notion"
)
_WORDS = re.compile(r"[\w'’-]+")


def content_text(text: str) -> str:
    """The proposition as written: quotation marks, 'that' and edge punctuation dropped."""
    s = re.sub(r"[\"“”«»]|''|``", "", text).strip(" ,.;:-–—'‘’")
    s = re.sub(r"^that\s+", "", s)
    return re.sub(r"\s+", " ", s)


def is_pointer(text: str) -> bool:
    """'such reports', 'the claim', 'these allegations': content that refers back."""
    words = [w.lower() for w in _WORDS.findall(text)]
    return 1 <= len(words) <= 4 and words[-1] in POINTERS and words[0] in (
        "such", "the", "these", "this", "those", "that", "any", "all", "those"
    )


class ClaimBook:
    """Claims of one article, by id, in first-seen order."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.claims: dict[str, Claim] = {}

    def for_relation(self, rel: Relation, concerns: list[str]) -> str:
        cid = rel.id
        if cid not in self.claims:
            text = TEMPLATES[rel.type].format(
                a=self.names.get(rel.actor, rel.actor), b=self.names.get(rel.counterpart, rel.counterpart)
            )
            self.claims[cid] = Claim(id=cid, text=text, relation=rel.id, concerns=[rel.actor, rel.counterpart])
        self._concern(cid, concerns)
        return cid

    def for_text(self, text: str, concerns: list[str]) -> str | None:
        prop = content_text(text)
        if not _WORDS.search(prop):
            return None
        cid = slugify(prop)
        if cid not in self.claims:
            self.claims[cid] = Claim(id=cid, text=prop)
        self._concern(cid, concerns)
        return cid

    def _concern(self, cid: str, concerns: list[str]) -> None:
        c = self.claims[cid]
        for a in concerns:
            if a not in c.concerns:
                c.concerns.append(a)

    def fold(self, relations: dict[str, Relation], principal: dict[str, str]) -> dict[str, str]:
        """Fold claims into one proposition; old id -> new id.

        A government body's claim folds into its government's on the same relation ("Afghan forces
        turned a blind eye to the Taliban" is the government tacitly cooperating), and a general
        relation into a more specific one on the same pair.
        """
        moved: dict[str, str] = {}
        for cid, c in list(self.claims.items()):
            r = relations.get(c.relation or "")
            if r is None:
                continue
            a, b = principal.get(r.actor, r.actor), principal.get(r.counterpart, r.counterpart)
            target = relation_id(r.type, a, b)
            if target != cid and target in self.claims:
                moved[cid] = target
                self._concern(target, c.concerns)
                del self.claims[cid]
        by_pair: dict[frozenset[str], list[Relation]] = {}
        for c in self.claims.values():
            if c.relation and c.relation in relations:
                r = relations[c.relation]
                by_pair.setdefault(frozenset((r.actor, r.counterpart)), []).append(r)
        for rels in by_pair.values():
            for r in rels:
                for specific in SPECIFIC.get(r.type, ()):
                    target = next((x for x in rels if x.type is specific), None)
                    if target is not None and r.id in self.claims:
                        moved[r.id] = target.id
                        self._concern(target.id, self.claims[r.id].concerns)
                        del self.claims[r.id]
                        break
        return {k: moved.get(v, v) for k, v in moved.items()}
