"""Readable node ids for the explorer: `kind/slug` <-> `ID_BASE + kind/slug`.

Only these kinds are explorer nodes; spans, selectors and roles are details of a node, not nodes.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from ..errors import NotFound
from .vocab import ID_BASE, entity_iri

KINDS = ("actor", "claim", "statement", "source", "relation")
_ID = re.compile(r"(actor|claim|statement|source|relation)/[^\s/<>\"{}|\\^`\x00-\x1f\x7f]+")


def node_iri(node_id: str) -> URIRef:
    """The IRI of a `kind/slug` id; NotFound (with the accepted shape) when it cannot be one."""
    if not _ID.fullmatch(node_id or ""):
        raise NotFound(f"{node_id!r} is not a node id; ids look like actor/taliban or claim/<slug> "
                       f"(kinds: {', '.join(KINDS)})")
    kind, slug = node_id.split("/", 1)
    return entity_iri(kind, slug)


def node_id(iri: str) -> str | None:
    """The `kind/slug` id of an IRI, or None when it is not an explorer node."""
    if not iri.startswith(ID_BASE):
        return None
    rest = iri[len(ID_BASE):]
    return rest if _ID.fullmatch(rest) else None


def is_node_id(text: str | None, kind: str | None = None) -> bool:
    """Whether `text` has the shape of a node id (of `kind`, when given)."""
    return bool(text and _ID.fullmatch(text) and (kind is None or text.startswith(f"{kind}/")))


def kind_of(nid: str) -> str:
    return nid.split("/", 1)[0]


def slug_of(nid: str) -> str:
    return nid.split("/", 1)[1]
