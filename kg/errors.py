"""The errors claimgraph raises. Each carries a message that says what went wrong and what to do."""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class: a user-facing error with a one-line message."""


class AnnotationError(ClaimgraphError):
    """An annotation file is malformed or does not match its article text."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class ValidationError(ClaimgraphError):
    """The RDF for an article breaks a SHACL shape; nothing was written."""

    def __init__(self, message: str, violations: list[str]) -> None:
        super().__init__(message)
        self.violations = violations


class QueryError(ClaimgraphError):
    """A SPARQL query could not be parsed or evaluated."""


class NotFound(ClaimgraphError):
    """A node, claim, actor or source id is not in the store."""


class StoreError(ClaimgraphError):
    """The store could not be opened or written."""
