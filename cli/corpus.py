"""`claimgraph ingest CORPUS --workers N`: the corpus face of ingest (the work is claimgraph.corpus.ingest)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from claimgraph.corpus.inputs import TABLE_SUFFIXES

from .app import fail, store_for


def is_corpus(paths: list[str]) -> bool:
    """JSON Lines or CSV inputs (optionally gzipped) are a corpus even without --workers."""
    return any(p.lower().removesuffix(".gz").endswith(TABLE_SUFFIXES) for p in paths)


def _columns(specs: list[str]) -> dict[str, str]:
    out = {}
    for s in specs:
        field, sep, col = s.partition("=")
        if not sep or not field or not col:
            raise fail(f"--column {s!r}: expected FIELD=COLUMN, e.g. text=body", 2)
        out[field] = col
    return out


def ingest_corpus_command(paths: list[str], data: str | None, *, workers: int, scheduler: str | None,
                          rejects: Path, columns: list[str], validate: bool, link: bool,
                          batch_size: int) -> None:
    from claimgraph.corpus.ingest import default_linker, ingest_corpus

    if "-" in paths:
        raise fail("a corpus is read from files: give the path instead of -", 2)
    err = Console(stderr=True)
    store = store_for(data)
    try:
        with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                      TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(), TextColumn("ETA"),
                      TimeRemainingColumn(), console=err, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("ingesting", total=None, rate="-")

            def progress(done: int, total: int) -> None:
                elapsed = bar.tasks[0].elapsed or 0.0
                rate = f"{done / elapsed:.2f}" if elapsed > 0 else "-"
                bar.update(task, completed=done, total=total, rate=rate)

            report = ingest_corpus(store, paths, workers=workers, scheduler=scheduler, columns=_columns(columns),
                                   validate=validate, rejects=rejects, batch_size=batch_size,
                                   link=default_linker(store) if link else None, progress=progress)
    finally:
        store.close()
    Console().print(f"{report.summary()}; {report.triples} triples written in {report.wall:.1f} s")
    if report.rejected:
        err.print(f"rejected articles and why: {rejects}")
