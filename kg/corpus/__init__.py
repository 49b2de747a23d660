"""Corpus work: what spans many articles. Claims linked across articles by meaning (`linking`),
and corpus ingest (many inputs, in batches, resumable).

May import: errors, model, rdf, extract, store, views. Never the client, the API or the CLI.
"""
