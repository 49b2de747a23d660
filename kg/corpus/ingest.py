"""Corpus ingest: many articles, extracted on Dask workers, written in batches, resumable.

    >>> from claimgraph.corpus.ingest import ingest_corpus
    >>> from claimgraph.store import open_store
    >>> report = ingest_corpus(open_store("data"), ["feed.jsonl.gz"], workers=2)   # doctest: +SKIP
    >>> report.counts()                                                             # doctest: +SKIP
    {'ingested': 84, 'unchanged': 0, 'rejected': 0}

How it runs:

* The client (this process) reads the inputs (`claimgraph.corpus.inputs`), skips every article
  whose input digest is already stored (`cg:inputDigest`, so a repeated or resumed run parses
  only what is new), and sends the rest to the workers in batches.
* Workers run `process_batch`: one `nlp.pipe` over the batch, the extraction rules, the mapping
  to triples and the SHACL check. Each worker process loads the spaCy model once (a worker
  plugin preloads it; `claimgraph.extract.nlp.nlp` keeps it). With `workers=0` the same function
  runs in this process, without Dask.
* The client writes the mapped articles through the store's bulk path
  (`KnowledgeStore.write_articles`), a batch at a time, each article whole or not at all. The
  digest is in the article's graph, so what was written before a crash counts as done.
* An input that cannot become an article (empty, binary, not UTF-8, too long, not JSON, a failed
  extraction or SHACL check) is a reject: a line in the rejects file, and the run goes on.

Dask: `workers=N` starts a `LocalCluster` of N single-threaded worker processes;
`scheduler="tcp://host:8786"` uses a running cluster (its workers need claimgraph installed).
"""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import ClaimgraphError
from ..model import Document
from ..rdf.mapper import graph_iri, nquads, to_triples
from ..store.base import ArticleGraph, KnowledgeStore
from .inputs import MAX_CHARS, Article, Reject, count_articles, read_corpus

Linker = Callable[[Document], Document]
"""The cross-article claim linker's shape (`claimgraph.corpus.linking`): a Document in, the
Document with its claims linked to claims already stored out. It runs on the client, which holds
the store, between extraction and writing."""

PHASES = ("read", "parse", "rules", "mapping", "validate", "link", "writing")

_DIGESTS = "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?src cg:inputDigest ?d } }"


@dataclass(slots=True)
class Extracted:
    """A worker's result for one article: the Document (for a linker) and its N-Quads."""

    name: str
    digest: str
    doc: Document
    nquads: str


@dataclass(slots=True)
class BatchResult:
    items: list[Extracted | Reject]
    seconds: dict[str, float]
    worker: str
    peak_rss_mib: float


@dataclass(slots=True)
class CorpusReport:
    """What a corpus ingest did; `outcome` is the store's word per source id (added / replaced...)."""

    ingested: int = 0
    unchanged: int = 0
    rejected: int = 0
    outcome: dict[str, str] = field(default_factory=dict)
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    wall: float = 0.0
    workers: dict[str, float] = field(default_factory=dict)  # worker -> peak RSS (MiB)

    def counts(self) -> dict[str, int]:
        return {"ingested": self.ingested, "unchanged": self.unchanged, "rejected": self.rejected}

    def summary(self) -> str:
        return f"{self.ingested} ingested, {self.unchanged} unchanged, {self.rejected} rejected"


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _document(article: Article, parsed: Any | None) -> Document:
    from ..extract.header import split_header
    from ..extract.pipeline import Meta, build
    from ..model import annotation

    if article.kind != "text":
        return annotation.loads(article.text, fmt=article.kind, base=Path(article.name).parent,
                                name=article.name)
    header, body = split_header(article.text)
    m = article.meta
    meta = Meta(source_id=m.get("source_id") or header.get("id"), title=m.get("title") or header.get("title"),
                publisher=m.get("publisher") or header.get("publisher"), url=m.get("url") or header.get("url"),
                date=m.get("date") or header.get("date"), author=m.get("author") or header.get("author"))
    return build(body, parsed, meta, name=m.get("name"))


