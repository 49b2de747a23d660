"""Automatic extraction: who said what about whom, from raw article text (see docs/extraction.md)."""

from .pipeline import METHOD, extract_file, extract_many, extract_text

__all__ = ["METHOD", "extract_file", "extract_many", "extract_text"]
