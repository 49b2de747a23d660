"""The hostile input corpus (tests/hostile/, one file per case; format in tests/hostile/README.md),
and hostile strings in every URL parameter and path id of the API (enumerated from its OpenAPI
schema, so a new route is covered without touching this file).

Against a live uvicorn over an on-disk store holding the sample article, with a write token that
every request carries: even a token holder must not make the server read a file or open a
connection. After each case: the expected 4xx (or a failing CLI exit with a message), the server
still answers, the store is unchanged, a canary socket on 127.0.0.1 (where every hostile IRI
points) saw no connection, and the secret file outside the store was neither returned nor read
(its access time, which catches the Rust parsers and the query worker processes too, and an audit
hook on `open` for this process).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.model import Document
from claimgraph.store import open_store
from claimgraph.store.embedded import OxigraphStore
from claimgraph.views.named import named_queries
from tests.livesrv import serve

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md")
TOKEN = "hostile-token"
SECRET = "SECRET-" + hashlib.sha256(os.urandom(16)).hexdigest()[:24]
_GEN = re.compile(rb'<<(\d+)\*("(?:[^"\\]|\\.)*")>>')


# ---------------------------------------------------------------------------- the watchers

class Canary:
    """A listening socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.hits: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, addr = self.sock.accept()
            except OSError:
                return
            self.hits.append(f"{addr[0]}:{addr[1]}")
            conn.close()


_watched: dict[str, list[str]] = {}  # path -> opens of it seen since it was armed


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # audit hooks cannot be removed: this one only looks paths up in a (usually empty) dict
    if event == "open" and _watched and args and isinstance(args[0], (str, bytes, os.PathLike)):
        p = os.path.abspath(os.fsdecode(args[0]))
        if p in _watched:
            _watched[p].append(p)


sys.addaudithook(_audit)


