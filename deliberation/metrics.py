"""Participation metrics for the county's annual report: how many took part,
what they said, how moderation went, how they felt heard, and how many themes
got a published response ("määrä, palaute, vaikutukset").

The moderation figures (what screening held, what moderators decided, what
residents reported) come from the moderation workflow's own tables, which this
layer cannot read: the workflow counts them (moderation/metrics.py) and passes
a ``count_moderation`` function in; without it they are zero.

Per session and per year. Participants are counted per session: a resident is
deliberately not linkable across sessions, so a year's figure is a sum of
sessions, not of people. Nothing here names or identifies anyone, and only
numbers and session titles reach an export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from deliberation.export import csv_text
from deliberation.feedback import feedback_summary
from deliberation.lifecycle import DRAFT, RESULTS, stage_of
from deliberation.models import Deliberation, Post, Support
from deliberation.outcomes import answered_share

# A county's year is a Finnish calendar year.
HELSINKI = ZoneInfo("Europe/Helsinki")
POST_STATUSES = ("published", "held", "rejected", "hidden")


@dataclass(frozen=True)
class ModerationFigures:
    """What moderation did, from its stored decisions and residents' reports."""

    held_by_screening: int = 0  # posts screening held (personal data, offensive, spam)
    approved: int = 0  # decisions: published as written (or reports found unfounded)
    redacted: int = 0  # published with the marked parts cut
    rejected_by_moderator: int = 0
    hidden_by_moderator: int = 0
    restored: int = 0
    reports: int = 0  # residents' reports (flags)
    reported_hidden: int = 0  # reported posts later hidden or rejected
    median_minutes_to_decision: float | None = None  # from a held post to its first decision


CountModeration = Callable[[Session, list[int]], ModerationFigures]
NO_MODERATION = ModerationFigures()


@dataclass(frozen=True)
class Metrics:
    """One session's figures, or a year's sum (then ``slug`` is empty)."""

    title: str
    slug: str
    stage: str
    opens_at: str
    participants: int  # residents who wrote or supported something
    ideas: int
    replies: int
    supports: int
    published: int
    held: int
    rejected: int
    hidden: int
    feedback_count: int
    feedback_scored: int
    feedback_average: float | None
    themes: int
    themes_answered: int  # with a response text, counted once the results are published
    moderation: ModerationFigures = NO_MODERATION

    @property
    def answered_share(self) -> float | None:
        return self.themes_answered / self.themes if self.themes else None


_BASE_COLUMNS = tuple(f.name for f in fields(Metrics) if f.name != "moderation")
MODERATION_COLUMNS = tuple(f.name for f in fields(ModerationFigures))
COLUMNS = (*_BASE_COLUMNS, "answered_share", *MODERATION_COLUMNS)


def _count(db: Session, query: object) -> int:
    return int(db.exec(query).one())  # type: ignore[call-overload]


def _active_participants(db: Session, d_id: int) -> int:
    writers = select(Post.participant_id).where(Post.deliberation_id == d_id)
    supporters = (select(Support.participant_id).join(Post, col(Post.id) == Support.post_id)
                  .where(Post.deliberation_id == d_id))
    ids = writers.union(supporters).subquery()
    return _count(db, select(func.count()).select_from(ids))


