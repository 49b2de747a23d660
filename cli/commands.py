"""Core commands: ingest, query, export, validate, stats, drop."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimgraph.errors import AnnotationError, ClaimgraphError
from claimgraph.model import Document, annotation
from claimgraph.rdf.terms import to_python
from claimgraph.store import EXPORT_FORMATS, KnowledgeStore, Rows

from .app import DataOpt, app, check_article_size, fail, friendly, read_inputs, store_for
from .corpus import ingest_corpus_command, is_corpus

out = Console()


def _load(name: str, path: Path | None, text: str | None) -> Document:
    if path is not None and path.suffix == ".txt":
        from claimgraph.extract import extract_text

        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise AnnotationError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
        check_article_size(str(path), raw)
        return extract_text(raw, name=path.stem)
    if path is not None:
        return annotation.load(path)
    assert text is not None
    stripped = text.lstrip()
    fmt = "json" if stripped.startswith("{") else "yaml"
    if fmt == "yaml" and "claimgraph:" not in text and "source:" not in text:
        from claimgraph.extract import extract_text

        check_article_size(name, text)
        return extract_text(text)
    return annotation.loads(text, fmt=fmt, base=Path.cwd(), name=name)


@app.command()
@friendly
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Annotation files (.yaml/.json), article texts (.txt), directories, or - for stdin.")],
    data: DataOpt = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Corpus ingest: extract on a local Dask cluster of N worker processes.")] = 0,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Corpus ingest: extract on a running Dask cluster, e.g. tcp://host:8786.")] = None,
    rejects: Annotated[Path, typer.Option("--rejects", help="Corpus ingest: the JSON Lines file listing rejected articles and why.")] = Path("rejects.jsonl"),
    column: Annotated[list[str] | None, typer.Option("--column", help="Corpus ingest: FIELD=COLUMN for JSON Lines / CSV (text, source_id, title, url, date, publisher, author); repeatable.")] = None,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip SHACL validation (trusted bulk input only).")] = False,
    no_link: Annotated[bool, typer.Option("--no-link", help="Do not link extracted claims to the same claims in other articles.")] = False,
) -> None:
    """Ingest articles: each one replaces its article's graph whole, or changes nothing.

    Claims extracted from plain text are linked to the claims other articles in the store already
    make (same proposition: same actors and relation, or the same meaning), so an allegation in one
    article meets its denial in another; hand annotations keep their own claim ids.

    Examples:

      claimgraph ingest samples/dw-jawzjan.yaml

      claimgraph ingest samples/            # every .yaml/.json/.txt inside

      cat article.txt | claimgraph ingest -  # plain text goes through extraction

      claimgraph ingest feed.jsonl.gz --workers 4   # a corpus (JSON Lines, CSV, directories): on Dask
    """
    if workers or scheduler or is_corpus(paths):
        # a corpus: extraction on Dask workers, resumable, bad articles to the rejects file
        return ingest_corpus_command(paths, data, workers=workers, scheduler=scheduler, rejects=rejects,
                                     columns=column or [], validate=not no_validate, link=not no_link,
                                     batch_size=4)
    inputs = list(read_inputs(paths))
    if not inputs:
        raise fail("nothing to ingest: no .yaml, .json or .txt files found")
    # parse and check everything first, so one bad file stops the run before any write
    docs: list[Document] = []
    with _progress(len(inputs) > 3) as bar:
        task = bar.add_task("reading", total=len(inputs))
        for name, path, text in inputs:
            try:
                docs.append(_load(name, path, text))
            except AnnotationError as e:
                raise fail(f"{e} (nothing was ingested)") from None
            bar.advance(task)
    store = store_for(data)
    try:
        if not no_link and any(d.source.method.startswith("automatic") for d in docs):
            docs = _link(docs, store)
        with _progress(len(docs) > 3) as bar:
            task = bar.add_task("ingesting", total=len(docs))
            report = store.ingest_many(docs, validate=not no_validate, progress=lambda _d: bar.advance(task))
    except ClaimgraphError as e:
        done = ", ".join(sorted(getattr(e, "done", []))) or "none"
        raise fail(f"{e} (articles already ingested in this run: {done})") from None
    finally:
        store.close()
    counts: dict[str, int] = {}
    for outcome in report.outcome.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    out.print(f"ingested {len(report.outcome)} article(s): {summary}; {report.triples} triples")


def _link(docs: list[Document], store: KnowledgeStore) -> list[Document]:
    from claimgraph.corpus.linking import Linker

    linker = Linker.from_store(store)
    out = []
    for d in docs:  # in order: each article links to the store's claims and to the ones before it
        out.append(linker.link(d) if d.source.method.startswith("automatic") else d)
        if not d.source.method.startswith("automatic"):
            linker.add(d)
    return out


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    disable=not enabled or not sys.stderr.isatty(), console=Console(stderr=True))


FORMATS = ("table", "json", "csv", "tsv")


@app.command()
@friendly
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query text (or use -f / --named).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    named: Annotated[str | None, typer.Option("--named", "-n", help="Run a named query from queries/ (see `claimgraph queries`).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value for a named query parameter; repeatable.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or tsv.")] = "table",
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 1000,
    data: DataOpt = None,
    reasoning: Annotated[str | None, typer.Option(help="rdfs or owl-rl: also see what the ontology implies "
                                                       "(kept in DATA/inferred-REGIME/; off by default).")] = None,
) -> None:
    """Run a SPARQL query; the default graph is the union of all article graphs.

    Prefixes cg:, schema:, oa:, prov:, rdf:, rdfs:, xsd:, skos:, owl: are predeclared.

    Examples:

      claimgraph query -f queries/contested-claims.rq

      claimgraph query 'SELECT ?name WHERE { ?a a cg:Person ; schema:name ?name }' --format csv

      claimgraph query --named statements-by-actor --param actor=yonus-fakur

      claimgraph query 'SELECT ?a WHERE { ?a a prov:Agent }' --reasoning rdfs   # armed groups are agents too
    """
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}", 2)
    bindings: dict[str, object] = {}
    if named:
        from claimgraph.views.named import get_named_query

        nq = get_named_query(named)
        text = nq.sparql
        bindings = nq.bind(dict(_kv(p) for p in (param or [])))
    elif file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise fail(f"{file}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    elif sparql == "-":
        text = sys.stdin.read()
    elif sparql:
        text = sparql
    else:
        raise fail("give a query: claimgraph query 'SELECT ...', -f FILE.rq or --named NAME", 2)
    store = store_for(data, read_only=True) if _exists(data) else store_for(data)
    if reasoning:
        from claimgraph.store.reasoning import ReasonedStore

        try:
            store = ReasonedStore(store, reasoning)
        except ValueError as e:
            store.close()
            raise fail(f"--reasoning: {e}", 2) from None
    try:
        res = store.query(text, bindings, limit=limit)
    finally:
        store.close()
    _print_result(res, fmt)


def _exists(data: str | None) -> bool:
    from claimgraph.store import DEFAULT_DATA_DIR

    loc = data or str(DEFAULT_DATA_DIR)
    return not loc.startswith(("http://", "https://")) and Path(loc).exists()


def _kv(s: str) -> tuple[str, str]:
    if "=" not in s:
        raise fail(f"--param {s!r}: expected key=value", 2)
    k, v = s.split("=", 1)
    return k, v


def _cell(t: object) -> str:
    v = to_python(t)  # type: ignore[arg-type]
    return "" if v is None else str(v)


def _short(t: object) -> str:
    """A table cell: claimgraph's own IRIs as the ids the API and explorer use (actor/taliban)."""
    from claimgraph.rdf.nodeid import node_id
    from claimgraph.rdf.vocab import ID_BASE

    v = _cell(t)
    return (node_id(v) or v) if v.startswith(ID_BASE) else v


