"""Residents' reports of posts. A post flagged by enough different participants
(Settings.flag_threshold, 3 by default) is hidden until a moderator decides."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from deliberation.errors import Conflict, DomainError
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Deliberation, Participant
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


def do_flag_post(db: Session, *, d: Deliberation, participant: Participant, post_id: object,
                 reason: object, threshold: int = DEFAULT_THRESHOLD) -> FlagOutcome:
    reason_code = check_flag_reason(reason)
    post = access_public_post(db, d=d, participant=participant, post_id=post_id,
                              own_code="flag_own_post")
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
    hidden = count >= max(1, threshold)
    if hidden:
        events.append(do_hide_post(db, post=post, reason="flags"))
        record_action(db, deliberation_id=d.id, actor=Actor.system(), action="auto_hide",
                      reason="flags", post_id=post_id, participant_id=post.participant_id,
                      note=str(count))
    return FlagOutcome(flag, count, hidden, events)
