"""One write path: `/update`, `/store` and `POST /api/v1/sources` all go through the store's
`writing()` block, so they wait for one another and each tells the store's listeners once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from claimgraph.api.app import create_app
from claimgraph.api.settings import Settings
from claimgraph.store import open_store
from tests.livesrv import serve
from tests.test_ingest_api import AUTH, TOKEN, inline_sample

G = "https://example.org/graph/a"
TURTLE = {"Content-Type": "text/turtle", **AUTH}
WRITES: dict[str, Callable[[httpx.Client], httpx.Response]] = {
    "ingest": lambda c: c.post("/api/v1/sources", json=inline_sample(), headers=AUTH),
    "update": lambda c: c.post("/update", content=f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 1 }} }}",
                               headers={"Content-Type": "application/sparql-update", **AUTH}),
    "gsp-put": lambda c: c.put("/store", params={"graph": G}, content="<urn:a> <urn:b> 2 .", headers=TURTLE),
    "gsp-post": lambda c: c.post("/store", params={"graph": G}, content="<urn:a> <urn:b> 3 .", headers=TURTLE),
    "gsp-delete": lambda c: c.delete("/store", params={"graph": G}, headers=AUTH),
    "drop": lambda c: c.delete("/api/v1/sources/dw-31lts", headers=AUTH),
}


def test_every_http_write_waits_for_the_writer_and_notifies(tmp_path: Path) -> None:
    st = open_store(tmp_path / "store")
    heard: list[str | None] = []
    st.on_change(heard.append)
    with serve(create_app(Settings(token=TOKEN), store=st)) as url, httpx.Client(base_url=url, timeout=60) as c:
        for name, write in WRITES.items():
            done: list[httpx.Response] = []
            before = len(heard)
            with st.writing(notify=False):  # another writer holds the store
                t = threading.Thread(target=lambda w=write, out=done: out.append(w(c)))
                t.start()
                time.sleep(0.5)
                assert not done, f"{name} wrote while another writer held the store"
            t.join(30)
            assert done and done[0].status_code < 300, f"{name}: {done[0].status_code if done else 'no answer'}"
            assert len(heard) > before, f"{name} changed the store without telling its listeners"
    st.close()