def _print_result(res: object, fmt: str) -> None:
    if isinstance(res, bool):
        print(json.dumps({"boolean": res}) if fmt == "json" else str(res).lower())
        return
    if isinstance(res, list):  # CONSTRUCT / DESCRIBE
        for t in res:
            print(f"{t} .")
        return
    assert isinstance(res, Rows)
    if fmt == "json":
        print(json.dumps(res.dicts(), ensure_ascii=False, indent=2, default=str))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(res.variables)
        for r in res.rows:
            w.writerow([_cell(t) for t in r])
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(*res.variables, show_lines=False)
        for r in res.rows:
            table.add_row(*(_short(t) for t in r))
        out.print(table)
        out.print(f"{len(res)} row(s)" + (" (cut at --limit)" if res.truncated else ""))
    if res.truncated and fmt != "table":
        typer.echo(f"note: results cut at {len(res)} rows (--limit)", err=True)


@app.command()
@friendly
def export(
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(sorted(EXPORT_FORMATS))}, claimreview.")] = "trig",
    source: Annotated[str | None, typer.Option("--source", help="Only this article (its source id).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    data: DataOpt = None,
) -> None:
    """Export the store as RDF. trig and nquads keep one named graph per article.

    Examples:

      claimgraph export --format nquads -o backup.nq     # backup; restore with `claimgraph load`

      claimgraph export --format turtle --source dw-31lts

      claimgraph export --format claimreview -o claims.jsonld   # schema.org Claim/ClaimReview JSON-LD
    """
    if fmt == "claimreview":
        _export_claimreview(source, output, data)
        return
    if fmt not in EXPORT_FORMATS:
        raise fail(f"--format must be one of {', '.join(sorted(EXPORT_FORMATS))}, claimreview", 2)
    store = store_for(data, read_only=_exists(data))
    try:
        if output is None:
            store.export(sys.stdout.buffer, fmt, source)
            sys.stdout.flush()
        else:
            with open(output, "wb") as f:
                store.export(f, fmt, source)
    finally:
        store.close()


def _export_claimreview(source: str | None, output: Path | None, data: str | None) -> None:
    from claimgraph.views.claimreview import export_claimreview

    store = store_for(data, read_only=_exists(data))
    try:
        text = json.dumps(export_claimreview(store, source), ensure_ascii=False, indent=2) + "\n"
    finally:
        store.close()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
@friendly
def load(
    path: Annotated[Path, typer.Argument(help="An N-Quads file (a backup from `export --format nquads`, or a generated corpus).")],
    data: DataOpt = None,
) -> None:
    """Bulk-load N-Quads into the store (fast; not validated, for trusted backups).

    Example:  claimgraph load backup.nq --data restored/
    """
    store = store_for(data)
    try:
        n = store.load_nquads(path)
    finally:
        store.close()
    out.print(f"loaded; the store now holds {n} quads")


@app.command()
@friendly
def validate(
    paths: Annotated[list[str], typer.Argument(help="Annotation files, .txt articles or directories to check (nothing is written).")],
) -> None:
    """Check files against the annotation format and the SHACL shapes without ingesting them.

    Example:  claimgraph validate samples/dw-jawzjan.yaml
    """
    from claimgraph.rdf.mapper import to_triples
    from claimgraph.rdf.validate import violations

    bad = 0
    for name, path, text in read_inputs(paths):
        try:
            doc = _load(name, path, text)
        except AnnotationError as e:
            bad += 1
            for p in e.problems:
                err_line(f"{name}: {p}" if not p.startswith(name) else p)
            continue
        found = violations(to_triples(doc))
        for v in found:
            err_line(f"{name}: SHACL: {v}")
        bad += bool(found)
        if not found:
            out.print(f"{name}: ok ({len(doc.statements)} statements, {len(doc.actors)} actors, "
                      f"{len(doc.claims)} claims, {len(doc.relations)} relations)")
    if bad:
        raise typer.Exit(1)


def err_line(msg: str) -> None:
    Console(stderr=True).print(f"[red]invalid:[/red] {msg}", highlight=False, soft_wrap=True)


@app.command()
@friendly
def stats(
    data: DataOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Count what the store holds: quads, articles, actors, statements, claims, relations.

    Example:  claimgraph stats --format json
    """
    store = store_for(data, read_only=_exists(data))
    try:
        s = store.stats().as_dict()
        s["sources"] = store.sources()  # type: ignore[assignment]
    finally:
        store.close()
    if fmt == "json":
        print(json.dumps(s, indent=2))
        return
    table = Table("what", "count")
    for k, v in s.items():
        table.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
    out.print(table)


@app.command()
@friendly
def reindex(
    data: DataOpt = None,
) -> None:
    """Rebuild the summary graph (the kept counts the explorer reads).

    The named graph <https://claimgraph.org/id/summary> keeps each claim's
    statement counts per stance and side, its number of articles, whether it
    is contested, and each actor's neighbours per kind of edge. Every write
    through claimgraph keeps it in step (ingest, drop, load; a SPARQL Update
    marks it stale and it is recounted before the next read).

    Run this only after writing to the store around claimgraph: `oxigraph
    load`, another program's update on a remote server, a restored copy of
    the data directory. It recounts under the writer lock (about 3 s for a
    million triples on two cores); readers count from the articles meanwhile.

    Examples:

      claimgraph reindex                                # the store in ./data

      claimgraph reindex --data http://127.0.0.1:7878   # a remote SPARQL store
    """
    from claimgraph.store import summary

    store = store_for(data)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True), disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("counting claims and actors", total=None)
            counted = summary.reindex(store, lambda done, total: bar.update(task, completed=done, total=total))
    finally:
        store.close()
    out.print(f"reindexed: {counted['claims']} claims, {counted['actors']} actors, "
              f"{counted['triples']} triples in the summary graph")


@app.command()
@friendly
def drop(
    source_id: Annotated[str, typer.Argument(help="The article's source id (see `claimgraph stats`).")],
    data: DataOpt = None,
) -> None:
    """Remove one article's graph (everything it said) from the store.

    Example:  claimgraph drop dw-31lts
    """
    store = store_for(data)
    try:
        gone = store.drop(source_id)
    finally:
        store.close()
    if not gone:
        raise fail(f"no article {source_id!r} in the store; `claimgraph stats` lists them")
    out.print(f"dropped {source_id}")
