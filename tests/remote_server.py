"""A real Oxigraph SPARQL server for the remote-store tests, on a free 127.0.0.1 port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

OXIGRAPH = shutil.which("oxigraph")
MISSING = "the `oxigraph` server command is not installed (pip install oxigraph), so the remote backend cannot run"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve --union-default-graph` (claimgraph's query convention) on a tmp location."""

    def __init__(self, location: Path, union: bool = True) -> None:
        self.location = location
        self.union = union
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        if OXIGRAPH is None:
            raise RuntimeError(MISSING)
        self.proc = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
             *(["--union-default-graph"] if self.union else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                if httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.url} within {timeout} s")

    def clear(self) -> None:
        httpx.post(f"{self.url}/update", content=b"DROP ALL",
                   headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


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


class VirtuosoServer:
    """`virtuoso-t +foreground` on a private database directory and free 127.0.0.1 ports.

    Its SPARQL endpoint (`{url}/sparql`) serves queries and updates; the `SPARQL` user (the
    endpoint's anonymous user) is granted SPARQL_UPDATE at start, as docs/remote.md says.
    """

    def __init__(self, location: Path, password: str = "dba") -> None:
        self.location = location
        self.password = password
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.endpoint = f"{self.url}/sparql"
        self.proc: subprocess.Popen[bytes] | None = None
        self.system_graphs: set[str] = set()

    def start(self, timeout: float = 120.0) -> VirtuosoServer:
        if VIRTUOSO is None or ISQL is None:
            raise RuntimeError(VIRTUOSO_MISSING)
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.location, sql_port=self.sql_port,
                                           http_port=self.http_port, vad=VIRTUOSO_VAD))
        log = (self.location / "stdout.log").open("wb")
        self.proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)],
                                     cwd=self.location, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(self.location / 'stdout.log').read_text()[-2000:]}")
            try:
                r = httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=2,
                              headers={"Accept": "application/sparql-results+json"})
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"virtuoso did not answer on {self.endpoint} within {timeout} s")
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

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
