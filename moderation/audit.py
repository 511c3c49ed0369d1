"""The audit log of moderation: every decision appended as one row (who, when,
what, why), read back for staff and exported as CSV.

Rows are append-only: this module has no update or delete, an ORM guard refuses
flushing a changed or deleted row, and database triggers (migration 0002) refuse
UPDATE and DELETE from anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from deliberation.export import csv_text
from deliberation.models import Deliberation, Participant, utcnow
from moderation.models import ModerationAction

SYSTEM_ACTOR = "system"
CSV_COLUMNS = ("time_utc", "session", "action", "reason", "post_id", "pseudonym", "actor", "note")


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(OrmSession, "before_flush")
def _refuse_rewriting_history(session: OrmSession, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, ModerationAction) and (obj in session.deleted
                                                  or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("the moderation audit log is append-only")


@dataclass(frozen=True)
class Actor:
    """Who decides: a staff member, or the system (flags)."""

    id: int | None
    name: str

    @classmethod
    def system(cls) -> Actor:
        return cls(None, SYSTEM_ACTOR)


def record_action(db: Session, *, deliberation_id: int, actor: Actor, action: str,
                  reason: str = "", post_id: int | None = None,
                  participant_id: int | None = None, note: str = "",
                  now: datetime | None = None) -> ModerationAction:
    row = ModerationAction(
        deliberation_id=deliberation_id, actor_id=actor.id, actor_name=actor.name,
        action=action, reason=reason, post_id=post_id, participant_id=participant_id,
        note=note, created_at=now or utcnow(),
    )
    db.add(row)
    db.flush()
    return row


@dataclass(frozen=True)
class AuditRow:
    action: ModerationAction
    session_slug: str
    pseudonym: str
    session_title: str = ""


def list_actions(db: Session, *, deliberation_id: int | None = None, limit: int = 500,
                 before_id: int | None = None) -> list[AuditRow]:
    """Newest first; ``before_id`` pages back."""
    query = (
        select(ModerationAction, Deliberation.slug, Participant.pseudonym, Deliberation.title)
        .join(Deliberation, col(Deliberation.id) == col(ModerationAction.deliberation_id))
        .outerjoin(Participant, col(Participant.id) == col(ModerationAction.participant_id))
    )
    if deliberation_id is not None:
        query = query.where(ModerationAction.deliberation_id == deliberation_id)
    if before_id is not None:
        query = query.where(col(ModerationAction.id) < before_id)
    rows = db.exec(query.order_by(col(ModerationAction.id).desc()).limit(limit)).all()
    return [AuditRow(a, slug, pseudonym or "", title) for a, slug, pseudonym, title in rows]


def _time(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def csv_lines(rows: Iterable[AuditRow]) -> str:
    return csv_text(CSV_COLUMNS, (
        (_time(r.action.created_at), r.session_slug, r.action.action, r.action.reason,
         r.action.post_id or "", r.pseudonym, r.action.actor_name, r.action.note)
        for r in rows))
