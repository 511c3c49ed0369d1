"""Reports and hiding under attack: fresh identities cannot hide a post, a
restore holds against the same reporters, simultaneous reports all count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError
from deliberation.models import Deliberation, Participant, Post, utcnow
from deliberation.posts import PostingLimits, do_create_post
from moderation.audit import Actor
from moderation.decisions import do_restore
from moderation.flags import do_flag_post
from moderation.queue import queue_items
from tests.concurrency import at_once
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)


def _settled(db: Session, d: Deliberation) -> Participant:
    who = join(db, d)
    who.created_at = utcnow() - timedelta(hours=1)
    db.add(who)
    db.flush()
    return who


def _post(db: Session, d: Deliberation, author: Participant, body: str = "Lisää aikaa.") -> Post:
    return do_create_post(db, d=d, participant=author, question_id=first_question(db, d),
                          parent_id=None, body=body, limits=NO_NAMES).post


def test_fresh_identities_report_but_cannot_hide(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _post(db, d, join(db, d))
        outcomes = [do_flag_post(db, d=d, participant=join(db, d), post_id=post.id,
                                 reason="offensive") for _ in range(5)]
        db.commit()
        assert not any(o.hidden for o in outcomes)
        assert db.get(Post, post.id).status == "published"  # type: ignore[union-attr]
        # The reports still reach the moderators.
        assert [i.post.id for i in queue_items(db, deliberation_id=d.id)] == [post.id]


def test_a_reporter_who_has_posted_counts(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _post(db, d, join(db, d))
        reporters = [join(db, d) for _ in range(3)]
        for i, r in enumerate(reporters):
            _post(db, d, r, f"Oma ajatus numero {i}.")
        outs = [do_flag_post(db, d=d, participant=r, post_id=post.id, reason="spam")
                for r in reporters]
        assert [o.hidden for o in outs] == [False, False, True]


def test_restore_is_immune_to_the_same_reporters(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _post(db, d, join(db, d))
        reporters = [_settled(db, d) for _ in range(3)]
        for r in reporters:
            do_flag_post(db, d=d, participant=r, post_id=post.id, reason="offensive")
        assert db.get(Post, post.id).status == "hidden"  # type: ignore[union-attr]
        do_restore(db, post_id=post.id, actor=Actor(None, "moderaattori"))
        db.commit()
        for r in reporters:
            try:
                do_flag_post(db, d=d, participant=r, post_id=post.id, reason="spam")
            except DomainError as exc:
                assert exc.code == "already_flagged"
        db.commit()
        assert db.get(Post, post.id).status == "published"  # type: ignore[union-attr]


def test_simultaneous_reports_all_count(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _post(db, d, join(db, d))
        reporter_ids = [_settled(db, d).id for _ in range(3)]
        db.commit()
        d_id, post_id = d.id, post.id

    def report(db: Session, i: int) -> bool:
        d = db.get(Deliberation, d_id)
        who = db.get(Participant, reporter_ids[i])
        assert d is not None and who is not None
        return do_flag_post(db, d=d, participant=who, post_id=post_id, reason="spam").hidden

    results = at_once(engine, 3, report)
    assert sorted(results, key=str) == [False, False, True], results
    with session(engine) as db:
        assert db.get(Post, post_id).status == "hidden"  # type: ignore[union-attr]
