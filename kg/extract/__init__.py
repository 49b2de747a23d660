"""Automatic extraction: who said what about whom, from raw article text (see docs/extraction.md).

Owns: the spaCy parse (`nlp`), quotes and cues (`quotes`), actors (`actors`, `gazetteer`), stance,
relations and claims, the article header, and `pipeline`, which turns text into a `Document`.
May import: `claimgraph.errors`, `claimgraph.model`. Never RDF, a store or HTTP: the output is plain
typed objects with spans, and `claimgraph.rdf.mapper` alone turns them into triples.
"""

from __future__ import annotations

from .pipeline import METHOD, VERSION, build, document_prediction, extract_file, extract_many, extract_text

__all__ = ["METHOD", "VERSION", "build", "document_prediction", "extract_file", "extract_many", "extract_text"]
