"""Crash safety: SIGKILL a writer at random points, reopen the store, check every article is whole.

    python bench/crash.py --kills 100 --seed 1 --mode both

embedded: a child process (this script with --child) opens an on-disk store and runs a plan of
writes — `ingest` of one article (new, or a new revision of one already there), `ingest_many`
(the bulk path with its crash marker; small batches so several load in turn), `drop` — writing
the plan step it finished to an ack file (flush + fsync) after each call returns. The parent kills
it with SIGKILL after a random delay (sometimes while it is still opening the store and rolling
back an earlier bulk load), times the reopen, and checks:

- every article graph holds exactly the quads of one version of that article: the one acknowledged
  last, or one the step in flight was writing (wholly old or wholly new, never a mix);
- every acknowledged write is there (an acked drop is absent);
- nothing else: no other named graph, an empty default graph, the ontology graph intact, no
  bulk-load marker left behind.

The store is kept across kills, like a real archive, so later kills hit replacements too.

server: `claimgraph serve` (real uvicorn, its query workers) in its own process group; a writer
POSTs articles to /api/v1/sources (and DELETEs some) and records the 2xx answers, two readers
query meanwhile; the whole group is SIGKILLed, restarted, and timed until /api/v1/status answers;
the touched articles are checked exactly over the Graph Store Protocol, the graph list and the
total quad count over the API; at the end the stopped store is checked quad by quad.

Exit status 1 when any violation was found.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pickle
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/ must not shadow the `api` package; gen.py is found below
sys.path.append(str(ROOT / "bench"))

import httpx  # noqa: E402
import procinfo  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from claimgraph.model import Document  # noqa: E402
from claimgraph.rdf.mapper import graph_iri, nquads, to_triples  # noqa: E402
from claimgraph.store import summary as kept_views  # noqa: E402
from claimgraph.store.common import ONTOLOGY_GRAPH  # noqa: E402
from claimgraph.store.embedded import _PENDING, OxigraphStore  # noqa: E402

GRAPH_PREFIX = str(graph_iri("x"))[:-1]
Version = int | None  # None: the article is absent; 0: as generated; k > 0: revision k

# ---------------------------------------------------------------------------- the corpus


class Corpus:
    """Generated articles and their revisions, with the exact triples each version maps to."""

    def __init__(self, n_docs: int, seed: int) -> None:
        from gen import iter_documents

        self.base: dict[str, Document] = {}
        for doc in iter_documents(n_docs * 700, seed):  # ~640 triples an article
            self.base[doc.source.id] = doc
            if len(self.base) >= n_docs:
                break
        self.ids = sorted(self.base)
        self._triples: dict[tuple[str, int], frozenset[str]] = {}

    def doc(self, sid: str, v: int) -> Document:
        """Version `v` of an article: a revision changes the headline and drops 1-3 statements, so
        a mix of old and new would show both in the text and in the triple count."""
        base = self.base[sid]
        if v == 0:
            return base
        keep = max(1, len(base.statements) - 1 - v % 3)
        return replace(base, source=replace(base.source, title=f"{base.source.title} (revision {v})"),
                       statements=base.statements[:keep])

    def triples(self, sid: str, v: int) -> frozenset[str]:
        """The article's triples as Oxigraph prints them (parsed from the mapper's own N-Quads)."""
        key = (sid, v)
        if key not in self._triples:
            lines = "".join(nquads(to_triples(self.doc(sid, v)), graph_iri(sid)))
            self._triples[key] = frozenset(str(q.triple) for q in ox.parse(lines, ox.RdfFormat.N_QUADS))
        return self._triples[key]

    def which(self, sid: str, got: frozenset[str], allowed: Iterable[Version]) -> Version | str:
        """The allowed version whose triples `got` is exactly, or a description of the mismatch."""
        for v in allowed:
            if v is not None and got == self.triples(sid, v):
                return v
        near = [v for v in allowed if v is not None]
        if not near:
            return f"{len(got)} triples where the article must be absent"
        exp = self.triples(sid, near[-1])
        return (f"{len(got)} triples match no allowed version {sorted(near)} "
                f"(v{near[-1]}: {len(got & exp)} shared, {len(got - exp)} extra, {len(exp - got)} missing)")


# ---------------------------------------------------------------------------- plans


@dataclass
class Step:
    kind: str  # "one" | "many" | "drop"
    items: list[tuple[str, Version]]  # (source id, version written; None for drop)
    batch_triples: int = 200_000


def make_plan(rng: random.Random, corpus: Corpus, state: dict[str, Version], counter: dict[str, int],
              n_steps: int, kinds: tuple[str, ...] = ("one", "many", "drop")) -> list[Step]:
    """Random writes as if each succeeded: new articles, revisions of present ones, re-adds."""
    sim = dict(state)
    plan: list[Step] = []

    def next_version(sid: str) -> int:
        counter[sid] = counter.get(sid, 0) + 1
        return counter[sid]

    def version_for(sid: str) -> int:
        # an absent article comes back as generated or as a revision; a present one gets a new revision
        return next_version(sid) if sim.get(sid) is not None or rng.random() < 0.3 else 0

    for _ in range(n_steps):
        present = [s for s in corpus.ids if sim.get(s) is not None]
        absent = [s for s in corpus.ids if sim.get(s) is None]
        kind = rng.choices(kinds, weights=[{"one": 5, "many": 3, "drop": 2}[k] for k in kinds])[0]
        if kind == "drop" and present:
            sid = rng.choice(present)
            plan.append(Step("drop", [(sid, None)]))
            sim[sid] = None
        elif kind == "many" and absent:
            # mostly new articles (the bulk path), some replacements, sometimes one article twice
            picks = rng.sample(absent, min(len(absent), rng.randint(3, 25)))
            if present:
                picks += rng.sample(present, min(len(present), rng.randint(0, 3)))
            if rng.random() < 0.3:
                picks.append(rng.choice(picks))
            rng.shuffle(picks)
            items = []
            for sid in picks:
                v = version_for(sid)
                items.append((sid, v))
                sim[sid] = v
            plan.append(Step("many", items, batch_triples=rng.choice([2_000, 5_000, 200_000])))
        else:
            sid = rng.choice(corpus.ids)
            v = version_for(sid)
            plan.append(Step("one", [(sid, v)]))
            sim[sid] = v
    return plan


def apply_acked(state: dict[str, Version], plan: list[Step], acked: int) -> dict[str, set[Version]]:
    """Apply the acknowledged steps to `state`; return what each article may now be (in-flight step)."""
    for step in plan[:acked]:
        for sid, v in step.items:
            state[sid] = v
    allowed: dict[str, set[Version]] = {sid: {v} for sid, v in state.items()}
    if acked < len(plan):
        for sid, v in plan[acked].items:
            allowed.setdefault(sid, {None}).add(v)
    return allowed


# ---------------------------------------------------------------------------- checking a store


@dataclass
class Check:
    violations: list[str] = field(default_factory=list)
    observed: dict[str, Version] = field(default_factory=dict)


def ontology_triples() -> frozenset[str]:
    mem = OxigraphStore()
    return frozenset(str(q.triple) for q in mem.raw.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))


def check_store(raw: ox.Store, corpus: Corpus, allowed: dict[str, set[Version]], onto: frozenset[str]) -> Check:
    """Every quad of the store, graph by graph, against what may be there."""
    out = Check()
    graphs: dict[str, set[str]] = {}
    for q in raw:
        if isinstance(q.graph_name, ox.DefaultGraph):
            out.violations.append(f"quad in the default graph: {q}")
            continue
        graphs.setdefault(q.graph_name.value, set()).add(str(q.triple))
    for g in raw.named_graphs():  # empty named graphs too
        graphs.setdefault(g.value, set())
    if frozenset(graphs.pop(str(ONTOLOGY_GRAPH), set())) != onto:
        out.violations.append("the ontology graph is not the ontology")
    graphs.pop(str(kept_views.SUMMARY_GRAPH), None)  # derived: checked against a recount by the caller
    for g, triples in sorted(graphs.items()):
        sid = g[len(GRAPH_PREFIX):]
        if not g.startswith(GRAPH_PREFIX) or sid not in corpus.base:
            out.violations.append(f"stray graph {g} ({len(triples)} triples)")
            continue
        v = corpus.which(sid, frozenset(triples), sorted(allowed.get(sid, {None}), key=str))
        if isinstance(v, str):
            out.violations.append(f"{sid}: {v}")
        else:
            out.observed[sid] = v
    for sid, vs in allowed.items():
        if sid not in out.observed and None not in vs:
            out.violations.append(f"{sid}: acknowledged as v{sorted(vs, key=str)} but absent")
    return out


# ---------------------------------------------------------------------------- embedded mode


def child(plan_file: Path) -> None:
    """The writer that gets killed: runs the plan, acking each finished step (flush + fsync)."""
    job = pickle.loads(plan_file.read_bytes())
    with open(job["ack"], "a", encoding="ascii") as ack:
        st = OxigraphStore(job["store"])

        def note(line: str) -> None:
            ack.write(line + "\n")
            ack.flush()
            os.fsync(ack.fileno())

        note("ready")
        # the parent made these documents and they are valid: skipping SHACL here puts the kills into
        # the writes rather than into validation, which writes nothing
        for i, (kind, payload, batch) in enumerate(job["steps"]):
            if kind == "one":
                st.ingest(payload, validate=False)
            elif kind == "many":
                st.ingest_many(payload, validate=False, batch_triples=batch)
            else:
                st.drop(payload)
            note(str(i))
        note("done")
        st.close()


def read_acks(path: Path) -> tuple[bool, int, bool]:
    """(ready, number of steps acknowledged in order, finished); a torn last line does not count."""
    text = path.read_text(encoding="ascii") if path.exists() else ""
    lines = text.split("\n")[:-1]  # only whole lines
    ready = "ready" in lines
    n = 0
    for line in lines:
        if line == str(n):
            n += 1
    return ready, n, "done" in lines


@dataclass
class Round:
    mode: str
    n: int
    delay: float
    phase: str  # where the kill landed
    acked: int
    steps: int
    reopen: float  # embedded: open + recovery; server: restart until /api/v1/status answers
    articles: int
    violations: list[str]
    marker: bool = False  # a bulk-load marker was there at reopen (rolled back)
    note: str = ""
    recovery_killed: bool = False  # a second kill landed while the next open was rolling back


def run_embedded(args: argparse.Namespace, corpus: Corpus, work: Path, onto: frozenset[str],
                 out: Callable[[Round], None]) -> list[Round]:
    rng = random.Random(args.seed)
    store_dir = work / "embedded-store"
    state: dict[str, Version] = {}
    counter: dict[str, int] = {}
    rounds = []
    for n in range(1, args.kills + 1):
        plan = make_plan(rng, corpus, state, counter, n_steps=60)
        ack = work / f"ack-{n}.txt"
        job = {"store": str(store_dir), "ack": str(ack),
               "steps": [(s.kind, s.items[0][0] if s.kind == "drop" else
                          corpus.doc(*s.items[0]) if s.kind == "one" else [corpus.doc(*it) for it in s.items],
                          s.batch_triples) for s in plan]}
        plan_file = work / "plan.pickle"
        plan_file.write_bytes(pickle.dumps(job))
        early = rng.random() < 0.15  # sometimes kill while it starts: imports, open, roll-back
        delay = rng.uniform(0.2, 1.6) if early else rng.uniform(0.0, 2.5)
        p = subprocess.Popen([sys.executable, __file__, "--child", str(plan_file)], cwd=ROOT)
        t0 = time.monotonic()
        if not early:
            while not read_acks(ack)[0] and p.poll() is None and time.monotonic() - t0 < 60:
                time.sleep(0.005)
            t0 = time.monotonic()
        while time.monotonic() - t0 < delay and p.poll() is None:
            time.sleep(0.002)
        p.send_signal(signal.SIGKILL)
        p.wait()
        ready, acked, done = read_acks(ack)
        phase = "finished" if done else "writing" if ready else "starting"
        allowed = apply_acked(state, plan, acked)
        marker = (store_dir / _PENDING).exists()
        recovery_killed = False
        if marker and rng.random() < 0.5:
            # a crash during the roll-back itself: a child only opens the store, killed on the way
            empty = work / "recover.pickle"
            empty.write_bytes(pickle.dumps({"store": str(store_dir), "ack": str(work / f"ack-{n}r.txt"), "steps": []}))
            q = subprocess.Popen([sys.executable, __file__, "--child", str(empty)], cwd=ROOT)
            time.sleep(rng.uniform(0.3, 1.5))
            q.send_signal(signal.SIGKILL)
            q.wait()
            recovery_killed = (store_dir / _PENDING).exists()  # still there: killed before it finished
        t = time.perf_counter()
        st = OxigraphStore(store_dir)
        reopen = time.perf_counter() - t
        res = check_store(st.raw, corpus, allowed, onto)
        # a kill between an article's write and its summary refresh leaves the summary stale, and
        # the open recounts it: either way it must now be what the articles say
        if not kept_views.is_fresh(st) or kept_views.kept_triples(st) != kept_views.recount(st):
            res.violations.append("the summary graph is not a recount of the article graphs")
        if (store_dir / _PENDING).exists():
            res.violations.append("the bulk-load marker is still there after open")
        for v in res.violations:
            if ": " in v and v.split(": ")[0] in corpus.base:  # repair, so the next round starts clean
                st.drop(v.split(": ")[0])
        st.close()
        state.clear()
        state.update(res.observed)
        r = Round("embedded", n, delay, phase, acked, len(plan), reopen, len(res.observed), res.violations, marker,
                  plan[acked].kind if acked < len(plan) and phase != "finished" else "", recovery_killed)
        rounds.append(r)
        out(r)
    return rounds


# ---------------------------------------------------------------------------- server mode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`claimgraph serve` in its own process group (so a kill takes its query workers too)."""

    def __init__(self, data: Path, token_file: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.data, self.token_file, self.log = data, token_file, log
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> float:
        """Start and wait until /api/v1/status answers; seconds it took."""
        t = time.perf_counter()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "claimgraph.cli", "serve", "--data", str(self.data), "--token-file",
                 str(self.token_file), "--port", str(self.port), "--log-level", "warning"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=self.env)
        with httpx.Client(timeout=5) as c:
            while time.perf_counter() - t < timeout:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.proc.returncode}; see {self.log}")
                try:
                    if c.get(f"{self.url}/api/v1/status").status_code == 200:
                        return time.perf_counter() - t
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        raise RuntimeError(f"the server did not answer in {timeout} s; see {self.log}")

    def pids(self) -> list[int]:
        """The server and every process in its group (the query workers)."""
        return [] if self.proc is None else procinfo.group(self.proc.pid)

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + 10
        while self.pids() and time.monotonic() < deadline:  # workers exit as the group dies
            time.sleep(0.01)
        self.proc = None

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), then SIGKILL if it hangs."""
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(20)
        self.kill()


class WriteLoad:
    """A writer running a plan over the API (recording each 2xx) and two readers, in threads."""

    READS = [("/api/v1/status", {}), ("/api/v1/search", {"q": "minister"}),
             ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a cg:Statement }"})]

    def __init__(self, url: str, auth: dict[str, str], corpus: Corpus, plan: list[Step],
                 reads: dict[str, int]) -> None:
        self.url, self.auth, self.corpus, self.plan, self.reads = url, auth, corpus, plan, reads
        self.acked = 0
        self.refused: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write)] + [
            threading.Thread(target=self._read, args=(k,)) for k in (0, 1)]
        for th in self._threads:
            th.start()

    def finished(self) -> bool:
        return not self._threads[0].is_alive()

    def stop(self) -> None:
        self._stop.set()
        for th in self._threads:
            th.join(30)

    def _write(self) -> None:
        from claimgraph.model.annotation import to_dict

        with httpx.Client(base_url=self.url, timeout=30, headers=self.auth) as c:
            for step in self.plan:
                sid, v = step.items[0]
                try:
                    if step.kind == "drop":
                        r = c.delete(f"/api/v1/sources/{sid}")
                    else:  # the annotation format with the text inline, as a client would send it
                        r = c.post("/api/v1/sources", json=to_dict(self.corpus.doc(sid, v)))
                except httpx.TransportError:
                    return  # killed: this step is in flight
                if not r.is_success:  # a valid write must never be refused
                    self.refused.append(f"{step.kind} {sid} v{v} answered {r.status_code}: {r.text[:200]}")
                    return
                self.acked += 1
                if self._stop.is_set():
                    return

    def _read(self, k: int) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as c:
            i = k
            while not self._stop.is_set():
                path, params = self.READS[i % len(self.READS)]
                i += 1
                try:
                    r = c.get(path, params=params)
                except httpx.TransportError:
                    self.reads["down"] += 1
                    time.sleep(0.01)
                    continue
                self.reads["ok" if r.is_success else "5xx" if r.status_code >= 500 else "4xx"] += 1


def run_server(args: argparse.Namespace, corpus: Corpus, work: Path, onto: frozenset[str],
               out: Callable[[Round], None]) -> tuple[list[Round], dict[str, int]]:
    rng = random.Random(args.seed + 1)
    token = "crash-bench-token"
    token_file = work / "token"
    token_file.write_text(token)
    auth = {"Authorization": f"Bearer {token}"}
    data = work / "server-store"
    OxigraphStore(data).close()
    srv = Server(data, token_file, work / "server.log", {"CLAIMGRAPH_RATE_PER_MINUTE": "100000"})
    state: dict[str, Version] = {}
    counter: dict[str, int] = {}
    rounds: list[Round] = []
    reads = {"ok": 0, "5xx": 0, "4xx": 0, "down": 0}
    ready = srv.start()
    for n in range(1, args.kills + 1):
        plan = make_plan(rng, corpus, state, counter, n_steps=60, kinds=("one", "drop"))
        load = WriteLoad(srv.url, auth, corpus, plan, reads)
        delay = rng.uniform(0.1, 3.0)
        time.sleep(delay)
        done = load.finished()
        srv.kill()
        load.stop()
        acked, refused = load.acked, load.refused
        allowed = apply_acked(state, plan, acked)
        touched = {sid for step in plan[:acked + 1] for sid, _ in step.items}
        ready = srv.start()
        res = check_via_api(srv.url, auth, corpus, allowed, touched, state, onto)
        res.violations += refused
        state.clear()
        state.update(res.observed)
        r = Round("server", n, delay, "finished" if done else "writing", acked, len(plan), ready,
                  len(res.observed), res.violations,
                  note="" if done or acked >= len(plan) else plan[acked].kind)
        rounds.append(r)
        out(r)
    srv.stop()
    # the stopped store, quad by quad
    st = OxigraphStore(data)
    res = check_store(st.raw, corpus, {sid: {v} for sid, v in state.items()}, onto)
    st.close()
    if res.violations:
        rounds[-1].violations += [f"final check: {v}" for v in res.violations]
    print(f"server final check of the stopped store: {len(res.observed)} articles, "
          f"{len(res.violations)} violations")
    return rounds, reads


def check_via_api(url: str, auth: dict[str, str], corpus: Corpus, allowed: dict[str, set[Version]],
                  touched: set[str], state: dict[str, Version], onto: frozenset[str]) -> Check:
    """Touched articles exactly (Graph Store Protocol), the graph list and the quad total (API)."""
    out = Check(observed={sid: v for sid, v in state.items() if sid not in touched and v is not None})
    with httpx.Client(base_url=url, timeout=60, headers=auth) as c:
        r = c.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { } }"},
                  headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
        graphs.discard(str(ONTOLOGY_GRAPH))
        graphs.discard(str(kept_views.SUMMARY_GRAPH))
        r = c.get("/store", params={"graph": str(kept_views.SUMMARY_GRAPH)}, headers={"Accept": "application/n-triples"})
        kept = len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) if r.status_code == 200 else 0
        for g in graphs:
            sid = g[len(GRAPH_PREFIX):]
            if not g.startswith(GRAPH_PREFIX) or sid not in corpus.base:
                out.violations.append(f"stray graph {g}")
            elif sid not in touched and sid not in out.observed:
                out.violations.append(f"{sid}: present but neither acknowledged nor in flight")
        for sid in out.observed:
            if str(graph_iri(sid)) not in graphs:
                out.violations.append(f"{sid}: acknowledged as v{out.observed[sid]} but absent")
        for sid in sorted(touched):
            g = str(graph_iri(sid))
            if g not in graphs:
                if None not in allowed.get(sid, {None}):
                    out.violations.append(f"{sid}: acknowledged as v{sorted(allowed[sid], key=str)} but absent")
                continue
            r = c.get("/store", params={"graph": g}, headers={"Accept": "application/n-triples"})
            r.raise_for_status()
            got = frozenset(str(t) for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
            v = corpus.which(sid, got, sorted(allowed.get(sid, {None}), key=str))
            if isinstance(v, str):
                out.violations.append(f"{sid}: {v}")
                c.delete(f"/api/v1/sources/{sid}")  # repair, so the next round starts clean
            else:
                out.observed[sid] = v
        quads = c.get("/api/v1/status").json()["quads"]
        want = len(onto) + kept + sum(len(corpus.triples(sid, v)) for sid, v in out.observed.items() if v is not None)
        if not out.violations and quads != want:
            out.violations.append(f"the store holds {quads} quads, the articles, ontology and summary {want}")
    return out


# ---------------------------------------------------------------------------- report


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def print_row(r: Round) -> None:
    print(f"{r.mode:8} {r.n:4} {r.delay:6.2f} {r.phase:9} {r.note:5} {r.acked:4}/{r.steps:<3} "
          f"{r.reopen * 1000:9.0f} {r.articles:8} {('marker+' if r.recovery_killed else 'marker') if r.marker else '':7} {len(r.violations):4}", flush=True)
    for v in r.violations[:10]:
        print(f"         VIOLATION: {v}", flush=True)


def summary(name: str, rounds: list[Round], what: str) -> None:
    if not rounds:
        return
    xs = [r.reopen * 1000 for r in rounds]
    phases = {p: sum(r.phase == p for r in rounds) for p in ("starting", "writing", "finished")}
    inflight = {k: sum(r.note == k and r.phase == "writing" for r in rounds) for k in ("one", "many", "drop")}
    print(f"{name}: {len(rounds)} kills ({phases['writing']} while writing: {inflight['one']} in an ingest, "
          f"{inflight['many']} in an ingest_many, {inflight['drop']} in a drop; {phases['starting']} while "
          f"starting; {phases['finished']} after the plan ran out), "
          f"{sum(r.marker for r in rounds)} bulk-load markers rolled back "
          f"({sum(r.recovery_killed for r in rounds)} of them killed again before the roll-back finished), "
          f"{sum(r.acked for r in rounds)} acknowledged writes, "
          f"violations {sum(len(r.violations) for r in rounds)}; {what} p50 {statistics.median(xs):.0f} ms, "
          f"p95 {pct(xs, 0.95):.0f} ms, max {max(xs):.0f} ms; articles at the end {rounds[-1].articles}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=100, help="kills per mode")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", choices=["embedded", "server", "both"], default="both")
    ap.add_argument("--docs", type=int, default=200, help="articles in the generated corpus (~640 triples each)")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one, removed)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    t0 = time.perf_counter()
    corpus = Corpus(args.docs, args.seed)
    onto = ontology_triples()
    print(f"corpus: {len(corpus.ids)} articles (seed {args.seed}); {args.kills} kills per mode; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"{'mode':8} {'kill':>4} {'delay':>6} {'phase':9} {'step':5} {'acked':>8} "
          f"{'reopen ms':>9} {'articles':>8} {'':7} {'viol':>4}")
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        emb = run_embedded(args, corpus, work, onto, print_row) if args.mode in ("embedded", "both") else []
        srv, reads = run_server(args, corpus, work, onto, print_row) if args.mode in ("server", "both") else ([], {})
    print(f"--- summary ({time.perf_counter() - t0:.0f} s, load average {os.getloadavg()[0]:.2f})")
    summary("embedded", emb, "reopen (open + roll-back)")
    summary("server", srv, "restart until /api/v1/status answers")
    if reads:
        print(f"server readers while it was up: {reads['ok']} ok, {reads['5xx']} 5xx, {reads['4xx']} 4xx, "
              f"{reads['down']} refused while down")
    total = sum(len(r.violations) for r in emb + srv) + (reads.get("5xx", 0) if reads else 0)
    print(f"TOTAL violations: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
