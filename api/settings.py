"""Server settings: every limit has a safe default and an environment variable to change it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CLAIMGRAPH_{name}", default)


def _list(name: str, default: str) -> list[str]:
    return [o.strip() for o in _env(name, default).split(",") if o.strip()]


def _flag(name: str) -> bool:
    return _env(name, "").lower() in ("1", "true", "yes", "on")


@dataclass(slots=True)
class Settings:
    """What the server serves and how carefully. See docs/operations.md for each one."""

    data: str = field(default_factory=lambda: _env("DATA", "data"))
    """Data directory of the embedded store, or the URL of a remote SPARQL store."""
    token: str | None = field(default_factory=lambda: os.environ.get("CLAIMGRAPH_TOKEN") or None)
    """Bearer token for writes (SPARQL Update, Graph Store, ingest). No token: read-only server."""
    query_timeout: float = field(default_factory=lambda: float(_env("QUERY_TIMEOUT", "10")))
    max_rows: int = field(default_factory=lambda: int(_env("MAX_ROWS", "10000")))
    max_query_bytes: int = field(default_factory=lambda: int(_env("MAX_QUERY_BYTES", "16384")))
    max_update_bytes: int = field(default_factory=lambda: int(_env("MAX_UPDATE_BYTES", str(5 * 1024 * 1024))))
    max_depth: int = field(default_factory=lambda: int(_env("MAX_DEPTH", "64")))
    workers: int = field(default_factory=lambda: int(_env("QUERY_WORKERS", "2")))
    """Query workers that may run long queries at once."""
    short_workers: int = field(default_factory=lambda: int(_env("SHORT_WORKERS", "1")))
    """More workers kept for short queries only, so a cheap query never waits behind runaway ones."""
    short_budget: float = field(default_factory=lambda: float(_env("SHORT_BUDGET", "0.5")))
    """Seconds a query judged short may hold a short-lane worker before it is moved to the long lane."""
    client_queue: int = field(default_factory=lambda: int(_env("CLIENT_QUEUE", "16")))
    """Queries one client may have waiting for a worker; more are answered 429 with Retry-After."""
    result_cache_mb: int = field(default_factory=lambda: int(_env("RESULT_CACHE_MB", "64")))
    """MiB of serialised SPARQL answers kept until the next write (0: no result cache)."""
    rate_per_minute: int = field(default_factory=lambda: int(_env("RATE_PER_MINUTE", "600")))
    allow_service: bool = field(default_factory=lambda: _flag("ALLOW_SERVICE"))
    allow_load: bool = field(default_factory=lambda: _flag("ALLOW_LOAD"))
    union_default_graph: bool = field(default_factory=lambda: _env("UNION_DEFAULT_GRAPH", "true") != "false")
    """The default graph of /sparql queries and of /update WHERE clauses that name no dataset is the
    union of all graphs (claimgraph's convention)."""
    cors_origins: list[str] = field(default_factory=lambda: _list("CORS_ORIGINS", "*"))
    """Origins whose web pages may read (GET/HEAD, POST /sparql): `*` is any. Comma-separated in the env."""
    cors_write_origins: list[str] = field(default_factory=lambda: _list("CORS_WRITE_ORIGINS", ""))
    """Origins whose web pages may write (with the token): none unless listed; Authorization allowed."""

    @classmethod
    def with_token_file(cls, path: str | Path | None, **kw: object) -> Settings:
        s = cls(**kw)  # type: ignore[arg-type]
        if path is not None:
            s.token = Path(path).read_text(encoding="utf-8").strip() or None
        return s

    def public(self) -> dict[str, object]:
        """The settings without secrets (for /api/v1/status and logs)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "token"} | {
            "writes_enabled": self.token is not None}
