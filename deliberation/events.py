"""The event log: every change is an event with a per-session sequence number,
written in the same transaction as the change.

Only ``do_*`` functions call :func:`record_event`. Each recorded event is also
kept on the database session (:func:`pending_events`); the one place that
commits (the server's unit of work) hands them to the broker after the commit
succeeded and drops them on rollback: nothing is announced that did not commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from deliberation.models import Deliberation, Event, utcnow

PUBLIC = "public"
STAFF = "staff"


def participant_audience(participant_id: int) -> str:
    return f"participant:{participant_id}"


@dataclass(frozen=True, slots=True)
class EventOut:
    """A committed (or about to be committed) event, ready to encode."""

    deliberation_id: int
    seq: int
    kind: str
    audience: str
    data: dict[str, Any]
    ts: float  # when it was recorded (Unix time), for delivery-delay metrics

    def encode(self) -> str:
        """The wire form, made once and sent as the same text to every client."""
        return json.dumps(
            {"type": "event", "seq": self.seq, "kind": self.kind, "audience": self.audience,
             "ts": round(self.ts, 4), "data": self.data},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @staticmethod
    def decode(deliberation_id: int, raw: str | bytes) -> EventOut:
        obj = json.loads(raw)
        return EventOut(deliberation_id, int(obj["seq"]), obj["kind"], obj["audience"],
                        obj["data"], float(obj.get("ts", 0.0)))


def _next_seq(db: Session, deliberation_id: int) -> int:
    # One UPDATE ... RETURNING both allocates the number and locks the session row
    # until commit, so numbers are gapless and commit in order on PostgreSQL and SQLite.
    result = db.execute(
        update(Deliberation)
        .where(col(Deliberation.id) == deliberation_id)
        .values(last_seq=col(Deliberation.last_seq) + 1)
        .returning(col(Deliberation.last_seq))
    )
    seq = result.scalar_one()
    return int(seq)


_PENDING_KEY = "raati_pending_events"


def pending_events(db: Session) -> list[EventOut]:
    """Events recorded on this database session since its last commit or rollback."""
    pending: list[EventOut] = db.info.setdefault(_PENDING_KEY, [])
    return pending


def take_pending_events(db: Session) -> list[EventOut]:
    """The recorded events, removed from the session (after commit: to publish;
    after rollback: to forget)."""
    events: list[EventOut] = db.info.pop(_PENDING_KEY, [])
    return events


_CREATED_KEY = "raati_created_sessions"


def record_session_created(db: Session, *, deliberation_id: int) -> None:
    """Note on the database session that a session (deliberation) was created.

    Not an event of the session's own log (nothing happened in it yet): after
    the commit the unit of work announces the id to every process's staff, so
    moderators' live pages start following the new session at once. Forgotten
    on rollback, like events."""
    created: list[int] = db.info.setdefault(_CREATED_KEY, [])
    created.append(deliberation_id)


def take_created_sessions(db: Session) -> list[int]:
    """The sessions noted as created, removed from the database session."""
    created: list[int] = db.info.pop(_CREATED_KEY, [])
    return created


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_rolled_back(session: OrmSession, previous: SessionTransaction) -> None:
    # A rollback anywhere (not only in the unit of work: a domain function may
    # roll back a lost race itself) takes the recorded events with it.
    if not previous.nested:
        session.info.pop(_PENDING_KEY, None)
        session.info.pop(_CREATED_KEY, None)


def record_event(
    db: Session, *, deliberation_id: int, kind: str, data: dict[str, Any], audience: str = PUBLIC
) -> EventOut:
    seq = _next_seq(db, deliberation_id)
    now = utcnow()
    db.add(
        Event(
            deliberation_id=deliberation_id,
            seq=seq,
            kind=kind,
            audience=audience,
            payload=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            created_at=now,
        )
    )
    out = EventOut(deliberation_id, seq, kind, audience, data, now.timestamp())
    pending_events(db).append(out)
    return out


def events_after(
    db: Session, *, deliberation_id: int, after: int, limit: int = 5000
) -> list[EventOut]:
    """Committed events with a sequence number above ``after``, in order."""
    rows = db.exec(
        select(Event)
        .where(Event.deliberation_id == deliberation_id, Event.seq > after)
        .order_by(col(Event.seq))
        .limit(limit)
    ).all()
    return [
        EventOut(r.deliberation_id, r.seq, r.kind, r.audience, json.loads(r.payload),
                 r.created_at.timestamp())
        for r in rows
    ]


def last_seq(db: Session, *, deliberation_id: int) -> int:
    value = db.exec(
        select(Deliberation.last_seq).where(Deliberation.id == deliberation_id)
    ).one_or_none()
    return int(value or 0)
