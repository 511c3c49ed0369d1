"""Editing questions residents already wrote under: warned first, then moved or kept hidden."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from deliberation.errors import DomainError
from deliberation.models import Deliberation, Post
from deliberation.posts import PostingLimits, do_create_post
from deliberation.sessions import (
    SessionForm,
    do_update_deliberation,
    question_impacts,
    questions_of,
)
from tests.factories import QUESTIONS, join, make_session

NO_NAMES = PostingLimits(detect_names=False)


def _form_of(d: Deliberation, questions: tuple[str, ...]) -> SessionForm:
    return SessionForm(title=d.title, slug=d.slug, introduction=d.introduction,
                       questions=questions, opens_at=d.opens_at, closes_at=d.closes_at)


def _with_posts(db: Session, n: int) -> tuple[Deliberation, list[int]]:
    d = make_session(db)
    assert d.id is not None
    qids = [q.id or 0 for q in questions_of(db, deliberation_id=d.id)]
    me = join(db, d)
    for i in range(n):
        do_create_post(db, d=d, participant=me, question_id=qids[1], parent_id=None,
                       body=f"Idea numero {i + 1} kotihoidosta.", limits=NO_NAMES)
    db.commit()
    return d, qids


def test_removing_a_question_with_posts_warns_with_their_number(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, qids = _with_posts(db, 3)
        impacts = question_impacts(db, d=d, form=_form_of(d, QUESTIONS[:1]))
        assert [(i.question_id, i.new_text, i.post_count) for i in impacts] == [
            (qids[1], None, 3)]
        # Nothing changed by asking.
        assert d.id is not None
        assert len(questions_of(db, deliberation_id=d.id)) == 2


def test_rewording_a_question_with_posts_warns_too(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, qids = _with_posts(db, 2)
        impacts = question_impacts(db, d=d, form=_form_of(d, (QUESTIONS[0], "Mitä muuttaisit?")))
        assert [(i.question_id, i.new_text, i.post_count) for i in impacts] == [
            (qids[1], "Mitä muuttaisit?", 2)]


def test_questions_without_posts_change_without_a_warning(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, _ = _with_posts(db, 0)
        assert question_impacts(db, d=d, form=_form_of(d, ("Uusi kysymys?",))) == []


def test_posts_of_a_removed_question_can_move_to_a_kept_one(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, qids = _with_posts(db, 2)
        do_update_deliberation(db, d=d, form=_form_of(d, QUESTIONS[:1]), moves={qids[1]: 0})
        db.commit()
        posts = db.exec(select(Post).where(Post.deliberation_id == d.id)).all()
        assert {p.question_id for p in posts} == {qids[0]}


def test_without_a_move_the_posts_stay_hidden_with_their_question(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, qids = _with_posts(db, 2)
        do_update_deliberation(db, d=d, form=_form_of(d, QUESTIONS[:1]))
        db.commit()
        assert d.id is not None
        hidden = [q for q in questions_of(db, deliberation_id=d.id, include_inactive=True)
                  if not q.active]
        assert [q.id for q in hidden] == [qids[1]]
        assert len(db.exec(select(Post).where(Post.question_id == qids[1])).all()) == 2


@pytest.mark.parametrize("moves", [{999_999: 0}, {"kept": 5}])
def test_a_move_must_name_a_removed_question_and_a_kept_one(engine: Engine,
                                                          moves: dict[object, int]) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d, qids = _with_posts(db, 1)
        bad = {(qids[0] if k == "kept" else k): v for k, v in moves.items()}
        with pytest.raises(DomainError) as err:
            do_update_deliberation(db, d=d, form=_form_of(d, QUESTIONS[:1]),
                                   moves=bad)  # type: ignore[arg-type]
        assert err.value.code == "question_move_invalid"


def test_a_drafts_edits_are_announced_to_staff_only(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db, draft=True)
        event = do_update_deliberation(db, d=d, form=replace(_form_of(d, QUESTIONS),
                                                             title="Uusi nimi"))
        assert event.audience == "staff"