class Secret:
    """A file outside the store. Its atime is set before its mtime, so under relatime any read
    moves it; `read()` says whether anything (this process or another) read it since `arm()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text(SECRET + "\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
        self.atime_works = True
        self.atime_works = self._self_test()

    def arm(self) -> None:
        st = self.path.stat()
        os.utime(self.path, ns=(st.st_mtime_ns - 3_600 * 10**9, st.st_mtime_ns))
        self._armed = self.path.stat().st_atime_ns
        _watched[str(self.path)] = []

    def read(self) -> list[str]:
        found = [f"opened by this process: {p}" for p in _watched.pop(str(self.path), [])]
        if self.atime_works and self.path.stat().st_atime_ns != self._armed:
            found.append("its access time moved")
        return found

    def _self_test(self) -> bool:
        self.arm()
        with open(self.path, "rb") as f:  # the audit hook sees this one, and the atime moves
            f.read()
        works = self.path.stat().st_atime_ns != self._armed and _watched[str(self.path)] == [str(self.path)]
        self.read()
        return works


def fingerprint(st: OxigraphStore) -> tuple[int, list[str], str]:
    """Quad count, named graphs and a hash of the sorted quads: equal iff the store is unchanged."""
    raw = st.raw
    lines = sorted(str(q) for q in raw)
    graphs = sorted(str(g) for g in raw.named_graphs())
    return len(raw), graphs, hashlib.sha256("\n".join(lines).encode()).hexdigest()


def fingerprint_dir(path: Path) -> tuple[int, list[str], str]:
    st = OxigraphStore(path, read_only=True)
    try:
        return fingerprint(st)
    finally:
        st.close()


# ---------------------------------------------------------------------------- the environment

@dataclass
class Env:
    url: str
    store: OxigraphStore
    cli_data: Path
    canary: Canary
    secret: Secret
    tmp: Path
    before: tuple[int, list[str], str]
    cli_before: tuple[int, list[str], str]
    subs: dict[bytes, bytes] = field(default_factory=dict)

    def alive(self) -> None:
        r = httpx.get(self.url + "/api/v1/status", timeout=30)
        assert r.status_code == 200, f"the server stopped answering: {r.status_code} {r.text[:200]}"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "outside").mkdir()
    secret = Secret(tmp / "outside" / "secret.txt")
    canary = Canary()
    cli_data = tmp / "cli-store"
    with open_store(cli_data) as cst:
        cst.ingest(sample_doc)
    st = OxigraphStore(tmp / "store")
    st.ingest(sample_doc)
    st.flush()
    settings = Settings(data=str(tmp / "store"), token=TOKEN, query_timeout=5.0, workers=2)
    with serve(create_app(settings, store=st)) as url:
        httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=120)  # the workers are up
        e = Env(url, st, cli_data, canary, secret, tmp, fingerprint(st), fingerprint_dir(cli_data))
        e.subs = {b"{CANARY}": canary.url.encode(), b"{SECRET_FILE}": str(secret.path).encode(),
                  b"{SECRET_URL}": secret.path.as_uri().encode(), b"{SECRET_DIR}": str(secret.path.parent).encode()}
        yield e
    st.close()
    canary.sock.close()


def test_the_watchers_work(env: Env) -> None:
    """The canary sees a connection and the secret sees a read: else every case below proves nothing."""
    n = len(env.canary.hits)
    with pytest.raises(httpx.HTTPError):
        httpx.get(env.canary.url, timeout=2)
    time.sleep(0.05)
    assert len(env.canary.hits) == n + 1
    env.canary.hits.clear()
    env.secret.arm()
    env.secret.path.read_bytes()
    assert env.secret.read(), "reading the secret file went unnoticed"
    if not env.secret.atime_works:
        pytest.fail("this filesystem does not move access times (noatime?): reads by the query workers "
                    "and the Rust parsers would go unnoticed")


# ---------------------------------------------------------------------------- the corpus

@dataclass
class Case:
    name: str
    header: dict[str, str]
    body: bytes


def parse_case(path: Path, subs: dict[bytes, bytes]) -> Case:
    raw = path.read_bytes()
    header: dict[str, str] = {}
    lines = raw.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith(b"#:"):
        key, _, value = lines[i][2:].decode("utf-8").partition(":")
        header[key.strip()] = (header.get(key.strip(), "") + " " + value.strip()).strip()
        i += 1
    assert "expect" in header and "message" in header and ("send" in header or "cli" in header), \
        f"{path.name}: a case needs '#: send:' or '#: cli:', '#: expect:' and '#: message:' (tests/hostile/README.md)"
    body = b"\n".join(lines[i:])
    for k, v in subs.items():
        body = body.replace(k, v)
    # <<N*"text">>: the JSON string `text` N times (huge cases are recipes, not committed megabytes)
    body = _GEN.sub(lambda m: json.loads(m.group(2)).encode("utf-8") * int(m.group(1)), body)
    return Case(path.name, header, body)


def _sub(text: str, subs: dict[bytes, bytes]) -> str:
    for k, v in subs.items():
        text = text.replace(k.decode(), v.decode())
    return text


def _message(r: httpx.Response) -> str:
    if r.status_code < 400:  # a case that may succeed (a search for FTS syntax) has no error to read
        return r.text
    if r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        assert isinstance(body, dict) and body.get("message"), f"no JSON message: {r.text[:300]}"
        return str(body["message"])
    assert r.text.strip(), "an empty error answer"
    return r.text


def run_http(env: Env, case: Case) -> str:
    method, _, target = case.header["send"].partition(" ")
    target = _sub(target.strip(), env.subs)
    # JSON errors, and any graph format for CONSTRUCT (else a 406 would come before the check)
    headers = {"Accept": "application/json, */*;q=0.5"}
    if case.header.get("auth") != "none":
        headers["Authorization"] = f"Bearer {TOKEN}"
    if "content-type" in case.header:
        headers["Content-Type"] = case.header["content-type"]
    kw: dict[str, Any] = {}
    how, _, pname = case.header.get("body-as", "raw").partition(" ")
    if how == "param":  # added to the query string the target already has
        kw["params"] = [*httpx.URL(target).params.multi_items(), (pname, case.body.decode("utf-8", "surrogateescape"))]
        target = target.split("?")[0]
    elif how == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        kw["content"] = f"{pname}=".encode() + quote(case.body, safe="").encode()
    elif how == "chunked":  # no Content-Length: the cap must count the stream itself
        kw["content"] = (case.body[i:i + 65536] for i in range(0, len(case.body), 65536))
    else:
        kw["content"] = case.body
    r = httpx.request(method, env.url + target, headers=headers, timeout=60, **kw)
    want = {int(s) for s in case.header["expect"].split()}
    assert r.status_code in want, f"{case.name}: wanted {sorted(want)}, got {r.status_code}: {r.text[:400]}"
    return _message(r)


@dataclass
class CliRun:
    """What one CLI case did, run in isolation: its own store copy, canary and secret file."""

    case: Case
    returncode: int
    stderr: str
    stdout: str
    canary_hits: list[str]
    secret_read: list[str]
    store_changed: bool


def run_cli(env: Env, path: Path) -> CliRun:
    work = env.tmp / "cli" / path.name
    (work / "outside").mkdir(parents=True)
    data = work / "data"
    shutil.copytree(env.cli_data, data)
    canary, secret = Canary(), Secret(work / "outside" / "secret.txt")
    subs = {b"{CANARY}": canary.url.encode(), b"{SECRET_FILE}": str(secret.path).encode(),
            b"{SECRET_URL}": secret.path.as_uri().encode(), b"{SECRET_DIR}": str(secret.path.parent).encode()}
    case = parse_case(path, subs)
    (work / "in").mkdir()  # a sibling of outside/: the secret is never inside the input's folder
    inp = work / "in" / f"input{case.header.get('input-suffix', path.suffix)}"
    inp.write_bytes(case.body)
    args = [_sub(a.replace("{INPUT}", str(inp)).replace("{DATA}", str(data)), subs)
            for a in shlex.split(case.header["cli"])]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMGRAPH_")}
    secret.arm()
    try:
        p = subprocess.run([sys.executable, "-m", "claimgraph.cli", *args], cwd=work / "in", env=clean,
                           capture_output=True, timeout=90)
    finally:
        canary.sock.close()
    return CliRun(case, p.returncode, p.stderr.decode("utf-8", "replace"), p.stdout.decode("utf-8", "replace"),
                  canary.hits, secret.read(), fingerprint_dir(data) != env.cli_before)


@pytest.fixture(scope="module")
def cli_runs(env: Env) -> dict[str, CliRun]:
    """Every CLI case, four at a time (each is a fresh interpreter: most of its time is imports)."""
    paths = [p for p in CASES if "cli" in parse_case(p, {}).header]
    with ThreadPoolExecutor(4) as pool:
        return {r.case.name: r for r in pool.map(lambda p: run_cli(env, p), paths)}


def check_cli(run: CliRun) -> str:
    case, err = run.case, run.stderr
    want = case.header["expect"].split()
    assert want[0] == "exit", f"{case.name}: a CLI case expects 'exit N'"
    assert run.returncode != 0 and run.returncode == int(want[1]), \
        f"{case.name}: wanted exit {want[1]}, got {run.returncode}: {err[-400:]}"
    assert "Traceback" not in err, err[-2000:]
    first = err.strip().splitlines()[0] if err.strip() else ""
    assert first and len(first) < 2000, f"{case.name}: no one-line reason on stderr: {err[:300]!r}"
    assert not run.canary_hits, f"{case.name}: a connection reached the canary: {run.canary_hits}"
    assert not run.secret_read, f"{case.name}: the secret file was read ({'; '.join(run.secret_read)})"
    assert not run.store_changed, f"{case.name}: the CLI's store changed"
    return err + run.stdout


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_hostile_case(env: Env, path: Path, request: pytest.FixtureRequest) -> None:
    case = parse_case(path, env.subs)
    if "cli" in case.header:
        run = request.getfixturevalue("cli_runs")[path.name]
        message = check_cli(run)
        case = run.case
    else:
        env.canary.hits.clear()
        env.secret.arm()
        message = run_http(env, case)
        read = env.secret.read()
        time.sleep(0.02)  # a connection is accepted on the canary's thread
        assert not env.canary.hits, f"{case.name}: a connection reached the canary: {env.canary.hits}"
        assert not read, f"{case.name}: the secret file was read ({'; '.join(read)})"
    words = [w.strip().lower() for w in case.header["message"].split("|")]
    assert any(w in message.lower() for w in words), f"{case.name}: message {message[:400]!r}"
    assert "Traceback" not in message
    assert SECRET not in message and "root:x:0:0" not in message, f"{case.name}: the secret leaked"
    env.alive()
    assert fingerprint(env.store) == env.before, f"{case.name}: the server's store changed"


def test_every_case_file_is_well_formed() -> None:
    for path in CASES:
        case = parse_case(path, {})
        assert set(case.header) <= {"case", "send", "cli", "content-type", "body-as", "auth", "expect",
                                    "message", "input-suffix"}, f"{path.name}: unknown header {set(case.header)}"


# ---------------------------------------------------------------------------- every URL parameter

STRINGS = ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd",
           "'; DROP ALL; --", '"><script>alert(1)</script>', "} ; DROP ALL ; {", "a\x00b", "x" * 4000,
           "actor/taliban>\n<x", "ünïcødé ✓ 𝔘 \u202e", "{SECRET_FILE}", "{SECRET_URL}", "{CANARY}/x", "-1", "1e999",
           "?query=ASK{}&x", "%00", "<http://x>", "$(touch /tmp/x)"]
BENIGN = {"kind": "actor", "slug": "taliban", "id": "dw-31lts", "name": "contested-claims"}
_schema_app = create_app(Settings(token=TOKEN))


def _routes(routes: list[Any], prefix: str = "") -> Iterator[Any]:
    """Every route, through included routers (FastAPI keeps those as their own route lists)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + r.include_context.prefix)
        elif hasattr(r, "path"):
            r = type("R", (), {"path": prefix + r.path, "methods": getattr(r, "methods", None)})
            yield r


