"""Titles, introductions, questions and closing texts in fi/sv/en, with the
Finnish fallback marked as Finnish."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.content import Localized, localize, pick, translations_of
from deliberation.errors import DomainError
from deliberation.models import utcnow
from deliberation.sessions import (
    LanguageVersion,
    SessionForm,
    do_create_deliberation,
    do_update_deliberation,
    questions_of,
)

QUESTIONS = ("Millaista on hyvä kotihoito?", "Mitä pitäisi muuttaa?")


@pytest.mark.parametrize(("versions", "lang", "expected"), [
    ({"fi": "Kotihoito", "sv": "Hemvård"}, "sv", Localized("Hemvård", "sv")),
    ({"fi": "Kotihoito", "sv": "Hemvård"}, "en", Localized("Kotihoito", "fi")),
    ({"fi": "Kotihoito", "sv": "   "}, "sv", Localized("Kotihoito", "fi")),
    ({"fi": "Kotihoito"}, "fi", Localized("Kotihoito", "fi")),
    ({}, "en", Localized("Raati", "fi")),
])
def test_pick_falls_back_to_finnish_and_says_so(versions: dict[str, str], lang: str,
                                                 expected: Localized) -> None:
    assert pick(versions, lang, "Raati") == expected


def _form(**kw: object) -> SessionForm:
    now = utcnow()
    base = dict(title="Tulevaisuuden kotihoito", slug=f"kieli-{secrets.token_hex(4)}",
                introduction="Tervetuloa!", questions=QUESTIONS, opens_at=now,
                closes_at=now + timedelta(days=7), closing_message="Kiitos osallistumisesta!")
    base.update(kw)
    return SessionForm(**base)  # type: ignore[arg-type]


def test_swedish_versions_are_shown_and_missing_ones_are_finnish(engine: Engine) -> None:
    sv = LanguageVersion(title="Framtidens hemvård", introduction="",
                         questions=("Hurdan är god hemvård?",))
    with Session(engine, expire_on_commit=False) as db:
        d = do_create_deliberation(db, form=_form(versions={"sv": sv}))
        db.commit()
        assert d.id is not None
        content = localize(translations_of(db, deliberation_id=d.id), d,
                           questions_of(db, deliberation_id=d.id), "sv")
        assert content.title == Localized("Framtidens hemvård", "sv")
        assert content.introduction == Localized("Tervetuloa!", "fi")
        assert content.closing == Localized("Kiitos osallistumisesta!", "fi")
        assert [q.text for q in content.questions] == [
            Localized("Hurdan är god hemvård?", "sv"), Localized("Mitä pitäisi muuttaa?", "fi")]
        english = localize(translations_of(db, deliberation_id=d.id), d,
                           questions_of(db, deliberation_id=d.id), "en")
        assert english.title.lang == "fi"


def test_a_question_keeps_its_translation_when_questions_move(engine: Engine) -> None:
    sv = LanguageVersion(questions=("Hurdan är god hemvård?", "Vad borde ändras?"))
    with Session(engine, expire_on_commit=False) as db:
        d = do_create_deliberation(db, form=_form(versions={"sv": sv}))
        moved = LanguageVersion(questions=("Vad borde ändras?", "Hurdan är god hemvård?"))
        do_update_deliberation(db, d=d, form=_form(slug=d.slug, questions=QUESTIONS[::-1],
                                                   versions={"sv": moved}))
        db.commit()
        assert d.id is not None
        content = localize(translations_of(db, deliberation_id=d.id), d,
                           questions_of(db, deliberation_id=d.id), "sv")
        assert [str(q.text) for q in content.questions] == [
            "Vad borde ändras?", "Hurdan är god hemvård?"]


@pytest.mark.parametrize(("versions", "code"), [
    ({"de": LanguageVersion(title="Heimpflege")}, "language_invalid"),
    ({"sv": LanguageVersion(questions=("a", "b", "c"))}, "question_versions_too_many"),
    ({"en": LanguageVersion(title="x" * 201)}, "title_too_long"),
])
def test_bad_language_versions_are_refused(engine: Engine, versions: dict[str, LanguageVersion],
                                           code: str) -> None:
    with Session(engine) as db, pytest.raises(DomainError) as err:
        do_create_deliberation(db, form=_form(versions=versions))
    assert err.value.code == code
