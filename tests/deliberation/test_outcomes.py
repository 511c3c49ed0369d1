"""Closing the loop: responses per theme, published after closing, noticed by returning residents."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.content import localize_response, translations_of
from deliberation.errors import DomainError
from deliberation.lifecycle import stage_of
from deliberation.models import Deliberation, Participant
from deliberation.outcomes import (
    ResponseForm,
    answered_share,
    do_mark_results_seen,
    do_publish_results,
    do_save_responses,
    forms_from_themes,
    responses_of,
    results_notice_due,
)
from deliberation.posts import PostingLimits, do_create_post
from tests.factories import first_question, join, make_session

NO_NAMES = PostingLimits(detect_names=False)


def _closed_with_a_writer(db: Session) -> tuple[Deliberation, Participant, Participant]:
    d = make_session(db)
    writer, visitor = join(db, d), join(db, d)
    do_create_post(db, d=d, participant=writer, question_id=first_question(db, d),
                   parent_id=None, body="Lisää aikaa asiakkaille.", limits=NO_NAMES)
    assert d.opens_at is not None
    d.closes_at = d.opens_at
    db.add(d)
    db.commit()
    return d, writer, visitor


def test_responses_start_from_the_theme_report_and_keep_what_was_written(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, _, _ = _closed_with_a_writer(db)
        forms = forms_from_themes([{"label": "Hoitajien aika", "size": 12},
                                   {"label": "Kuljetukset", "size": 4}], [])
        saved = do_save_responses(db, d=d, items=[
            ResponseForm("Hoitajien aika", "Lisäämme käyntiaikaa.", "planned", 12,
                         versions={"sv": ("Vårdarnas tid", "Vi ökar besökstiden.")}),
            forms[1]])
        db.commit()
        again = forms_from_themes([{"label": "Hoitajien aika", "size": 13},
                                   {"label": "Yksinäisyys", "size": 3}], saved)
        assert [(f.label, f.response) for f in again] == [
            ("Hoitajien aika", "Lisäämme käyntiaikaa."), ("Kuljetukset", ""), ("Yksinäisyys", "")]
        assert d.id is not None
        label, text = localize_response(translations_of(db, deliberation_id=d.id), saved[0], "sv")
        assert (label.text, label.lang, text.text) == ("Vårdarnas tid", "sv", "Vi ökar besökstiden.")
        assert answered_share(db, deliberation_id=d.id) == (1, 2)


def test_results_are_published_only_after_closing_and_with_a_response(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        open_one = make_session(db)
        with pytest.raises(DomainError) as err:
            do_publish_results(db, d=open_one, role="facilitator")
        assert err.value.code == "results_need_closed_session"
        d, _, _ = _closed_with_a_writer(db)
        with pytest.raises(DomainError) as err:
            do_publish_results(db, d=d, role="facilitator")
        assert err.value.code == "results_need_a_response"
        do_save_responses(db, d=d, items=[ResponseForm("Aika", "Teemme näin.", "done")])
        event = do_publish_results(db, d=d, role="facilitator")
        db.commit()
        assert event.kind == "results_published"
        assert stage_of(d) == "results"


def test_removed_responses_are_gone(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, _, _ = _closed_with_a_writer(db)
        _a, b = do_save_responses(db, d=d, items=[ResponseForm("A", "x"), ResponseForm("B", "y")])
        do_save_responses(db, d=d, items=[ResponseForm("B", "y", id=b.id)])
        db.commit()
        assert d.id is not None
        assert [r.label for r in responses_of(db, deliberation_id=d.id)] == ["B"]


@pytest.mark.parametrize(("item", "code"), [
    (ResponseForm("", "x"), "theme_label_required"),
    (ResponseForm("A", "x", status="forgotten"), "response_status_invalid"),
    (ResponseForm("A", "x" * 5001), "response_too_long"),
])
def test_bad_responses_are_refused(engine: Engine, item: ResponseForm, code: str) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, _, _ = _closed_with_a_writer(db)
        with pytest.raises(DomainError) as err:
            do_save_responses(db, d=d, items=[item])
        assert err.value.code == code


def test_residents_who_took_part_are_told_once(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, writer, visitor = _closed_with_a_writer(db)
        assert not results_notice_due(db, d=d, participant=writer)
        do_save_responses(db, d=d, items=[ResponseForm("Aika", "Teemme näin.", "done")])
        do_publish_results(db, d=d, role="admin")
        assert results_notice_due(db, d=d, participant=writer)
        assert not results_notice_due(db, d=d, participant=visitor)
        assert not results_notice_due(db, d=d, participant=None)
        do_mark_results_seen(db, participant=writer)
        assert not results_notice_due(db, d=d, participant=writer)
