"""A session's life: draft -> scheduled -> open -> closed -> results published.

Only two moments are stored: when staff published the session (None: a draft)
and when they published its results. Whether a published session is scheduled,
open or closed follows from its opening and closing times, so it changes on
time without anyone pressing a button.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from deliberation.errors import DomainError, NotFound
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, utcnow
from deliberation.permissions import can_manage_sessions, can_moderate
from deliberation.sessions import access_deliberation, questions_of

DRAFT = "draft"
SCHEDULED = "scheduled"
OPEN = "open"
CLOSED = "closed"
RESULTS = "results"
STAGES = (DRAFT, SCHEDULED, OPEN, CLOSED, RESULTS)


def stage_of(d: Deliberation, now: datetime | None = None) -> str:
    now = now or utcnow()
    if d.published_at is None:
        return DRAFT
    if d.results_published_at is not None:
        return RESULTS
    if d.opens_at is not None and now < d.opens_at:
        return SCHEDULED
    if d.closes_at is not None and now >= d.closes_at:
        return CLOSED
    return OPEN


def has_closed(d: Deliberation, now: datetime | None = None) -> bool:
    return stage_of(d, now) in (CLOSED, RESULTS)


def can_see(d: Deliberation, role: str | None) -> bool:
    """Drafts are for staff only (any staff role may preview them)."""
    return d.published_at is not None or can_moderate(role)


def access_visible_deliberation(db: Session, *, slug: str, role: str | None) -> Deliberation:
    """The session behind a public address; a draft is "not found" to residents,
    so an unpublished title never leaks."""
    d = access_deliberation(db, slug=slug)
    if not can_see(d, role):
        raise NotFound("session_not_found")
    return d


def check_publishable(db: Session, d: Deliberation) -> None:
    assert d.id is not None
    if d.opens_at is None:
        raise DomainError("publish_needs_opening_time")
    if not questions_of(db, deliberation_id=d.id):
        raise DomainError("questions_required")


def _record(db: Session, d: Deliberation, kind: str) -> EventOut:
    assert d.id is not None
    db.add(d)
    db.flush()
    return record_event(db, deliberation_id=d.id, kind=kind,
                        data={"stage": stage_of(d), "title": d.title})


def _check_manager(role: str | None) -> None:
    if not can_manage_sessions(role):
        raise DomainError("forbidden")


def do_publish(db: Session, *, d: Deliberation, role: str | None,
               now: datetime | None = None) -> EventOut:
    """Make a draft visible: scheduled until its opening time, then open."""
    _check_manager(role)
    if d.published_at is not None:
        raise DomainError("already_published")
    check_publishable(db, d)
    d.published_at = now or utcnow()
    return _record(db, d, "session_published")


def do_unpublish(db: Session, *, d: Deliberation, role: str | None,
                 now: datetime | None = None) -> EventOut:
    """Back to draft, only while nobody could have taken part yet."""
    _check_manager(role)
    if stage_of(d, now) != SCHEDULED:
        raise DomainError("unpublish_only_scheduled")
    d.published_at = None
    return _record(db, d, "session_unpublished")


def do_close_now(db: Session, *, d: Deliberation, role: str | None,
                 now: datetime | None = None) -> EventOut:
    _check_manager(role)
    if stage_of(d, now) != OPEN:
        raise DomainError("close_only_open")
    d.closes_at = now or utcnow()
    return _record(db, d, "session_closed")


def check_can_publish_results(d: Deliberation, role: str | None,
                              now: datetime | None = None) -> None:
    _check_manager(role)
    if stage_of(d, now) != CLOSED:
        raise DomainError("results_need_closed_session")


def record_stage_change(db: Session, d: Deliberation, kind: str) -> EventOut:
    return _record(db, d, kind)
