"""`claimgraph serve`: the SPARQL endpoint, the explorer API and the web page, with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import DataOpt, app, fail, friendly


@app.command()
@friendly
def serve(
    data: DataOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on. Keep 127.0.0.1 unless a proxy is in front.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token_file: Annotated[Path | None, typer.Option(help="File holding the bearer token that enables writes "
                                                          "(or set CLAIMGRAPH_TOKEN). Without one the server is read-only.")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    reasoning: Annotated[str | None, typer.Option(help="rdfs or owl-rl: SPARQL and the API also see what the "
                                                       "ontology implies (off by default; docs/sparql.md).")] = None,
) -> None:
    """Serve the store: SPARQL at /sparql, the explorer at /, the API at /api/v1 (docs at /docs).

    Examples:

      claimgraph serve                      # ./data on http://127.0.0.1:8000

      claimgraph serve --data archive/ --port 9000 --token-file secret.txt

      claimgraph serve --reasoning rdfs      # queries see subclasses, sub-properties, ...
    """
    import uvicorn

    from claimgraph.api.app import create_app
    from claimgraph.api.settings import Settings

    kw = {"data": data} if data else {}
    try:
        settings = Settings.with_token_file(token_file, **kw)
    except OSError as e:
        raise fail(f"--token-file: cannot read {token_file}: {e.strerror}") from None
    typer.echo(f"claimgraph serving {settings.data} on http://{host}:{port}/  (SPARQL: /sparql, API docs: /docs)", err=True)
    if not reasoning:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
        return
    from claimgraph.store import open_store
    from claimgraph.store.reasoning import ReasonedStore

    try:
        store = ReasonedStore(open_store(settings.data), reasoning)  # catches up before serving
    except ValueError as e:
        raise fail(f"--reasoning: {e}", 2) from None
    try:
        uvicorn.run(create_app(settings, store=store), host=host, port=port, log_level=log_level)
    finally:
        store.close()
