"""A session's life: draft -> scheduled -> open -> closed -> results published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError, NotFound
from deliberation.lifecycle import (
    access_visible_deliberation,
    do_close_now,
    do_publish,
    do_unpublish,
    stage_of,
)
from deliberation.models import utcnow
from deliberation.posts import PostingLimits, do_create_post
from deliberation.sessions import SessionForm, do_create_deliberation
from tests.factories import QUESTIONS, first_question, join, make_session

NO_NAMES = PostingLimits(detect_names=False)


def _db(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def _form(slug: str, *, opens: bool = True, questions: tuple[str, ...] = QUESTIONS) -> SessionForm:
    now = utcnow()
    return SessionForm(title="Luonnos", slug=slug, introduction="", questions=questions,
                       opens_at=now + timedelta(days=1) if opens else None,
                       closes_at=now + timedelta(days=8))


def test_a_new_session_is_a_draft_only_staff_can_see(engine: Engine) -> None:
    with _db(engine) as db:
        d = do_create_deliberation(db, form=_form(f"luonnos-{id(db)}"))
        db.commit()
        assert stage_of(d) == "draft"
        with pytest.raises(NotFound):
            access_visible_deliberation(db, slug=d.slug, role=None)
        assert access_visible_deliberation(db, slug=d.slug, role="moderator").id == d.id


def test_a_draft_takes_no_posts_even_inside_its_dates(engine: Engine) -> None:
    with _db(engine) as db:
        d = make_session(db, draft=True)
        with pytest.raises(DomainError) as err:
            do_create_post(db, d=d, participant=join(db, d), question_id=first_question(db, d),
                           parent_id=None, body="Hei", limits=NO_NAMES)
        assert err.value.code == "session_not_open"


def test_publishing_needs_an_opening_time(engine: Engine) -> None:
    with _db(engine) as db:
        d = do_create_deliberation(db, form=_form(f"ilman-aikaa-{id(db)}", opens=False))
        with pytest.raises(DomainError) as err:
            do_publish(db, d=d, role="facilitator")
        assert err.value.code == "publish_needs_opening_time"
        assert stage_of(d) == "draft"


def test_moderators_cannot_publish(engine: Engine) -> None:
    with _db(engine) as db:
        d = do_create_deliberation(db, form=_form(f"moderaattori-{id(db)}"))
        with pytest.raises(DomainError) as err:
            do_publish(db, d=d, role="moderator")
        assert err.value.code == "forbidden"


def test_published_session_moves_through_its_stages_on_time(engine: Engine) -> None:
    with _db(engine) as db:
        d = do_create_deliberation(db, form=_form(f"vaiheet-{id(db)}"))
        event = do_publish(db, d=d, role="facilitator")
        db.commit()
        assert event.kind == "session_published"
        assert d.opens_at is not None and d.closes_at is not None
        assert stage_of(d) == "scheduled"
        assert stage_of(d, d.opens_at) == "open"
        assert stage_of(d, d.closes_at) == "closed"


def test_back_to_draft_only_before_opening(engine: Engine) -> None:
    with _db(engine) as db:
        d = do_create_deliberation(db, form=_form(f"takaisin-{id(db)}"))
        do_publish(db, d=d, role="admin")
        do_unpublish(db, d=d, role="admin")
        assert stage_of(d) == "draft"
        live = make_session(db)
        with pytest.raises(DomainError) as err:
            do_unpublish(db, d=live, role="admin")
        assert err.value.code == "unpublish_only_scheduled"


def test_closing_now_ends_an_open_session(engine: Engine) -> None:
    with _db(engine) as db:
        d = make_session(db)
        event = do_close_now(db, d=d, role="facilitator")
        db.commit()
        assert event.data["stage"] == "closed"
        assert stage_of(d) == "closed"
        with pytest.raises(DomainError):
            do_close_now(db, d=d, role="facilitator")
