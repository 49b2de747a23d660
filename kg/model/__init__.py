"""The model: plain typed objects of an annotated article, and the annotation format that reads them.

Owns: `core` (Actor, Statement, Claim, Relation, Source, Document, Span and the closed sets
ActorType, Stance, RelationType, StatementKind; slugs and deterministic ids), `annotation`
(the YAML/JSON annotation format) and `text` (sentence bounds, quote context).
May import: `claimgraph.errors` only. Nothing here knows RDF, stores or HTTP.
"""

from .core import (
    DATE_RE,
    IRI_RE,
    SLUG_RE,
    URL_RE,
    Actor,
    ActorType,
    Claim,
    Document,
    Relation,
    RelationType,
    Review,
    Role,
    Source,
    Span,
    Stance,
    Statement,
    StatementKind,
    relation_id,
    slugify,
    stated_on,
    statement_id,
)

__all__ = [
    "DATE_RE", "IRI_RE", "SLUG_RE", "URL_RE", "Actor", "ActorType", "Claim", "Document", "Relation",
    "RelationType", "Review", "Role", "Source", "Span", "Stance", "Statement", "StatementKind", "relation_id",
    "slugify", "stated_on", "statement_id",
]
