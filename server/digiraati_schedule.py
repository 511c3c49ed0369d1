"""What time alone changes in a digiraati, applied every half minute: phases
opening and closing on their schedule (announced live like a facilitator's
click) and contacts deleted once a digiraati has closed. Every process may
tick; the domain lets exactly one announce each change."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sqlmodel import Session

from deliberation.digiraati.phases import digiraatis_to_tick
from deliberation.digiraati.publication import do_tick
from deliberation.events import EventOut
from deliberation.sessions import access_deliberation_by_id
from server.state import AppState

log = logging.getLogger("raati.digiraati")
TICK_SECONDS = 30.0


def _ids(db: Session) -> list[int]:
    return [d.id for d in digiraatis_to_tick(db) if d.id is not None]


def _tick_one(db: Session, *, deliberation_id: int) -> list[EventOut]:
    return do_tick(db, d=access_deliberation_by_id(db, deliberation_id=deliberation_id))


async def tick(st: AppState) -> None:
    for deliberation_id in await st.read(_ids):
        await st.run(_tick_one, deliberation_id=deliberation_id)


@dataclass
class ScheduleTicker:
    interval: float = TICK_SECONDS
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    def start(self, st: AppState) -> None:
        self._task = asyncio.create_task(self._loop(st))

    async def _loop(self, st: AppState) -> None:
        while not self._stopping.is_set():
            try:
                await tick(st)
            except Exception:  # the database away: try again next time
                log.warning("digiraati schedule tick failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)

    async def stop(self) -> None:
        """Let a tick that is running finish (its transaction and connection
        end cleanly), then stop."""
        self._stopping.set()
        if self._task is not None:
            await self._task
