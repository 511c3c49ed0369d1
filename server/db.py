"""Database engine and migrations (SQLite by default, PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, *, pool_timeout: float = 3.0) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, pool_timeout=pool_timeout
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Short timeouts: when the database is away, requests fail fast with a 503
    # instead of hanging.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=pool_timeout,
        connect_args={
            "connect_timeout": max(1, int(pool_timeout)),
            # A database host that stops answering (not just refusing) is noticed
            # within seconds instead of hanging a pooled connection for minutes.
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 3, "tcp_user_timeout": 10_000,
        },
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    """Bring the database schema up to date."""
    command.upgrade(alembic_config(url), "head")


def session(engine: Engine) -> Session:
    # Objects stay readable after commit: events and views are built from them.
    return Session(engine, expire_on_commit=False)


def is_conflict(exc: Exception) -> bool:
    """Whether a failed transaction lost a race with another writer (worth
    running again), rather than the database being away."""
    text = str(getattr(exc, "orig", exc)).lower()
    return any(m in text for m in ("database is locked", "database table is locked", "busy",
                                   "deadlock detected", "could not serialize"))
