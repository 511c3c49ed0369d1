"""Digiraati panel draws in the background.

With thousands of volunteers the lottery takes tens of seconds, too long for a
facilitator's request (the browser waits, proxies time out). :meth:`PanelDraws.start`
notes the draw as running (``panels.do_start_draw``) and returns at once; the
lottery's child interpreter is awaited by a task of this app, which says the
draw is alive every little while and stores the panel or the failure
(``panels.do_finish_draw``) when the child answers. A process that stops
mid-draw stops saying so, and the panel page then shows the draw as
interrupted (``panels.DRAW_STALE_AFTER``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from deliberation.digiraati.panels import (
    DRAW_STALE_AFTER,
    do_finish_draw,
    do_keep_draw_alive,
    do_start_draw,
)
from deliberation.digiraati.selection import DrawPlan
from deliberation.events import EventOut
from server import digiraati_views as views
from server.lottery_runner import solve_in_child_async

if TYPE_CHECKING:
    from server.state import AppState

log = logging.getLogger("raati.panel_draws")

AsyncSolver = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def _start(db: Session, *, deliberation_id: int, seed: int | None) -> DrawPlan:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_start_draw(db, d=d, seed=seed)


def _alive(db: Session, *, deliberation_id: int, seed: int) -> bool:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_keep_draw_alive(db, d=d, seed=seed)


def _finish(db: Session, *, deliberation_id: int, plan: DrawPlan,
            result: dict[str, Any] | None) -> EventOut | None:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_finish_draw(db, d=d, plan=plan, result=result)


@dataclass
class PanelDraws:
    """This app's running draws (a task each), stopped with the app."""

    solve: AsyncSolver = solve_in_child_async
    heartbeat_seconds: float = DRAW_STALE_AFTER.total_seconds() / 4
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self, st: AppState, *, deliberation_id: int, seed: int | None) -> int:
        """Start a draw and return its seed; a refusal (a draw already running,
        a quota no pool can meet...) is raised as the domain's error."""
        plan = await st.run(_start, deliberation_id=deliberation_id, seed=seed)
        task = asyncio.create_task(self._run(st, deliberation_id, plan))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return plan.seed

    async def _run(self, st: AppState, deliberation_id: int, plan: DrawPlan) -> None:
        beat = asyncio.create_task(self._keep_alive(st, deliberation_id, plan.seed))
        result: dict[str, Any] | None = None
        try:
            result = await self.solve(plan.payload)
        except Exception:  # the page says the draw failed; the log says why
            log.exception("panel draw of digiraati %s failed", deliberation_id)
        finally:
            beat.cancel()
        try:
            await st.run(_finish, deliberation_id=deliberation_id, plan=plan, result=result)
        except Exception:  # nothing stored: the page shows it interrupted once stale
            log.exception("storing the panel draw of digiraati %s failed", deliberation_id)

    async def _keep_alive(self, st: AppState, deliberation_id: int, seed: int) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                if not await st.run(_alive, deliberation_id=deliberation_id, seed=seed):
                    return
            except Exception:  # a database hiccup: the next beat tries again
                log.exception("panel draw of digiraati %s: heartbeat failed", deliberation_id)

    async def stop(self) -> None:
        """Cancel running draws (their children are killed); their digiraatis show
        the draw interrupted once it is stale, and a new one may start."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