def session_metrics(db: Session, *, d: Deliberation, now: datetime | None = None,
                    count_moderation: CountModeration | None = None) -> Metrics:
    assert d.id is not None
    by_status = dict(db.exec(select(Post.status, func.count())
                             .where(Post.deliberation_id == d.id).group_by(Post.status)).all())
    ideas = _count(db, select(func.count()).select_from(Post).where(
        Post.deliberation_id == d.id, col(Post.parent_id).is_(None)))
    supports = _count(db, select(func.count()).select_from(Support)
                      .join(Post, col(Post.id) == Support.post_id)
                      .where(Post.deliberation_id == d.id))
    fb = feedback_summary(db, deliberation_ids=[d.id])
    answered, themes = answered_share(db, deliberation_id=d.id)
    stage = stage_of(d, now)
    return Metrics(
        title=d.title, slug=d.slug, stage=stage,
        opens_at=d.opens_at.astimezone(HELSINKI).date().isoformat() if d.opens_at else "",
        participants=_active_participants(db, d.id),
        ideas=ideas, replies=sum(int(n) for n in by_status.values()) - ideas, supports=supports,
        **{s: int(by_status.get(s, 0)) for s in POST_STATUSES},
        feedback_count=fb.count, feedback_scored=fb.scored,
        feedback_average=round(fb.average, 2) if fb.average is not None else None,
        themes=themes, themes_answered=answered if stage == RESULTS else 0,
        moderation=count_moderation(db, [d.id]) if count_moderation else NO_MODERATION,
    )


def year_of(d: Deliberation) -> int | None:
    moment = d.opens_at or d.published_at
    return moment.astimezone(HELSINKI).year if moment else None


def sessions_of_year(db: Session, *, year: int) -> list[Deliberation]:
    """The published sessions that opened in ``year`` (Finnish time), oldest first."""
    rows = db.exec(select(Deliberation).where(col(Deliberation.published_at).is_not(None))
                   .order_by(col(Deliberation.opens_at))).all()
    return [d for d in rows if year_of(d) == year]


def years_with_sessions(db: Session) -> list[int]:
    rows = db.exec(select(Deliberation).where(col(Deliberation.published_at).is_not(None))).all()
    return sorted({y for d in rows if (y := year_of(d)) is not None}, reverse=True)


def year_total(year: int, per_session: Sequence[Metrics], feedback_average: float | None,
               moderation: ModerationFigures = NO_MODERATION) -> Metrics:
    def total(name: str) -> int:
        return sum(int(getattr(m, name)) for m in per_session)

    sums = {name: total(name) for name in (
        "participants", "ideas", "replies", "supports", *POST_STATUSES, "feedback_count",
        "feedback_scored", "themes", "themes_answered")}
    return Metrics(title=str(year), slug="", stage="", opens_at="",
                   feedback_average=feedback_average, moderation=moderation, **sums)


@dataclass(frozen=True)
class YearReport:
    year: int
    sessions: list[Metrics]
    total: Metrics


def year_report(db: Session, *, year: int, now: datetime | None = None,
                count_moderation: CountModeration | None = None) -> YearReport:
    sessions = [d for d in sessions_of_year(db, year=year) if stage_of(d, now) != DRAFT]
    per_session = [session_metrics(db, d=d, now=now, count_moderation=count_moderation)
                   for d in sessions]
    ids = [d.id for d in sessions if d.id is not None]
    # The year's average and median are over all answers and decisions, not
    # averages of the sessions' own.
    fb = feedback_summary(db, deliberation_ids=ids)
    average = round(fb.average, 2) if fb.average is not None else None
    moderation = count_moderation(db, ids) if count_moderation and ids else NO_MODERATION
    return YearReport(year, per_session, year_total(year, per_session, average, moderation))


def _row(m: Metrics) -> list[object]:
    share = m.answered_share
    return [*(getattr(m, name) for name in _BASE_COLUMNS),
            round(share, 3) if share is not None else None,
            *(getattr(m.moderation, name) for name in MODERATION_COLUMNS)]


def report_csv(report: YearReport) -> str:
    return csv_text(COLUMNS, [*(_row(m) for m in report.sessions), _row(report.total)])


def report_json(report: YearReport, *, generated_at: datetime | None = None) -> str:
    def as_dict(m: Metrics) -> dict[str, object]:
        return dict(zip(COLUMNS, _row(m), strict=True))

    return json.dumps({
        "year": report.year,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "note": "participants are counted per session; residents are not linkable across sessions",
        "sessions": [as_dict(m) for m in report.sessions],
        "total": as_dict(report.total),
    }, ensure_ascii=False, indent=2)
