"""Residents' flags: three different reporters hide a post until a moderator decides."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.errors import DomainError
from deliberation.posts import PostingLimits, do_create_post, threads_by_question
from moderation.audit import Actor, list_actions
from moderation.decisions import do_restore
from moderation.flags import do_flag_post
from moderation.queue import queue_items
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)


def _published(db, d, author):  # type: ignore[no-untyped-def]
    return do_create_post(db, d=d, participant=author, question_id=first_question(db, d),
                          parent_id=None, body="Kotihoitoon lisää aikaa.", limits=NO_NAMES).post


def test_three_distinct_reporters_hide_the_post_pending_review(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        author = join(db, d)
        reporters = [join(db, d) for _ in range(3)]
        post = _published(db, d, author)
        outcomes = [do_flag_post(db, d=d, participant=r, post_id=post.id, reason="offensive")
                    for r in reporters]
        db.commit()
        assert [o.hidden for o in outcomes] == [False, False, True]
        assert [e.kind for e in outcomes[-1].events] == ["post_flagged", "post_hidden"]
        assert threads_by_question(db, d=d) == {}
        items = queue_items(db, deliberation_id=d.id)
        assert [(i.post.id, i.state, i.flag_reasons) for i in items] == [
            (post.id, "hidden", {"offensive": 3})]
        log = list_actions(db, deliberation_id=d.id)
        assert [(r.action.action, r.action.reason, r.action.actor_name) for r in log] == [
            ("auto_hide", "flags", "system")]

        do_restore(db, post_id=post.id, actor=Actor(None, "mod"))
        db.commit()
        assert queue_items(db, deliberation_id=d.id) == []
        assert threads_by_question(db, d=d)[first_question(db, d)][0].post["id"] == post.id


def test_threshold_is_configurable(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _published(db, d, join(db, d))
        out = do_flag_post(db, d=d, participant=join(db, d), post_id=post.id, reason="spam",
                           threshold=1)
        assert out.hidden


@pytest.mark.parametrize(("case", "code"), [
    ("twice", "already_flagged"),
    ("own", "flag_own_post"),
    ("reason", "flag_reason_invalid"),
    ("missing", "post_not_found"),
])
def test_bad_flags_are_refused(engine: Engine, case: str, code: str) -> None:
    with session(engine) as db:
        d = make_session(db)
        author, reporter = join(db, d), join(db, d)
        post = _published(db, d, author)
        who, post_id, reason = reporter, post.id, "spam"
        if case == "twice":
            do_flag_post(db, d=d, participant=reporter, post_id=post.id, reason="spam")
        elif case == "own":
            who = author
        elif case == "reason":
            reason = "<script>"
        elif case == "missing":
            post_id = 987654
        with pytest.raises(DomainError) as err:
            do_flag_post(db, d=d, participant=who, post_id=post_id, reason=reason)
        assert err.value.code == code
