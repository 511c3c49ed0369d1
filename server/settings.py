"""One settings object, read once at start-up from flags and the environment.

Nothing else in Raati reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


def _default_database_url(var_dir: Path) -> str:
    return f"sqlite:///{(var_dir / 'raati.sqlite3').as_posix()}"


def _secret_key(var_dir: Path) -> str:
    """The key kept under var/, generated on first start so cookies survive restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written with owner-only permissions: the key signs every cookie.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    var_dir: Path = Path("var")
    # Cookies get the Secure flag when Raati is served over HTTPS (behind a proxy).
    https_only: bool = False
    # Per-client outgoing queue: a client this many events behind is told to resume.
    client_queue_size: int = 256
    # Posting limits per participant and per session (posts per minute).
    posts_per_minute: int = 5
    session_posts_per_minute: int = 600
    flag_threshold: int = 3
    # Person-name detection loads spaCy's Finnish pipeline (about 3 s, 500 MB).
    detect_names: bool = True
    # Theme reports that were read are recomputed this often when new posts came.
    theme_refresh_seconds: float = 600.0
    # How often scheduled digiraati phases are opened and closed; 0 turns it off.
    digiraati_tick_seconds: float = 30.0
    db_pool_timeout: float = 3.0
    # --- hardening: connection limits of one process (server/serve.py). Each live
    # page holds one connection; deploy/nginx.conf has the matching proxy limits.
    max_connections: int = 2000
    header_timeout: float = 10.0  # seconds to send a request's headers
    body_timeout: float = 30.0  # longest pause while sending a request body
    idle_timeout: int = 15  # a kept-alive connection with no request is closed
    # --- hardening: one person is not a crowd (docs/abuse.md).
    pow_cost: int = 5000  # proof-of-work to become a resident; 0 = off (development only)
    joins_per_client: int = 20  # new identities per client per 10 minutes, in memory only
    established_minutes: float = 10.0  # reports count towards hiding after this (or a post)
    newcomer_share: float = 0.5  # of the session's posting limit, for those who just joined
    metrics_token: str = ""  # /metrics for a scraper sending "Authorization: Bearer <token>"
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        var_dir = Path(str(overrides.pop("var_dir", None) or env.get("RAATI_VAR_DIR", "var")))
        settings = cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(var_dir),
            secret_key=env.get("SECRET_KEY") or _secret_key(var_dir),
            redis_url=env.get("REDIS_URL") or None,
            host=env.get("RAATI_HOST", "127.0.0.1"),
            port=int(env.get("RAATI_PORT", "8000")),
            workers=int(env.get("RAATI_WORKERS", "1")),
            var_dir=var_dir,
            https_only=env.get("RAATI_HTTPS", "") in ("1", "true", "yes"),
            posts_per_minute=int(env.get("RAATI_POSTS_PER_MINUTE", "5")),
            session_posts_per_minute=int(env.get("RAATI_SESSION_POSTS_PER_MINUTE", "600")),
            detect_names=env.get("RAATI_DETECT_NAMES", "1") not in ("0", "false", "no"),
            client_queue_size=int(env.get("RAATI_CLIENT_QUEUE_SIZE", "256")),
            max_connections=int(env.get("RAATI_MAX_CONNECTIONS", "2000")),
            header_timeout=float(env.get("RAATI_HEADER_TIMEOUT", "10")),
            body_timeout=float(env.get("RAATI_BODY_TIMEOUT", "30")),
            idle_timeout=int(env.get("RAATI_IDLE_TIMEOUT", "15")),
            pow_cost=int(env.get("RAATI_POW_COST", "5000")),
            joins_per_client=int(env.get("RAATI_JOINS_PER_CLIENT", "20")),
            established_minutes=float(env.get("RAATI_ESTABLISHED_MINUTES", "10")),
            newcomer_share=float(env.get("RAATI_NEWCOMER_SHARE", "0.5")),
            metrics_token=env.get("RAATI_METRICS_TOKEN", ""),
            digiraati_tick_seconds=float(env.get("RAATI_DIGIRAATI_TICK_SECONDS", "30")),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean)  # type: ignore[arg-type]
