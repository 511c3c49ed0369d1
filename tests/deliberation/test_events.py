"""The event log: numbered per session without gaps, written with the change,
kept on the database session until the unit of work publishes or forgets it;
new sessions are noted for the staff the same way."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from deliberation.events import (
    PUBLIC,
    STAFF,
    EventOut,
    events_after,
    last_seq,
    pending_events,
    record_event,
    record_session_created,
    take_created_sessions,
    take_pending_events,
)
from tests.factories import make_session, session


def test_events_are_numbered_per_session_and_read_back_in_order(engine: Engine) -> None:
    with session(engine) as db:
        d, other = make_session(db), make_session(db)
        assert d.id is not None and other.id is not None
        for i in range(3):
            record_event(db, deliberation_id=d.id, kind="test", data={"i": i})
        record_event(db, deliberation_id=other.id, kind="test", data={"i": 0}, audience=STAFF)
        db.commit()
        got = events_after(db, deliberation_id=d.id, after=1)
        assert [(e.seq, e.data["i"], e.audience) for e in got] == [(2, 1, PUBLIC), (3, 2, PUBLIC)]
        assert last_seq(db, deliberation_id=d.id) == 3
        assert last_seq(db, deliberation_id=other.id) == 1


def test_recorded_events_wait_on_the_session_until_taken(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        made = record_event(db, deliberation_id=d.id, kind="test", data={})
        assert pending_events(db) == [made]
        db.commit()
        assert take_pending_events(db) == [made]
        assert take_pending_events(db) == []


def test_a_rollback_forgets_recorded_events(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        record_event(db, deliberation_id=d.id, kind="test", data={})
        db.rollback()
        assert pending_events(db) == []
        assert events_after(db, deliberation_id=d.id, after=0) == []


def test_a_new_session_is_noted_for_the_staff_and_a_rollback_forgets_it(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        assert take_created_sessions(db) == [d.id]
        assert take_created_sessions(db) == []
        record_event(db, deliberation_id=d.id, kind="test", data={})  # a change in progress
        record_session_created(db, deliberation_id=d.id)
        db.rollback()
        assert take_created_sessions(db) == []


def test_the_wire_form_decodes_to_the_same_event() -> None:
    event = EventOut(7, 3, "post_support", PUBLIC, {"post_id": 1, "teksti": "ä"}, 1.5)
    assert EventOut.decode(7, event.encode()) == event
    assert "ä" in event.encode()  # sent as UTF-8 text, not escaped
