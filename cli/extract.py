"""`claimgraph extract ARTICLE.txt|-`: automatic extraction, printed in the annotation format."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimgraph.model import slugify
from claimgraph.model.annotation import dumps

from .app import app, check_article_size, friendly


class ExtractFormat(StrEnum):
    yaml = "yaml"
    json = "json"
    jsonl = "jsonl"


@app.command()
@friendly
def extract(
    articles: Annotated[list[str], typer.Argument(help="Plain-text article(s), or - for stdin. "
                                                   "An optional 'key: value' header ended by '---' "
                                                   "gives title, url, publisher, date, author.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="yaml/json: the annotation "
                                                  "format; jsonl: one line per article in the quote "
                                                  "scorer's prediction format")] = ExtractFormat.yaml,
    title: Annotated[str | None, typer.Option(help="Article title (overrides the header)")] = None,
    url: Annotated[str | None, typer.Option(help="Article URL")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher, e.g. DW (becomes a media actor)")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD")] = None,
    author: Annotated[str | None, typer.Option(help="Author")] = None,
    source_id: Annotated[str | None, typer.Option("--source-id", help="Source id (a slug); "
                                                  "default: slug of the title or file name")] = None,
) -> None:
    """Find who said what about whom in raw article text; print the Document."""
    from claimgraph.extract import document_prediction, extract_text

    options = {"title": title, "url": url, "publisher": publisher, "date": date, "author": author}
    if len(articles) > 1 and source_id:
        raise typer.BadParameter("--source-id needs a single article")
    for name in articles:
        if name == "-":
            raw, stem = sys.stdin.read(), None
        else:
            path = Path(name)
            raw, stem = path.read_text(encoding="utf-8"), path.stem
        check_article_size(name, raw)
        doc = extract_text(raw, source_id=source_id, name=stem, **options)
        if format is ExtractFormat.jsonl:
            line = document_prediction(stem and slugify(stem) or doc.source.id, doc)
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            if len(articles) > 1 and format is ExtractFormat.yaml:
                sys.stdout.write("---\n")
            sys.stdout.write(dumps(doc, fmt=format.value))
