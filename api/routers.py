"""Where each feature's router is plugged into the app (one line per feature)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    from . import queries; app.include_router(queries.router)  # noqa: E702, I001
    from . import sparql; app.include_router(sparql.router)  # noqa: E702, I001
    # before explore: its /actors/{id:path} would take /actors/x/timeline
    from . import timeline; app.include_router(timeline.router)  # noqa: E702, I001
    from . import explore; app.include_router(explore.router)  # noqa: E702, I001
    from . import analytics; app.include_router(analytics.router)  # noqa: E702, I001
    from . import ingest; app.include_router(ingest.router)  # noqa: E702, I001
