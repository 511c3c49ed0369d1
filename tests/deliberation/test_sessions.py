"""Sessions: the facilitator's form, the life of a session (upcoming, open,
closed) and editing that keeps threads with their questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from deliberation.errors import DomainError
from deliberation.events import events_after
from deliberation.models import utcnow
from deliberation.sessions import (
    LanguageVersion,
    SessionForm,
    access_deliberation,
    check_open,
    check_session_form,
    do_create_deliberation,
    do_update_deliberation,
    questions_of,
    slugify,
    state_of,
)
from tests.factories import make_session, session

NOW = utcnow()


def form(**changes: object) -> SessionForm:
    base = SessionForm(title="Tulevaisuuden kotihoito", slug="", introduction="",
                       questions=("Mitä?",), opens_at=None, closes_at=None)
    return SessionForm(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "code"), [
    ({"title": "  "}, "title_required"),
    ({"slug": "Ei Kelpaa"}, "slug_invalid"),
    ({"questions": ("", " ")}, "questions_required"),
    ({"questions": tuple(f"K{i}" for i in range(21))}, "too_many_questions"),
    ({"opens_at": NOW, "closes_at": NOW - timedelta(hours=1)}, "closes_before_opens"),
    ({"moderation_mode": "sometimes"}, "moderation_mode_invalid"),
    ({"kind": "poll"}, "kind_invalid"),
])
def test_a_bad_form_is_refused_with_its_code(changes: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as err:
        check_session_form(form(**changes))
    assert err.value.code == code


def test_the_web_address_comes_from_the_title() -> None:
    assert slugify("Sote-palvelut: Mitä äänestäjät haluavat?") == "sote-palvelut-mita-aanestajat-haluavat"
    assert check_session_form(form()).slug == "tulevaisuuden-kotihoito"


@pytest.mark.parametrize(("opens", "closes", "state", "code"), [
    (timedelta(hours=1), timedelta(days=1), "upcoming", "session_not_open"),
    (-timedelta(hours=1), timedelta(days=1), "open", None),
    (-timedelta(days=2), -timedelta(minutes=1), "closed", "session_closed"),
])
def test_a_session_is_upcoming_open_or_closed(opens: timedelta, closes: timedelta, state: str,
                                              code: str | None, engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        d.opens_at, d.closes_at = NOW + opens, NOW + closes
        assert state_of(d, NOW) == state
        if code is None:
            check_open(d, NOW)
        else:
            with pytest.raises(DomainError) as err:
                check_open(d, NOW)
            assert err.value.code == code


def test_a_taken_address_is_refused(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        with pytest.raises(DomainError) as err:
            do_create_deliberation(db, form=form(slug=d.slug))
        assert err.value.code == "slug_taken"
        assert access_deliberation(db, slug=d.slug).id == d.id


def test_editing_keeps_questions_records_an_event_and_hides_removed_ones(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        before = questions_of(db, deliberation_id=d.id)
        kept = before[1].text
        event = do_update_deliberation(db, d=d, form=form(slug=d.slug, title="Uusi otsikko",
                                                          questions=(kept, "Aivan uusi?")))
        db.commit()
        after = questions_of(db, deliberation_id=d.id)
        assert [q.text for q in after] == [kept, "Aivan uusi?"]
        assert after[0].id == before[1].id  # the kept question keeps its threads
        assert event.kind == "session_updated" and event.data["title"] == "Uusi otsikko"
        assert [e.kind for e in events_after(db, deliberation_id=d.id, after=0)] == [
            "session_updated"]


def test_the_update_event_carries_every_language_version(engine: Engine) -> None:
    """So a Swedish or English page can show an edit live (web/static/js/live.js)."""
    with session(engine) as db:
        d = make_session(db)
        versions = {"sv": LanguageVersion(title=" Framtidens hemvård ", questions=("", "Varför?")),
                    "en": LanguageVersion(title="")}
        event = do_update_deliberation(db, d=d, form=form(
            slug=d.slug, title="Uusi otsikko", questions=("Mitä?", "Miksi?"), versions=versions))
        # Empty versions are left out: the page shows the Finnish one, marked as Finnish.
        assert event.data["versions"] == {"title": {"fi": "Uusi otsikko", "sv": "Framtidens hemvård"}}
        assert [q["versions"] for q in event.data["questions"]] == [
            {"fi": "Mitä?"}, {"fi": "Miksi?", "sv": "Varför?"}]
