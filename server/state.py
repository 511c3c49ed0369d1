"""Live state of one app instance: engine, broker, hub, metrics, templates,
the theme service, the panel draws and the login limiter.

Kept on ``app.state.raati`` rather than in module globals, so tests can run two
apps in one process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.templating import Jinja2Templates

from deliberation.events import (
    EventOut,
    events_after,
    last_seq,
    take_created_sessions,
    take_pending_events,
)
from deliberation.organisation import OrganisationView
from deliberation.posts import PostingLimits
from server import db as dbmod
from server.admission import Admission
from server.auth import PasswordGuard
from server.i18n import Translator
from server.live.backlog import BacklogPages
from server.live.broker import Broker, channel_namespace
from server.live.hub import Hub
from server.metrics import Metrics
from server.panel_draws import PanelDraws
from server.settings import Settings
from server.themes.service import ThemeService

T = TypeVar("T")
P = ParamSpec("P")
TRANSACTION_ATTEMPTS = 4
# How long a public session's id stays known by slug without asking the database
# (a reconnect storm is every open page at once; other processes' changes show
# within this, this process's own lifecycle changes at once).
VISIBLE_SESSION_TTL = 1.0


@dataclass
class VisibleSessions:
    """Published sessions' ids by slug, as residents see them, for a short while.

    Only hits are kept: a draft or an unknown slug is asked of the database every
    time, so it is refused exactly as before. A session's own lifecycle event
    (published, unpublished, closed, ...) forgets it here at once."""

    ttl: float = VISIBLE_SESSION_TTL
    _ids: dict[str, tuple[int, float]] = field(default_factory=dict)

    def get(self, slug: str) -> int | None:
        hit = self._ids.get(slug)
        if hit is None:
            return None
        if hit[1] <= time.monotonic():
            del self._ids[slug]
            return None
        return hit[0]

    def put(self, slug: str, deliberation_id: int) -> None:
        self._ids[slug] = (deliberation_id, time.monotonic() + self.ttl)

    def clear(self) -> None:
        self._ids.clear()

    def forget(self, deliberation_ids: set[int]) -> None:
        for slug in [s for s, (i, _) in self._ids.items() if i in deliberation_ids]:
            del self._ids[slug]


@dataclass
class OrganisationCache:
    """The organisation's settings as last read; server/organisation.py keeps
    them fresh, so rendering (synchronous) always has them."""

    view: OrganisationView | None = None
    loaded_at: float = float("-inf")


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    broker: Broker
    metrics: Metrics
    translator: Translator
    templates: Jinja2Templates
    hub: Hub = field(init=False)
    limits: PostingLimits = field(init=False)
    themes: ThemeService = field(init=False)
    # Digiraati panel draws running in the background.
    draws: PanelDraws = field(default_factory=PanelDraws)
    # Argon2 checks off the event loop, capped, with in-memory slow-down of guessing.
    passwords: PasswordGuard = field(default_factory=PasswordGuard)
    # Proof-of-work and in-memory rate of new residents per client.
    admission: Admission = field(init=False)
    # The /readyz database probe in flight, shared by polls while the database hangs.
    db_probe: asyncio.Future[bool] | None = None
    organisation: OrganisationCache = field(default_factory=OrganisationCache)
    visible_sessions: VisibleSessions = field(default_factory=VisibleSessions)
    backlog: BacklogPages = field(default_factory=BacklogPages)
    shutting_down: bool = False
    # Database work running in worker threads, awaited before the engine is disposed.
    _db_work: set[asyncio.Future[object]] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.limits = PostingLimits(
            per_participant_per_minute=self.settings.posts_per_minute,
            per_session_per_minute=self.settings.session_posts_per_minute,
            detect_names=self.settings.detect_names,
            newcomer_share=self.settings.newcomer_share,
            established_after=timedelta(minutes=self.settings.established_minutes),
        )
        self.themes = ThemeService(refresh_seconds=self.settings.theme_refresh_seconds)
        self.admission = Admission(secret_key=self.settings.secret_key,
                                   pow_cost=self.settings.pow_cost,
                                   joins_per_client=self.settings.joins_per_client,
                                   redis_url=self.settings.redis_url,
                                   namespace=channel_namespace(self.settings.secret_key,
                                                               self.settings.database_url))
        self.hub = Hub(
            self.broker,
            load_after=self._load_after,
            load_last_seq=self._load_last_seq,
            metrics=self.metrics,
            check_interval=1.0 if self.settings.redis_url else None,
        )

    async def run(self, fn: Callable[Concatenate[Session, P], T], /,
                  *args: P.args, **kwargs: P.kwargs) -> T:
        """The unit of work: run a domain function in a worker thread inside one
        transaction, commit, then announce the events it recorded.

        Events recorded with ``record_event`` (and sessions noted with
        ``record_session_created``) wait on the database session; they are
        taken and published only after the commit succeeded. A function that
        raises rolls back and its events are forgotten, so nothing is announced
        that did not commit. ``fn``'s arguments are checked by mypy (ParamSpec).
        """

        def work() -> tuple[T, list[EventOut], list[int]]:
            for attempt in range(TRANSACTION_ATTEMPTS):
                try:
                    with dbmod.session(self.engine) as s:
                        try:
                            result = fn(s, *args, **kwargs)
                            s.commit()
                        except BaseException:
                            take_pending_events(s)  # rolled back: never announced
                            take_created_sessions(s)
                            raise
                        return result, take_pending_events(s), take_created_sessions(s)
                except OperationalError as exc:
                    # Another writer got there first (SQLite's lock, PostgreSQL's
                    # deadlock or serialization check): the whole change is run
                    # again; nothing was announced for the failed attempt.
                    if attempt + 1 == TRANSACTION_ATTEMPTS or not dbmod.is_conflict(exc):
                        raise
                    time.sleep(0.01 * (attempt + 1))
            raise AssertionError("unreachable")

        result, events, created = await self._in_thread(work)
        changed = {ev.deliberation_id for ev in events if ev.kind.startswith("session_")}
        if changed:
            self.visible_sessions.forget(changed)
        if events:
            await self.hub.publish(events)
        if created:
            await self.hub.announce_sessions(created)
        return result

    async def read(self, fn: Callable[Concatenate[Session, P], T], /,
                   *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a read-only domain function in a worker thread (nothing is committed)."""

        def work() -> T:
            with dbmod.session(self.engine) as s:
                return fn(s, *args, **kwargs)

        return await self._in_thread(work)

    async def _in_thread(self, work: Callable[[], T]) -> T:
        """Run database work in a worker thread, tracked until the thread is done.

        Cancelling the awaiting task (a live listener leaving, the hub or the
        theme refresh stopping, a /readyz probe given up on) does not stop the
        thread: it keeps its pooled connection until it finishes. Were the engine
        disposed meanwhile, that connection would be checked in to the discarded
        pool and never closed (psycopg warns when it is garbage-collected), so
        ``drain_database_work`` lets such threads finish first."""
        future: asyncio.Future[T] = asyncio.ensure_future(run_in_threadpool(work))
        tracked: asyncio.Future[object] = future  # type: ignore[assignment]
        self._db_work.add(tracked)
        future.add_done_callback(_forget_result)
        future.add_done_callback(self._db_work.discard)
        try:
            return await asyncio.shield(future)
        except (DBAPIError, PoolTimeout):
            # The database is away: what was kept from it must not let a live
            # socket in as if it were there ("try again later" instead).
            self.visible_sessions.clear()
            self.backlog.clear()
            raise

    async def drain_database_work(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds: a hung database must not stop the
        shutdown) until no worker thread holds a connection of the engine."""
        if self._db_work:
            await asyncio.wait(set(self._db_work), timeout=timeout)

    async def _load_after(self, deliberation_id: int, after: int) -> list[EventOut]:
        return await self.read(events_after, deliberation_id=deliberation_id, after=after)

    async def _load_last_seq(self, deliberation_id: int) -> int:
        return await self.read(last_seq, deliberation_id=deliberation_id)


def _forget_result(future: asyncio.Future[T]) -> None:
    # Whoever awaited it may have been cancelled: an error is theirs to report,
    # not a "never retrieved" complaint at garbage collection.
    if not future.cancelled():
        future.exception()
