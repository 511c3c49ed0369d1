"""Backlog pages shared by the sockets that connect at about the same time.

A reconnect storm (a deploy, a network blip) is every open page of a session
asking for the same events at once, mostly from the same sequence number. One
database read (and one JSON encoding per event) serves them all while it is
fresh: a page is handed to a socket only if it covers every event the hub had
delivered when that socket joined (``known``), so no socket misses an event.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from deliberation.events import EventOut

# How long a page may serve later sockets, and how many distinct pages are kept.
PAGE_TTL = 1.0
MAX_PAGES = 64


@dataclass(frozen=True)
class PageEvent:
    seq: int
    audience: str
    text: str


@dataclass(frozen=True)
class Page:
    events: list[PageEvent]
    full: bool  # as long as the read's limit: more may follow

    def covers(self, known: int) -> bool:
        return self.full or (bool(self.events) and self.events[-1].seq >= known)


@dataclass
class BacklogPages:
    ttl: float = PAGE_TTL
    _pages: dict[tuple[int, int], tuple[float, asyncio.Future[Page]]] = field(default_factory=dict)

    async def page(self, deliberation_id: int, after: int, known: int, limit: int,
                   read: Callable[[], Awaitable[list[EventOut]]]) -> Page:
        """The events after ``after`` (at most ``limit``), through ``known`` at least."""
        key = (deliberation_id, after)
        hit = self._pages.get(key)
        if hit is not None and hit[0] > time.monotonic():
            try:
                page = await asyncio.shield(hit[1])
            except Exception:
                page = None  # the shared read failed: try our own
            if page is not None and page.covers(known):
                return page
        future: asyncio.Future[Page] = asyncio.ensure_future(self._read(read, limit))
        future.add_done_callback(_forget_error)
        self._pages.pop(key, None)
        self._pages[key] = (time.monotonic() + self.ttl, future)
        while len(self._pages) > MAX_PAGES:
            del self._pages[next(iter(self._pages))]
        return await asyncio.shield(future)

    def clear(self) -> None:
        self._pages.clear()

    @staticmethod
    async def _read(read: Callable[[], Awaitable[list[EventOut]]], limit: int) -> Page:
        events = await read()
        return Page([PageEvent(ev.seq, ev.audience, ev.encode()) for ev in events],
                     full=len(events) >= limit)


def _forget_error(future: asyncio.Future[Page]) -> None:
    # Whoever awaited it reports the error; nobody else should complain at GC.
    if not future.cancelled():
        future.exception()