def _operations() -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(method, path, parameters) of every operation in the schema, plus the routes the schema
    leaves out that take a path parameter (static assets)."""
    ops = []
    spec = _schema_app.openapi()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                params = [p for p in op.get("parameters", []) + item.get("parameters", [])
                          if p.get("in") in ("path", "query")]
                ops.append((method.upper(), path, params))
    for route in _routes(_schema_app.routes):
        path = getattr(route, "path", "")
        if "{" in path and path not in spec["paths"]:
            names = re.findall(r"{(\w+)}", path)
            for method in sorted(getattr(route, "methods", None) or {"GET"}):
                if method != "HEAD":
                    ops.append((method, path, [{"name": n, "in": "path"} for n in names]))
    return ops


OPERATIONS = _operations()


def _url(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: quote(values.get(m.group(1), BENIGN.get(m.group(1), "x")), safe=""), path)


def _check_answer(env: Env, r: httpx.Response, what: str, value: str) -> None:
    assert r.status_code < 500, f"{what} = {value[:80]!r}: {r.status_code} {r.text[:300]}"
    ctype = r.headers.get("content-type", "")
    if "html" in ctype:
        assert "<script>alert(1)" not in r.text, f"{what}: the HTML reflects the script unescaped"
    if r.status_code >= 400 and ctype.startswith("application/json"):
        body = r.json()
        assert body.get("message") or body.get("detail"), f"{what}: an error without a message: {r.text[:200]}"
    assert SECRET not in r.text and "root:x:0:0" not in r.text, f"{what}: the secret leaked"


def test_operations_were_found() -> None:
    paths = {p for _m, p, _ in OPERATIONS}
    assert {"/api/v1/actors/{id}", "/api/v1/sources/{id}", "/sparql", "/store"} <= paths
    assert "/query/assets/{name}" in paths  # not in the schema, found among the routes


@pytest.mark.parametrize("method,path,params", OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_hostile_strings_in_every_parameter(env: Env, method: str, path: str, params: list[dict[str, Any]]) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    # a body that never parses: a file: or http: IRI is a fine graph *name* (a write under it would
    # be legitimate), so what is checked is that no value is fetched, read or answered with a 5xx
    body = b"" if method in ("GET", "DELETE") else b"<http://e/s> <http://e/p> ."
    env.canary.hits.clear()
    env.secret.arm()
    extra = []
    if path == "/api/v1/queries/{name}":  # a named query takes its own parameters from the query string
        extra = [(name, p["name"]) for name, q in named_queries().items() for p in q.as_dict()["params"]]
    with httpx.Client(base_url=env.url, timeout=60, headers=headers) as c:
        for raw in STRINGS:
            value = _sub(raw, env.subs)
            for p in params:
                if p["in"] == "path":
                    r = c.request(method, _url(path, {p["name"]: value}), content=body)
                else:
                    r = c.request(method, _url(path, {}), params={p["name"]: value}, content=body)
                _check_answer(env, r, f"{method} {path} {p['in']} {p['name']}", value)
            for name, pname in extra:
                r = c.get(f"/api/v1/queries/{name}", params={pname: value})
                _check_answer(env, r, f"named query {name} ?{pname}", value)
    read = env.secret.read()
    assert not env.canary.hits, f"a connection reached the canary: {env.canary.hits}"
    assert not read, f"the secret file was read ({'; '.join(read)})"
    env.alive()
    assert fingerprint(env.store) == env.before, "the store changed"


def test_the_corpus_covers_the_issue() -> None:
    """Every category the reliability issue names has at least one case file."""
    names = " ".join(p.name for p in CASES)
    for word in ("service", "load", "from", "nest", "union", "literal", "10mb", "utf8", "nul", "laughs",
                 "jsonld-remote", "jsonld-file", "jsonld-deep", "turtle-base", "turtle-prefix", "offsets",
                 "span", "unknown-field", "100k-statements", "traversal"):
        assert word in names, f"no hostile case for {word!r}"
