"""Real SPARQL servers for the remote-store tests (Oxigraph, Virtuoso), each on free 127.0.0.1 ports."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx
import pyoxigraph as ox

OXIGRAPH = shutil.which("oxigraph")
MISSING = "the `oxigraph` server command is not installed (pip install oxigraph), so the remote backend cannot run"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """A SPARQL server started as a child process: `start` waits until its endpoint answers ASK {}.

    `endpoint` answers queries; `store_url` is what `claimgraph.open_store` takes for it.
    """

    name = "server"
    missing: str | None = None  # why it cannot run here, or None
    endpoint: str
    store_url: str

    def start(self) -> ServerProcess:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def __init__(self, location: Path) -> None:
        self.location = location
        self.proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def _probe(self) -> bool:
        try:
            r = httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=2,
                          headers={"Accept": "application/sparql-results+json"})
            return r.status_code == 200
        except httpx.HTTPError:
            return False

    def _launch(self, timeout: float, output: IO[bytes] | int, why: Callable[[], str]) -> None:
        if self.missing is not None:
            raise RuntimeError(self.missing)
        self.proc = subprocess.Popen(self.command(), cwd=self.location, stdout=output,
                                     stderr=subprocess.STDOUT if output is not subprocess.DEVNULL
                                     else subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {why()}")
            if self._probe():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.endpoint} within {timeout} s")

    def stop(self, grace: float = 10) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class OxigraphServer(ServerProcess):
    """`oxigraph serve --union-default-graph` (claimgraph's query convention) on a tmp location."""

    name = "oxigraph serve"
    missing = None if OXIGRAPH else MISSING

    def __init__(self, location: Path, union: bool = True) -> None:
        super().__init__(location)
        self.union = union
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/query"
        self.store_url = self.url  # claimgraph finds /query, /update and /store under it

    def command(self) -> list[str]:
        return [OXIGRAPH or "oxigraph", "serve", "--location", str(self.location),
                "--bind", f"127.0.0.1:{self.port}", *(["--union-default-graph"] if self.union else [])]

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        self.location.mkdir(parents=True, exist_ok=True)
        self._launch(timeout, subprocess.DEVNULL, lambda: self.proc.stderr.read().decode()
                     if self.proc and self.proc.stderr else "")
        return self

    def clear(self) -> None:
        httpx.post(f"{self.url}/update", content=b"DROP ALL",
                   headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()


# ---------------------------------------------------------------------------- Virtuoso

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
VIRTUOSO_MISSING = ("Virtuoso is not installed (apt-get install virtuoso-opensource: virtuoso-t and "
                    "isql-vt), so the virtuoso backend cannot run")
VIRTUOSO_VAD = "/usr/share/virtuoso-opensource-7/vad"

# A small private instance: its own database directory, 127.0.0.1 only, ~80 MB of buffers.
# ResultSetMaxRows is raised from Debian's 10,000 because Virtuoso cuts longer results short
# without an error, and claimgraph reads whole graphs with CONSTRUCT (docs/remote.md).
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}, {vad}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 200M
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer(ServerProcess):
    """`virtuoso-t +foreground` on a private database directory and free 127.0.0.1 ports.

    Its SPARQL endpoint (`{url}/sparql`) serves queries and updates; the `SPARQL` user (the
    endpoint's anonymous user) is granted SPARQL_UPDATE at start, as docs/remote.md says.
    """

    name = "virtuoso-t"
    missing = None if VIRTUOSO and ISQL else VIRTUOSO_MISSING

    def __init__(self, location: Path, password: str = "dba") -> None:
        super().__init__(location)
        self.password = password
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.endpoint = f"{self.url}/sparql"
        self.store_url = self.endpoint  # one endpoint for queries and updates
        self.system_graphs: set[str] = set()

    def command(self) -> list[str]:
        return [VIRTUOSO or "virtuoso-t", "+foreground", "+configfile", str(self.location / "virtuoso.ini")]

    def start(self, timeout: float = 120.0) -> VirtuosoServer:
        self.location.mkdir(parents=True, exist_ok=True)
        (self.location / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            dir=self.location, sql_port=self.sql_port, http_port=self.http_port, vad=VIRTUOSO_VAD))
        with (self.location / "stdout.log").open("wb") as log:
            self._launch(timeout, log, lambda: (self.location / "stdout.log").read_text()[-2000:])
        if self.password != "dba":
            self.isql(f"SET PASSWORD dba {self.password};", password="dba")
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        # what a fresh Virtuoso holds already (its own schemas): clear() keeps these
        self.system_graphs = set(self.graphs())
        return self

    def isql(self, sql: str, password: str | None = None) -> str:
        """Run SQL through isql-vt as dba; raise with its output if it fails."""
        out = subprocess.run([ISQL or "isql-vt", f"127.0.0.1:{self.sql_port}", "dba", password or self.password,
                              f"exec={sql}"], capture_output=True, text=True, timeout=60)
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql failed on {sql!r}: {out.stdout}{out.stderr}")
        return out.stdout

    def graphs(self) -> list[str]:
        r = httpx.post(self.endpoint, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return [b["g"]["value"] for b in r.json()["results"]["bindings"]]

    def clear(self) -> None:
        """Drop every graph Virtuoso did not start with (DROP ALL would take its schemas too)."""
        mine = [g for g in self.graphs() if g not in self.system_graphs]
        if mine:
            # NamedNode checks each IRI, so a graph name cannot break out of <...>
            text = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in mine)
            httpx.post(self.endpoint, content=text.encode(), timeout=60,
                       headers={"Content-Type": "application/sparql-update"}).raise_for_status()

    def stop(self, grace: float = 30) -> None:
        super().stop(grace)
