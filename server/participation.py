"""Adapters a resident's actions go through, whatever the transport (page form,
JSON API, websocket): find the session and the participant, call the domain
(the unit of work announces what committed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from deliberation.digiraati.hearing import check_digiraati_post, check_digiraati_support
from deliberation.errors import DomainError, is_id
from deliberation.models import Deliberation, Participant
from deliberation.participants import do_join, find_participant
from deliberation.posts import (
    PostingLimits,
    PostOutcome,
    SupportOutcome,
    do_create_post,
    do_toggle_support,
)
from deliberation.sessions import access_deliberation
from server.state import AppState


@dataclass
class Seat:
    deliberation: Deliberation
    participant: Participant | None


def _seat(db: Session, *, slug: str, token: str | None, join: bool) -> Seat:
    d = access_deliberation(db, slug=slug)
    assert d.id is not None
    if token is None:
        return Seat(d, None)
    if join:
        return Seat(d, do_join(db, deliberation_id=d.id, token=token))
    return Seat(d, find_participant(db, deliberation_id=d.id, token=token))


def find_seat(db: Session, *, slug: str, token: str | None) -> Seat:
    """The session and, if this browser has joined it, its participant."""
    return _seat(db, slug=slug, token=token, join=False)


def joined(db: Session, *, slug: str, token: str | None) -> tuple[Deliberation, Participant]:
    """The session and the participant acting in it; "not_joined" without one."""
    s = find_seat(db, slug=slug, token=token)
    if s.participant is None:
        raise DomainError("not_joined")
    return s.deliberation, s.participant


async def seat(st: AppState, slug: str, token: str | None, *, join: bool) -> Seat:
    return await st.run(_seat, slug=slug, token=token, join=join)


def _post(db: Session, *, slug: str, token: str | None, question_id: object,
          parent_id: int | None, body: object, limits: PostingLimits) -> PostOutcome:
    d, me = joined(db, slug=slug, token=token)
    # A digiraati's threads take posts only from its panel, in their phase.
    check_digiraati_post(db, d=d, participant=me, question_id=question_id)
    return do_create_post(db, d=d, participant=me,
                          question_id=question_id, parent_id=parent_id, body=body,
                          limits=limits)


async def create_post(st: AppState, *, slug: str, token: str | None, question_id: object,
                      parent_id: object, body: object) -> PostOutcome:
    if parent_id is not None and (not isinstance(parent_id, int) or isinstance(parent_id, bool)):
        raise DomainError("post_not_found")
    outcome = await st.run(_post, slug=slug, token=token, question_id=question_id,
                           parent_id=parent_id, body=body, limits=st.limits)
    return outcome


def _support(db: Session, *, slug: str, token: str | None, post_id: object) -> SupportOutcome:
    d, me = joined(db, slug=slug, token=token)
    check_digiraati_support(db, d=d, participant=me, post_id=post_id)
    return do_toggle_support(db, d=d, participant=me, post_id=post_id)


async def toggle_support(st: AppState, *, slug: str, token: str | None,
                         post_id: object) -> SupportOutcome:
    outcome = await st.run(_support, slug=slug, token=token, post_id=post_id)
    return outcome


def as_int(value: object) -> int | None:
    """A form or JSON value as an id-sized int (0 allowed), or None when it is
    missing, malformed or too large to name a row."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 12:
        value = int(value.strip())
    if isinstance(value, int) and (is_id(value) or value == 0):
        return value
    return None
