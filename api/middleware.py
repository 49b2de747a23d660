"""HTTP around every route: HEAD wherever GET is, OPTIONS and `Allow`, and CORS.

Pure ASGI middlewares (no buffering of bodies): a HEAD request is served by the GET route with
its body dropped, so the headers (Content-Type, Content-Length, Vary...) are the GET's own.

CORS, as docs/sparql.md states it: reads (GET, HEAD, and POST to /sparql, which only queries)
are open to the origins in `cors_origins` (`*` by default: the data is public); writes (the other
POST, PUT, DELETE) only to the origins in `cors_write_origins` (none by default), and only their
preflights allow the Authorization header. A browser write from an origin not on that list is
refused with 403 before any route runs: Basic credentials a browser has cached would otherwise
ride along on a cross-site form POST.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path

from .settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_POSTS = frozenset({"/sparql"})
"""Paths where POST only reads (a query sent as a form or as application/sparql-query)."""
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPOSED = "X-Claimgraph-Truncated, Location, Content-Length, Retry-After, WWW-Authenticate"


def _route_table(app: Any) -> list[tuple[re.Pattern[str], set[str]]]:
    """(path regex, methods) of every route, included routers flattened (FastAPI nests them);
    built at the first request, when every router is in, and kept on the app."""
    state = getattr(app, "state", None)
    table = getattr(state, "route_table", None)
    if table is None:
        table = [(compile_path(ctx.path)[0], set(ctx.methods))
                 for ctx in iter_route_contexts(getattr(getattr(app, "router", None), "routes", []))
                 if ctx.methods and ctx.path]
        if state is not None:
            state.route_table = table
    return table


def allowed_methods(app: Any, path: str) -> list[str]:
    """The methods the app's routes take at `path` (HEAD wherever GET is, OPTIONS always), or []."""
    methods: set[str] = set()
    for regex, route_methods in _route_table(app):
        if regex.match(path):
            methods |= route_methods
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    order = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


def is_write(method: str, path: str) -> bool:
    return method.upper() not in _READ_METHODS and not (method.upper() == "POST" and path in READ_POSTS)


class HeadAsGet:
    """HEAD is the GET route without its body (RFC 9110 9.3.2), for every route that has a GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, bodiless)


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return v.decode("latin-1")
    return None


def _own_origin(scope: Scope) -> str:
    host = _header(scope, b"host") or ""
    return f"{scope.get('scheme', 'http')}://{host}"


async def _plain(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: dict[str, str] | None) -> None:
    raw = json.dumps(body).encode() if body is not None else b""
    hs = headers + [(b"content-length", str(len(raw)).encode())]
    if body is not None:
        hs.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": hs})
    await send({"type": "http.response.body", "body": raw})


class Cors:
    """CORS headers on every answer, preflights and plain OPTIONS answered, cross-origin writes
    refused unless the origin is configured for them."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.read = {o.rstrip("/") for o in settings.cors_origins}
        self.write = {o.rstrip("/") for o in settings.cors_write_origins}

    def _may(self, origin: str, write: bool) -> bool:
        allowed = self.write if write else self.read | self.write
        return "*" in allowed or origin in allowed

    def _allow_origin(self, origin: str, write: bool) -> list[tuple[bytes, bytes]]:
        # '*' when every origin may read; otherwise the origin itself, and caches must key on it
        if not write and "*" in self.read and origin not in self.write:
            return [(b"access-control-allow-origin", b"*")]
        return [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        origin = _header(scope, b"origin")
        if method == "OPTIONS":
            await self._options(scope, send, origin)
            return
        write = is_write(method, path)
        if origin is None:
            if write or "*" not in self.read:
                await self.app(scope, receive, send)
                return
            origin = "*"  # not a browser's cross-origin request; reads still say they are open to all
        elif not self._may(origin, write):
            if write and origin != _own_origin(scope):
                await _plain(send, 403, [(b"vary", b"Origin")], {
                    "error": "forbidden", "message": f"writes from the origin {origin} are not allowed "
                                                     "(CLAIMGRAPH_CORS_WRITE_ORIGINS)"})
                return
            await self.app(scope, receive, send)  # no CORS headers: the browser keeps the answer from the page
            return
        extra = self._allow_origin(origin, write) + [(b"access-control-expose-headers", EXPOSED.encode())]

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not k.lower().startswith(b"access-control-")]
                vary = [v for k, v in headers if k.lower() == b"vary"]
                add = [(k, v) for k, v in extra if not (k == b"vary" and vary)]
                if vary and any(k == b"vary" for k, _ in extra):
                    headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
                    add.append((b"vary", b", ".join([*vary, b"Origin"])))
                message = {**message, "headers": headers + add}
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _options(self, scope: Scope, send: Send, origin: str | None) -> None:
        methods = allowed_methods(scope.get("app"), scope["path"])
        if not methods:
            await _plain(send, 404, [], {"error": "not found", "message": f"no route {scope['path']}"})
            return
        allow = [(b"allow", ", ".join(methods).encode())]
        wanted = _header(scope, b"access-control-request-method")
        if origin is None or wanted is None:  # a plain OPTIONS: what the route takes
            await _plain(send, 204, allow, None)
            return
        write = is_write(wanted, scope["path"])
        if wanted.upper() not in methods or not self._may(origin, write):
            await _plain(send, 403, allow + [(b"vary", b"Origin")], {
                "error": "forbidden", "message": f"{wanted} from the origin {origin} is not allowed here"
                + (" (CLAIMGRAPH_CORS_WRITE_ORIGINS)" if write else " (CLAIMGRAPH_CORS_ORIGINS)")})
            return
        kinds = [m for m in methods if is_write(m, scope["path"]) == write or m in ("OPTIONS",)]
        headers = "Accept, Content-Type, Authorization" if write or origin in self.write else "Accept, Content-Type"
        await _plain(send, 204, allow + self._allow_origin(origin, write) + [
            (b"access-control-allow-methods", ", ".join(kinds).encode()),
            (b"access-control-allow-headers", headers.encode()),
            (b"access-control-max-age", b"600")], None)
