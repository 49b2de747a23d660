"""Automatic extraction: who said what about whom, from raw article text (see docs/extraction.md)."""

from __future__ import annotations

from .pipeline import METHOD, VERSION, build, document_prediction, extract_file, extract_many, extract_text

__all__ = ["METHOD", "VERSION", "build", "document_prediction", "extract_file", "extract_many", "extract_text"]
