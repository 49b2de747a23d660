"""The Dask worker plugin of corpus ingest (a module of its own: importing it imports distributed)."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin


class PreloadModel(WorkerPlugin):
    """Loads the spaCy model when a worker starts, so each worker process loads it once and the
    first batch does not pay for it (`claimgraph.extract.nlp.nlp` keeps it for the process)."""

    def setup(self, worker: Any) -> None:
        from ..extract.nlp import nlp

        nlp()
