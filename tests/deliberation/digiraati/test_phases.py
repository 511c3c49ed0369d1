"""Phases: by hand or on schedule, one at a time, each change an event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.phases import (
    PHASES,
    DigiraatiForm,
    check_phase_open,
    current_phase,
    do_close_phase,
    do_create_digiraati,
    do_open_phase,
    do_sync_schedule,
    do_update_background,
    phase_named,
)
from deliberation.digiraati.rules import digiraati_of
from deliberation.errors import DomainError
from deliberation.models import utcnow
from tests.deliberation.digiraati.factories import make_digiraati
from tests.factories import session


def test_background_keeps_headings_lists_links_and_nothing_else(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        html = digiraati_of(db, d).background_html
        assert "<h2>Taustaa</h2>" in html and "<li>yksi</li>" in html
        assert '<a href="https://example.fi">Lue lisää</a>' in html
        event = do_update_background(
            db, d=d, public_read=True,
            text='<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="y">z</b>')
        out = event.data["background_html"]
        assert "<script" not in out and 'href="javascript' not in out and "<b " not in out
        assert "&lt;script&gt;" in out  # shown as the text it was, never run


def test_opening_a_phase_closes_the_open_one(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        assert current_phase(db, d) is None
        events = do_open_phase(db, d=d, name="orientation")
        assert [(e.kind, e.data["phase"]) for e in events] == [("phase_open", "orientation")]
        events = do_open_phase(db, d=d, name="hearing")
        assert [(e.kind, e.data["phase"]) for e in events] == [
            ("phase_closed", "orientation"), ("phase_open", "hearing")]
        db.commit()
        assert current_phase(db, d) == "hearing"
        check_phase_open(db, d, "hearing")
        with pytest.raises(DomainError) as err:
            check_phase_open(db, d, "orientation")
        assert err.value.code == "phase_not_open"
        do_close_phase(db, d=d, name="hearing")
        assert current_phase(db, d) is None
        with pytest.raises(DomainError) as err:
            do_close_phase(db, d=d, name="hearing")
        assert err.value.code == "phase_not_open"


def test_schedule_opens_and_closes_phases_and_is_announced_once(engine: Engine) -> None:
    now = utcnow()
    with session(engine) as db:
        d = do_create_digiraati(db, form=DigiraatiForm(
            title="Aikataulutettu raati", slug="", introduction="", background="",
            questions=("Mitä?",), panel_size=6, schedule={
                "orientation": (now - timedelta(days=2), now - timedelta(days=1)),
                "hearing": (now - timedelta(hours=1), now + timedelta(hours=1))}))
        events = do_sync_schedule(db, d=d, now=now)
        assert sorted((e.kind, e.data["phase"]) for e in events) == [
            ("phase_closed", "orientation"), ("phase_open", "hearing")]
        assert do_sync_schedule(db, d=d, now=now) == []
        later = now + timedelta(hours=2)
        assert [(e.kind, e.data["phase"]) for e in do_sync_schedule(db, d=d, now=later)] == [
            ("phase_closed", "hearing")]
        assert phase_named(db, d, "voting").announced == "pending"


@pytest.mark.parametrize(("schedule", "code"), [
    ({"hearing": (2, 1)}, "phase_ends_before_start"),
    ({"orientation": (0, 3), "hearing": (2, 4)}, "phase_overlaps"),
    ({"lunch": (0, 1)}, "phase_unknown"),
])
def test_bad_schedules_are_refused(engine: Engine, schedule: dict[str, tuple[int, int]],
                                   code: str) -> None:
    now = utcnow()
    times = {k: (now + timedelta(days=a), now + timedelta(days=b)) for k, (a, b) in schedule.items()}
    with session(engine) as db, pytest.raises(DomainError) as err:
        do_create_digiraati(db, form=DigiraatiForm(
            title="Raati", slug="", introduction="", background="", questions=("Mitä?",),
            panel_size=6, schedule=times))
    assert err.value.code == code


def test_phases_are_the_six_in_order(engine: Engine) -> None:
    assert PHASES == ("orientation", "hearing", "deliberation", "drafting", "voting", "published")
    with session(engine) as db:
        d = make_digiraati(db)
        with pytest.raises(DomainError) as err:
            do_open_phase(db, d=d, name="lunch")
        assert err.value.code == "phase_unknown"


def test_two_processes_ticking_the_schedule_announce_a_phase_once(engine: Engine) -> None:
    now = utcnow()
    with session(engine) as db:
        d = do_create_digiraati(db, form=DigiraatiForm(
            title="Kaksi palvelinta", slug="", introduction="", background="",
            questions=("Mitä?",), panel_size=6,
            schedule={"orientation": (now - timedelta(hours=1), now + timedelta(hours=1))}))
        db.commit()
    with session(engine) as first, session(engine) as second:
        d1, d2 = (s.get(type(d), d.id) for s in (first, second))
        assert d1 is not None and d2 is not None
        phase_named(second, d2, "orientation")  # the second has read the phase already
        assert [e.kind for e in do_sync_schedule(first, d=d1, now=now)] == ["phase_open"]
        first.commit()
        assert do_sync_schedule(second, d=d2, now=now) == []
        second.commit()


def test_the_general_session_form_makes_a_real_digiraati(engine: Engine) -> None:
    from deliberation.digiraati.phases import do_create_from_session_form
    from deliberation.sessions import SessionForm

    with session(engine) as db:
        d = do_create_from_session_form(db, form=SessionForm(
            title="Raati lomakkeelta", slug="", introduction="", questions=("Mitä?",),
            opens_at=None, closes_at=None, kind="digiraati"))
        assert d.kind == "digiraati" and digiraati_of(db, d).panel_size == 30
        assert current_phase(db, d) is None
