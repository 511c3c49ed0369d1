"""Theme reports of sessions for service developers.

The latest full computation of a session is kept in memory with its model.
Posts that arrived after it are placed into the existing themes of the whole
session and of their question when a report is read (a question that had no
answers at the last computation gets its themes at the next); a full recomputation runs on demand and periodically, in a worker
process (see ``server.themes.worker``), never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from deliberation.errors import DomainError
from deliberation.models import Post, Question, utcnow
from server.themes.worker import Computed, Placement, PostRow, compute, place

if TYPE_CHECKING:
    from server.state import AppState

log = logging.getLogger("raati.themes")


def published_posts(db: Session, *, deliberation_id: int, after_id: int = 0) -> list[PostRow]:
    """Published posts of a session with the text of the question they answer."""
    rows = db.exec(
        select(Post, Question.text).join(Question, col(Question.id) == col(Post.question_id))
        .where(Post.deliberation_id == deliberation_id, Post.status == "published",
               col(Post.id) > after_id).order_by(col(Post.id))
    ).all()
    return [PostRow(p.id or 0, p.body, str(p.participant_id), p.support_count, p.created_at,
                    question) for p, question in rows]


def _count_new(part: dict[str, Any], theme_id: int | None) -> None:
    """Count one new post in a report part (session or question) and its theme."""
    part["posts_since"] += 1
    themes = {t["id"]: t for t in part["themes"]}
    target = themes.get(theme_id) if theme_id is not None else part["other"]
    (target if target is not None else part["other"])["new_since"] += 1


@dataclass
class Snapshot:
    computed: Computed
    computed_at: datetime
    max_post_id: int


@dataclass
class ThemeService:
    refresh_seconds: float = 600.0
    snapshots: dict[int, Snapshot] = field(default_factory=dict)
    _pool: ProcessPoolExecutor | None = None
    _locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def recompute(self, st: AppState, deliberation_id: int) -> Snapshot:
        lock = self._locks.setdefault(deliberation_id, asyncio.Lock())
        async with lock:
            rows = await st.read(published_posts, deliberation_id=deliberation_id)
            loop = asyncio.get_running_loop()
            try:
                computed = await loop.run_in_executor(self._executor(), compute, rows)
            except Exception as exc:  # a bug in analysis must not take the page down
                log.exception("theme computation of session %s failed", deliberation_id)
                raise DomainError("themes_failed") from exc
            snap = Snapshot(computed, utcnow(), max((r.post_id for r in rows), default=0))
            self.snapshots[deliberation_id] = snap
            return snap

    async def report(self, st: AppState, deliberation_id: int) -> dict[str, Any]:
        """The latest report, with posts newer than it placed into its themes."""
        snap = self.snapshots.get(deliberation_id) or await self.recompute(st, deliberation_id)
        report = deepcopy(snap.computed.report)
        newer = await st.read(published_posts, deliberation_id=deliberation_id,
                              after_id=snap.max_post_id)
        placed: list[Placement] = []
        if newer:
            loop = asyncio.get_running_loop()
            placed = await loop.run_in_executor(
                self._executor(), place, snap.computed.model, snap.computed.question_models,
                [(r.text, r.question) for r in newer])
        questions = {q["question"]: q for q in report.get("questions", [])}
        for part in [report, *questions.values()]:
            part["posts_since"] = 0
            for theme in [*part["themes"], part["other"]]:
                theme["new_since"] = 0
        for row, (theme_id, own_id) in zip(newer, placed, strict=True):
            _count_new(report, theme_id)
            if row.question in questions:
                _count_new(questions[row.question], own_id)
        report["computed_at"] = snap.computed_at.isoformat(timespec="seconds")
        report["posts_total"] = len(snap.computed.post_ids) + len(newer)
        return report

    def start(self, st: AppState) -> None:
        """Recompute, every ``refresh_seconds``, the reports that were read and have
        new posts since."""
        if self.refresh_seconds > 0:
            self._task = asyncio.create_task(self._refresh_forever(st))

    async def _refresh_forever(self, st: AppState) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            for deliberation_id, snap in list(self.snapshots.items()):
                try:
                    newer = await st.read(published_posts, deliberation_id=deliberation_id,
                                          after_id=snap.max_post_id)
                    if newer:
                        await self.recompute(st, deliberation_id)
                except Exception:  # the next round tries again
                    log.exception("periodic theme refresh of session %s failed", deliberation_id)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
