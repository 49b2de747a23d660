"""The `claimgraph` command's Typer app and what its subcommands share: a thin face over kg/.

Each subcommand parses options, calls one library function and prints. Errors from the
library (ClaimgraphError) become one line on stderr and exit code 1; bad usage exits 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from claimgraph.errors import AnnotationError, ClaimgraphError
from claimgraph.store import DEFAULT_DATA_DIR, KnowledgeStore, open_store

app = typer.Typer(
    name="claimgraph",
    help="A knowledge graph of actors, claims and sources built from news reporting.\n\n"
    "Start with:  claimgraph ingest samples/  then  claimgraph serve",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

DataOpt = Annotated[
    str | None,
    typer.Option("--data", "-d", envvar="CLAIMGRAPH_DATA", show_envvar=True,
                 help="Data directory of the embedded store, or the URL of a SPARQL store "
                      "(http://host:7878). Default: ./data"),
]

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def store_for(data: str | None, read_only: bool = False) -> KnowledgeStore:
    return open_store(data or DEFAULT_DATA_DIR, read_only=read_only)


def friendly(fn: F) -> F:
    """Turn library errors into a one-line message and exit code 1."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ClaimgraphError as e:
            raise fail(str(e)) from None
        except OSError as e:
            raise fail(f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:
            # a bug, not bad input: still one line, and the traceback on request for the report
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            first = (str(e).splitlines() or [""])[0][:300]
            raise fail(f"unexpected {type(e).__name__}: {first} (a bug: please report it; "
                       "CLAIMGRAPH_DEBUG=1 shows the traceback)") from None

    return wrapper  # type: ignore[return-value]


def check_article_size(name: str, text: str) -> None:
    """Refuse an article text longer than the parser takes, before parsing it.

    spaCy's parser needs about 1 GB per 100,000 characters of one text and refuses texts over
    `nlp.max_length` (1,000,000 characters) with error E088; an article that long is almost
    always several articles or a dump, so claimgraph says so instead of cutting it silently.
    """
    from claimgraph.extract.nlp import nlp

    limit = int(nlp().max_length)
    if len(text) > limit:
        raise AnnotationError(
            f"{name}: the article is {len(text):,} characters and extraction takes at most {limit:,}; "
            "split it into several articles (at paragraph breaks) and extract or ingest each")


def read_inputs(paths: list[str]) -> Iterator[tuple[str, Path | None, str | None]]:
    """(name, path, stdin text) for each input; directories expand to their annotation/text files."""
    for p in paths:
        if p == "-":
            yield "<stdin>", None, sys.stdin.read()
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.suffix in {".yaml", ".yml", ".json", ".txt"})
            # a .txt next to an annotation file of the same stem is that annotation's text
            stems = {f.with_suffix("") for f in files if f.suffix != ".txt"}
            texts_used = set()
            for f in files:
                if f.suffix != ".txt":
                    texts_used.add(f.with_suffix(".txt"))
            for f in files:
                if f.suffix == ".txt" and (f.with_suffix("") in stems or f in texts_used):
                    continue
                yield str(f), f, None
        elif path.exists():
            yield str(path), path, None
        else:
            raise fail(f"{p}: no such file or directory")
