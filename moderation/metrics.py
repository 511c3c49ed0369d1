"""Moderation figures for the participation metrics (deliberation/metrics.py):
what screening held, what moderators decided and what residents' reports led
to, counted from the stored verdicts, the audit log and the flags. Numbers
only: nothing here tells who wrote, reported or decided."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from deliberation import metrics
from deliberation.metrics import ModerationFigures, YearReport
from deliberation.models import Post
from moderation.models import Flag, ModerationAction

# Hold reasons that are the session's or the author's, not something screening found.
NOT_SCREENING = frozenset({"premoderation", "muted"})
# The audit log's action -> the figure it counts.
DECISION_FIGURES = {"approve": "approved", "redact": "redacted",
                    "reject": "rejected_by_moderator", "hide": "hidden_by_moderator",
                    "restore": "restored"}
# Decisions that settle a held post, and those that take a reported post down.
SETTLING = ("approve", "reject", "redact")
TAKING_DOWN = ("auto_hide", "hide", "reject")


def moderation_figures(db: Session, deliberation_ids: list[int]) -> ModerationFigures:
    """The figures of these sessions together (a year's median is over all its
    decisions, not a median of medians)."""
    if not deliberation_ids:
        return ModerationFigures()
    held = db.exec(select(Post.id, Post.created_at, Post.hold_reasons).where(
        col(Post.deliberation_id).in_(deliberation_ids), Post.verdict == "hold")).all()
    actions = db.exec(
        select(ModerationAction.action, func.count())
        .where(col(ModerationAction.deliberation_id).in_(deliberation_ids))
        .group_by(ModerationAction.action)).all()
    decided = {DECISION_FIGURES[a]: int(n) for a, n in actions if a in DECISION_FIGURES}
    reports = db.exec(select(func.count()).select_from(Flag).where(
        col(Flag.deliberation_id).in_(deliberation_ids))).one()
    reported_hidden = db.exec(
        select(func.count(func.distinct(Flag.post_id))).select_from(Flag)
        .join(ModerationAction, and_(
            col(ModerationAction.post_id) == Flag.post_id,
            col(ModerationAction.action).in_(TAKING_DOWN),
            col(ModerationAction.created_at) >= Flag.created_at))
        .where(col(Flag.deliberation_id).in_(deliberation_ids))).one()
    return ModerationFigures(
        held_by_screening=sum(1 for _, _, reasons in held if set(reasons.split()) - NOT_SCREENING),
        reports=int(reports), reported_hidden=int(reported_hidden),
        median_minutes_to_decision=_median_minutes(db, deliberation_ids,
                                                   {i: at for i, at, _ in held}),
        **decided,
    )


def _median_minutes(db: Session, deliberation_ids: list[int],
                    held_at: dict[int | None, datetime]) -> float | None:
    """The median time from a held post's arrival to its first settling decision."""
    if not held_at:
        return None
    first = db.exec(
        select(ModerationAction.post_id, func.min(ModerationAction.created_at))
        .where(col(ModerationAction.deliberation_id).in_(deliberation_ids),
               col(ModerationAction.action).in_(SETTLING))
        .group_by(col(ModerationAction.post_id))).all()
    waits = [(_utc(at) - _utc(held_at[post_id])).total_seconds() / 60
             for post_id, at in first if post_id in held_at]
    return round(statistics.median(waits), 1) if waits else None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def year_report(db: Session, *, year: int, now: datetime | None = None) -> YearReport:
    """The year's participation metrics with the moderation figures filled in."""
    return metrics.year_report(db, year=year, now=now, count_moderation=moderation_figures)
