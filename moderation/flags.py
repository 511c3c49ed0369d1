"""Residents' reports of posts. A post flagged by enough different established
participants (Settings.flag_threshold, 3 by default) is hidden until a
moderator decides.

Only established reporters count towards hiding (they have published a post or
have taken part for a while, see deliberation.participants.established): fresh
identities cost a script almost nothing, so their reports reach the moderators'
queue but cannot hide anything. A moderator's decision resolves the open flags;
a reporter can flag a post only once, so after a restore the same reporters can
never hide it again. The post's row is locked before counting, so simultaneous
reports are counted one after another and none is missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.errors import Conflict, DomainError, NotFound, is_id
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Deliberation, Participant, Post, utcnow
from deliberation.participants import ESTABLISHED_AFTER, established
from deliberation.posts import access_public_post, do_hide_post
from moderation.audit import Actor, record_action
from moderation.models import Flag
from moderation.reasons import FLAG_REASONS

DEFAULT_THRESHOLD = 3


@dataclass
class FlagOutcome:
    flag: Flag
    open_flags: int
    hidden: bool
    events: list[EventOut] = field(default_factory=list)


def check_flag_reason(reason: object) -> str:
    if not isinstance(reason, str) or reason not in FLAG_REASONS:
        raise DomainError("flag_reason_invalid")
    return reason


def open_flag_count(db: Session, *, post_id: int) -> int:
    return int(db.exec(select(func.count(func.distinct(Flag.participant_id))).where(
        Flag.post_id == post_id, col(Flag.resolved).is_(False))).one())


def hiding_flag_count(db: Session, *, post_id: int, now: datetime,
                      established_after: timedelta = ESTABLISHED_AFTER) -> int:
    """Open flags that count towards hiding: those of established reporters."""
    return int(db.exec(
        select(func.count(func.distinct(Flag.participant_id)))
        .join(Participant, col(Participant.id) == col(Flag.participant_id))
        .where(Flag.post_id == post_id, col(Flag.resolved).is_(False),
               established(now, established_after))).one())


def _lock_post(db: Session, post_id: object) -> None:
    # Reports of one post queue up here (a row lock on PostgreSQL, the write lock
    # on SQLite), so each one counts the flags committed before it.
    if is_id(post_id):
        db.execute(update(Post).where(col(Post.id) == post_id)
                   .values(support_count=col(Post.support_count)))


def do_flag_post(db: Session, *, d: Deliberation, participant: Participant, post_id: object,
                 reason: object, threshold: int = DEFAULT_THRESHOLD,
                 established_after: timedelta = ESTABLISHED_AFTER,
                 now: datetime | None = None) -> FlagOutcome:
    reason_code = check_flag_reason(reason)
    now = now or utcnow()
    _lock_post(db, post_id)
    post = access_public_post(db, d=d, participant=participant, post_id=post_id,
                              own_code="flag_own_post")
    db.refresh(post)  # the state committed before our lock, not a copy read earlier
    if post.status != "published":
        raise NotFound("post_not_found")
    assert d.id is not None and participant.id is not None and post.id is not None
    post_id = post.id
    already = db.exec(select(Flag).where(Flag.post_id == post_id,
                                         Flag.participant_id == participant.id)).first()
    if already is not None:
        raise Conflict("already_flagged")
    flag = Flag(deliberation_id=d.id, post_id=post_id, participant_id=participant.id,
                reason=reason_code)
    db.add(flag)
    db.flush()
    count = open_flag_count(db, post_id=post_id)
    events = [record_event(db, deliberation_id=d.id, kind="post_flagged", audience=STAFF,
                           data={"post_id": post_id, "reason": reason_code, "open_flags": count})]
    counted = hiding_flag_count(db, post_id=post_id, now=now,
                                established_after=established_after)
    hidden = counted >= max(1, threshold)
    if hidden:
        events.append(do_hide_post(db, post=post, reason="flags"))
        record_action(db, deliberation_id=d.id, actor=Actor.system(), action="auto_hide",
                      reason="flags", post_id=post_id, participant_id=post.participant_id,
                      note=str(counted))
    return FlagOutcome(flag, count, hidden, events)