def process_batch(articles: list[Article], validate: bool = True) -> BatchResult:
    """Extract, map and check a batch of articles (runs on a worker; pure: the store is never touched)."""
    from ..extract.header import split_header
    from ..extract.nlp import nlp
    from ..rdf.validate import check

    seconds = dict.fromkeys(PHASES, 0.0)
    texts = [i for i, a in enumerate(articles) if a.kind == "text"]
    t0 = time.perf_counter()
    bodies = [split_header(articles[i].text)[1] for i in texts]
    parsed: dict[int, Any] = {}
    failed: dict[int, str] = {}
    try:
        parsed = dict(zip(texts, nlp().pipe(bodies, batch_size=len(bodies) or 1), strict=True))
    except Exception:  # one text broke the batch's pipe: parse one by one to find it
        for i, body in zip(texts, bodies, strict=True):
            try:
                parsed[i] = nlp()(body)
            except Exception as e:
                failed[i] = f"the parser failed: {type(e).__name__}: {str(e)[:200]}"
    seconds["parse"] += time.perf_counter() - t0
    items: list[Extracted | Reject] = []
    for i, a in enumerate(articles):
        if i in failed:
            items.append(Reject(a.name, failed[i]))
            continue
        try:
            t = time.perf_counter()
            doc = _document(a, parsed.get(i))
            doc.source.digest = a.digest
            problems = doc.check()
            if problems:
                raise ClaimgraphError(f"inconsistent offsets: {problems[0]}")
            seconds["rules"] += (t1 := time.perf_counter()) - t
            triples = to_triples(doc)
            text = "".join(nquads(triples, graph_iri(doc.source.id)))
            seconds["mapping"] += (t2 := time.perf_counter()) - t1
            if validate:
                check(triples, f"source {doc.source.id}")
            seconds["validate"] += time.perf_counter() - t2
        except ClaimgraphError as e:  # annotation errors, SHACL violations: this article only
            items.append(Reject(a.name, str(e)[:500]))
            continue
        except Exception as e:  # an extraction bug must not stop the corpus: report it with the article
            items.append(Reject(a.name, f"extraction failed: {type(e).__name__}: {str(e)[:300]}"))
            continue
        items.append(Extracted(a.name, a.digest, doc, text))
    return BatchResult(items, seconds, _worker_name(), _peak_rss_mib())


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def stored_digests(store: KnowledgeStore) -> set[str]:
    """The input digests of every article in the store (one query at the start of a run)."""
    return {str(d.value) for d in store.select(_DIGESTS).column("d") if d is not None}


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for a in items:
        batch.append(a)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def _executor(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client (a LocalCluster of `workers` processes, or the cluster at `scheduler`), or None."""
    if not workers and not scheduler:
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        raise ClaimgraphError("corpus ingest on workers needs dask[distributed]: pip install 'dask[distributed]'") from None
    from .dask_plugin import PreloadModel

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        # one thread per worker process: spaCy's parse holds the GIL, so processes are the parallelism
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)  # any free port
        client = Client(cluster)
    try:
        client.register_plugin(PreloadModel(), name="claimgraph-preload-model")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def ingest_corpus(store: KnowledgeStore, paths: Iterable[str | Path], *, workers: int = 0,
                  scheduler: str | None = None, batch_size: int = 4, write_batch: int = 16,
                  columns: Mapping[str, str] | None = None, max_chars: int = MAX_CHARS,
                  validate: bool = True, rejects: str | Path | IO[str] | None = None,
                  link: Linker | None = None, search_index: bool = True,
                  progress: Callable[[int, int], None] | None = None,
                  on_written: Callable[[CorpusReport], None] | None = None) -> CorpusReport:
    """Ingest a corpus into `store`; see the module docstring.

    `progress(done, total)` is called as articles are settled (ingested, unchanged or rejected);
    `on_written(report)` after each write batch. `rejects` is a path or an open text file that
    gets one JSON line per reject (`{"input": ..., "reason": ...}`). With `search_index`, the
    store's persistent full-text index (beside an embedded store on disk) is updated per write
    batch, in the same run, from the change events of the write path.
    """
    paths = [Path(p) for p in paths]
    report = CorpusReport()
    start = time.perf_counter()
    total = count_articles(paths)
    known = stored_digests(store)
    seen: set[str] = set()
    done = 0
    if progress is not None:
        progress(0, total)  # the bar knows the total (and so the ETA) before the first article lands
    out: IO[str] | None = None
    files = contextlib.ExitStack()  # the rejects file, opened at the first reject only
    index = _search_index(store) if search_index else None
    if index is not None:
        files.callback(index.close)

    def settle(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, max(total, done))

    def reject(r: Reject) -> None:
        nonlocal out
        report.rejected += 1
        if rejects is not None:
            if out is None:
                out = (files.enter_context(Path(rejects).open("w", encoding="utf-8"))  # noqa: SIM115
                       if isinstance(rejects, (str, Path)) else rejects)
            out.write(r.as_json() + "\n")
            out.flush()
        settle()

    def fresh() -> Iterator[Article]:
        # what is stored (or came earlier in this run) is skipped here, before any parse
        t = time.perf_counter()
        for item in read_corpus(paths, columns, max_chars):
            if isinstance(item, Reject):
                reject(item)
            elif item.digest in known or item.digest in seen:
                report.unchanged += 1
                settle()
            else:
                seen.add(item.digest)
                report.seconds["read"] += time.perf_counter() - t
                yield item
                t = time.perf_counter()
                continue
            report.seconds["read"] += time.perf_counter() - t
            t = time.perf_counter()

    pending: list[tuple[Extracted, ArticleGraph]] = []

    def write() -> None:
        if not pending:
            return
        t = time.perf_counter()
        written = store.write_articles([g for _, g in pending])
        if index is not None:
            index.refresh()  # the articles just written, heard through the store's change events
        report.seconds["writing"] += time.perf_counter() - t
        report.outcome.update(written.outcome)
        report.triples += written.triples
        report.ingested += len(pending)
        n = len(pending)
        pending.clear()
        settle(n)
        if on_written is not None:
            on_written(report)

    def take(res: BatchResult) -> None:
        for k, v in res.seconds.items():
            report.seconds[k] += v
        report.workers[res.worker] = max(report.workers.get(res.worker, 0.0), res.peak_rss_mib)
        for item in res.items:
            if isinstance(item, Reject):
                reject(item)
                continue
            graph = ArticleGraph(item.doc.source.id, item.nquads)
            if link is not None:
                t = time.perf_counter()
                linked = link(item.doc)
                if linked is not item.doc:  # a claim was renamed: map again; else the worker's N-Quads stand
                    graph = ArticleGraph(linked.source.id,
                                         "".join(nquads(to_triples(linked), graph_iri(linked.source.id))))
                report.seconds["link"] += time.perf_counter() - t
            pending.append((item, graph))
            if len(pending) >= write_batch:
                write()

    try:
        with _executor(workers, scheduler) as client:
            batches = _batches(fresh(), batch_size)
            if client is None:
                for batch in batches:
                    take(process_batch(batch, validate))
            else:
                from distributed import as_completed

                # a bounded window of batches in flight: the client never holds the whole corpus
                window = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers or 1)
                # results are taken in input order (a finished batch waits for the ones before it), so
                # the linker sees articles in the same order as in one process and a later copy of an
                # article replaces an earlier one, whatever order the workers finish in
                stream = as_completed()
                batch_of: dict[Any, int] = {}  # future key -> position in the input
                ready: dict[int, BatchResult] = {}
                nxt = 0

                def drain(block: bool) -> None:
                    nonlocal nxt
                    while stream.count() and (block or stream.count() >= window):
                        fut = next(stream)
                        ready[batch_of.pop(fut.key)] = fut.result()
                        while nxt in ready:
                            take(ready.pop(nxt))
                            nxt += 1

                for n, batch in enumerate(batches):
                    fut = client.submit(process_batch, batch, validate, pure=False)
                    batch_of[fut.key] = n
                    stream.add(fut)
                    drain(block=False)
                drain(block=True)
            write()
    finally:
        files.close()
        report.wall = time.perf_counter() - start
    return report


def _search_index(store: KnowledgeStore) -> Any:
    from ..views.search import TextIndex, default_path

    if default_path(store) is None or not store.writable:
        return None
    index = TextIndex(store)
    index.refresh()  # catch up with what changed while no index listened, before this run writes
    return index


def default_linker(store: KnowledgeStore) -> Linker:
    """The cross-article claim linker (`claimgraph.corpus.linking`) over what `store` holds; it
    remembers each article it links, so later articles of the same run link to earlier ones."""
    from .linking import Linker as ClaimLinker

    return ClaimLinker.from_store(store).link


__all__ = ["CorpusReport", "Linker", "default_linker", "ingest_corpus", "process_batch", "stored_digests"]
