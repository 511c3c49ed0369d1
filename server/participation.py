"""Adapters a resident's actions go through, whatever the transport (page form,
JSON API, websocket): find the session and the participant, call the domain
(the unit of work announces what committed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

from deliberation.digiraati.hearing import check_digiraati_post, check_digiraati_support
from deliberation.errors import MAX_ID, DomainError
from deliberation.lifecycle import access_visible_deliberation
from deliberation.models import Deliberation, Participant
from deliberation.participants import do_join, find_participant
from deliberation.posts import (
    PostingLimits,
    PostOutcome,
    SupportOutcome,
    do_create_post,
    do_toggle_support,
)
from deliberation.sessions import check_open
from server.admission import Admission
from server.parsing import ParseError, parse_seq
from server.state import AppState

T = TypeVar("T")


@dataclass
class Seat:
    deliberation: Deliberation
    participant: Participant | None


def find_seat(db: Session, *, slug: str, token: str | None, role: str | None = None) -> Seat:
    """The session and, if this browser has joined it, its participant. Reads only:
    looking at a session never makes a participant. A draft is "not found" to
    residents (and so to their API and live socket); a staff ``role`` may preview it."""
    d = access_visible_deliberation(db, slug=slug, role=role)
    assert d.id is not None
    if token is None:
        return Seat(d, None)
    return Seat(d, find_participant(db, deliberation_id=d.id, token=token))


def joined(db: Session, *, slug: str, token: str | None) -> tuple[Deliberation, Participant]:
    """The session and the participant acting in it; "not_joined" without one."""
    s = find_seat(db, slug=slug, token=token)
    if s.participant is None:
        # Only an open session hands out pseudonyms: say why nobody can act here.
        check_open(s.deliberation)
        raise DomainError("not_joined")
    return s.deliberation, s.participant


def acting(db: Session, *, slug: str, token: str | None,
           may_join: bool) -> tuple[Deliberation, Participant]:
    """Like :func:`joined`, but when ``may_join`` (the browser passed admission)
    a browser without a participant here becomes one: its first action."""
    s = find_seat(db, slug=slug, token=token)
    if s.participant is not None:
        return s.deliberation, s.participant
    # Only an open session hands out pseudonyms: say why nobody can act here.
    check_open(s.deliberation)
    if token is None or not may_join:
        raise DomainError("not_joined")
    assert s.deliberation.id is not None
    return s.deliberation, do_join(db, deliberation_id=s.deliberation.id, token=token)


async def seat(st: AppState, slug: str, token: str | None, *, role: str | None = None) -> Seat:
    return await st.read(find_seat, slug=slug, token=token, role=role)


async def live_seat(st: AppState, slug: str, token: str | None, *,
                    role: str | None = None) -> tuple[int, Participant | None]:
    """The session's id and this browser's participant, for a live socket.

    A browser without a participant token and without a staff role (most
    sockets of a reconnect storm) finds a published session in a short-lived
    per-process cache: no worker thread, no database read. Drafts and unknown
    slugs are never cached, so they are refused as before."""
    if token is None and role is None:
        cached = st.visible_sessions.get(slug)
        if cached is not None:
            return cached, None
    s = await seat(st, slug, token, role=role)
    assert s.deliberation.id is not None
    if role is None:  # seen as a resident sees it: published
        st.visible_sessions.put(slug, s.deliberation.id)
    return s.deliberation.id, s.participant


def admission(st: AppState) -> Admission:
    return st.admission


async def first_action(st: AppState, attempt: Callable[[bool], Awaitable[T]], *,
                       token: str | None, proof: object, client: str | None) -> T:
    """Run ``attempt(may_join=False)``; if the browser has no participant in the
    session yet, let it through admission (proof-of-work, identities per client)
    and run ``attempt(may_join=True)``, which makes the participant."""
    try:
        return await attempt(False)
    except DomainError as exc:
        if exc.code != "not_joined" or token is None:
            raise
    await admission(st).admit(proof, client)
    return await attempt(True)


def _join(db: Session, *, slug: str, token: str | None, may_join: bool) -> Participant:
    return acting(db, slug=slug, token=token, may_join=may_join)[1]


async def join(st: AppState, *, slug: str, token: str | None, proof: object,
               client: str | None) -> Participant:
    """Take part without acting yet (the page's "Take part" button)."""
    return await first_action(
        st, lambda may: st.run(_join, slug=slug, token=token, may_join=may),
        token=token, proof=proof, client=client)


def _post(db: Session, *, slug: str, token: str | None, may_join: bool, question_id: object,
          parent_id: int | None, body: object, limits: PostingLimits) -> PostOutcome:
    d, me = acting(db, slug=slug, token=token, may_join=may_join)
    # A digiraati's threads take posts only from its panel, in their phase.
    check_digiraati_post(db, d=d, participant=me, question_id=question_id)
    return do_create_post(db, d=d, participant=me,
                          question_id=question_id, parent_id=parent_id, body=body,
                          limits=limits)


async def create_post(st: AppState, *, slug: str, token: str | None, question_id: object,
                      parent_id: object, body: object, proof: object = None,
                      client: str | None = None) -> PostOutcome:
    if parent_id is not None and (not isinstance(parent_id, int) or isinstance(parent_id, bool)):
        raise DomainError("post_not_found")
    parent = parent_id if isinstance(parent_id, int) else None
    return await first_action(
        st, lambda may: st.run(_post, slug=slug, token=token, may_join=may,
                               question_id=question_id, parent_id=parent, body=body,
                               limits=st.limits),
        token=token, proof=proof, client=client)


def _support(db: Session, *, slug: str, token: str | None, may_join: bool,
             post_id: object) -> SupportOutcome:
    d, me = acting(db, slug=slug, token=token, may_join=may_join)
    check_digiraati_support(db, d=d, participant=me, post_id=post_id)
    return do_toggle_support(db, d=d, participant=me, post_id=post_id)


async def toggle_support(st: AppState, *, slug: str, token: str | None, post_id: object,
                         proof: object = None, client: str | None = None) -> SupportOutcome:
    return await first_action(
        st, lambda may: st.run(_support, slug=slug, token=token, may_join=may, post_id=post_id),
        token=token, proof=proof, client=client)


def as_int(value: object) -> int | None:
    """A form or JSON value as an id-sized int (0 allowed), or None when it is
    missing, malformed (non-ASCII digits included) or too large to name a row."""
    if value is None:
        return None
    try:
        number = parse_seq(value)
    except ParseError:
        return None
    return number if number <= MAX_ID else None
