"""A queue item carries what a moderator needs to decide at a glance: the post a
reply answers, and the reason that fits what was found."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from deliberation.posts import PostingLimits, do_create_post
from moderation.flags import do_flag_post
from moderation.queue import queue_items
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)


def test_a_held_reply_shows_its_parent_and_suggests_personal_data(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        a, b = join(db, d), join(db, d)
        qid = first_question(db, d)
        idea = do_create_post(db, d=d, participant=a, question_id=qid, parent_id=None,
                              body="Iltakäynnit ovat liian lyhyitä.", limits=NO_NAMES).post
        do_create_post(db, d=d, participant=b, question_id=qid, parent_id=idea.id,
                       body="Samaa mieltä, soita 040 123 4567", limits=NO_NAMES)
        db.commit()
        assert d.id is not None
        [item] = queue_items(db, deliberation_id=d.id)
        assert item.parent is not None and item.parent.body == "Iltakäynnit ovat liian lyhyitä."
        assert item.suggested_reason == "personal_data"


def test_a_reported_post_suggests_what_residents_reported(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        author = join(db, d)
        post = do_create_post(db, d=d, participant=author, question_id=first_question(db, d),
                              parent_id=None, body="Ostakaa halpoja kenkiä!", limits=NO_NAMES).post
        for _ in range(2):
            do_flag_post(db, d=d, participant=join(db, d), post_id=post.id, reason="spam",
                         threshold=5)
        do_flag_post(db, d=d, participant=join(db, d), post_id=post.id, reason="off_topic",
                     threshold=5)
        db.commit()
        assert d.id is not None
        [item] = queue_items(db, deliberation_id=d.id)
        assert item.parent is None
        assert item.suggested_reason == "spam"
