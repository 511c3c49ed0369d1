"""The rules of posting, replying and supporting, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.errors import DomainError
from deliberation.events import events_after, last_seq
from deliberation.posts import PostingLimits, do_create_post, do_toggle_support, threads_by_question
from tests.factories import first_question, join, long_finnish_text, make_session, session

NO_NAMES = PostingLimits(detect_names=False)


def test_post_is_published_with_an_event_and_shown_in_its_thread(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        qid = first_question(db, d)
        out = do_create_post(db, d=d, participant=me, question_id=qid, parent_id=None,
                             body="Hoitajille enemmän aikaa asiakkaille.", limits=NO_NAMES)
        db.commit()
        assert out.status == "published"
        assert [e.kind for e in out.events] == ["post_published"]
        assert out.events[0].data["post"]["author"] == me.pseudonym
        threads = threads_by_question(db, d=d)
        assert threads[qid][0].post["body_html"] == "Hoitajille enemmän aikaa asiakkaille."


def test_reply_to_a_reply_joins_the_same_thread(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        a, b = join(db, d), join(db, d)
        qid = first_question(db, d)
        idea = do_create_post(db, d=d, participant=a, question_id=qid, parent_id=None,
                              body="Sama hoitaja joka käynnillä.", limits=NO_NAMES).post
        r1 = do_create_post(db, d=d, participant=b, question_id=qid, parent_id=idea.id,
                            body="Samaa mieltä!", limits=NO_NAMES).post
        r2 = do_create_post(db, d=d, participant=a, question_id=qid, parent_id=r1.id,
                            body="Kiitos tuesta.", limits=NO_NAMES).post
        db.commit()
        assert r1.parent_id == idea.id and r2.parent_id == idea.id
        thread = threads_by_question(db, d=d)[qid][0]
        assert [r["body_html"] for r in thread.replies] == ["Samaa mieltä!", "Kiitos tuesta."]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "post_empty"),
        ("   \n\t  ", "post_empty"),
        (None, "post_empty"),
        (12, "post_empty"),
        ("x" * 2001, "post_too_long"),
    ],
)
def test_bad_bodies_are_refused_with_a_code(engine: Engine, body: object, code: str) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        with pytest.raises(DomainError) as err:
            do_create_post(db, d=d, participant=me, question_id=first_question(db, d),
                           parent_id=None, body=body, limits=NO_NAMES)
        assert err.value.code == code


def test_a_post_of_exactly_the_limit_is_accepted(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        body = long_finnish_text(2000)
        out = do_create_post(db, d=d, participant=join(db, d), question_id=first_question(db, d),
                             parent_id=None, body=body, limits=NO_NAMES)
        assert len(body) == 2000
        assert out.status == "published"


def test_closed_and_upcoming_sessions_take_no_posts(engine: Engine) -> None:
    with session(engine) as db:
        for kwargs, code in (({"closed": True}, "session_closed"),
                             ({"open_now": False}, "session_not_open")):
            d = make_session(db, **kwargs)
            with pytest.raises(DomainError) as err:
                do_create_post(db, d=d, participant=join(db, d), question_id=first_question(db, d),
                               parent_id=None, body="Hei", limits=NO_NAMES)
            assert err.value.code == code


def test_question_of_another_session_is_not_found(engine: Engine) -> None:
    with session(engine) as db:
        d1, d2 = make_session(db), make_session(db)
        with pytest.raises(DomainError) as err:
            do_create_post(db, d=d1, participant=join(db, d1), question_id=first_question(db, d2),
                           parent_id=None, body="Hei", limits=NO_NAMES)
        assert err.value.code == "question_not_found"


def test_premoderation_holds_and_only_staff_and_author_hear_of_it(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        me = join(db, d)
        out = do_create_post(db, d=d, participant=me, question_id=first_question(db, d),
                             parent_id=None, body="Lisää iltakäyntejä.", limits=NO_NAMES)
        db.commit()
        assert out.status == "held" and out.reasons == ["premoderation"]
        assert {(e.kind, e.audience) for e in out.events} == {
            ("post_held", "staff"), ("post_pending", f"participant:{me.id}")}
        assert threads_by_question(db, d=d) == {}
        assert threads_by_question(db, d=d, viewer_id=me.id)  # the author sees it


def test_personal_data_is_held_even_in_post_moderation(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="post")
        out = do_create_post(db, d=d, participant=join(db, d), question_id=first_question(db, d),
                             parent_id=None, body="Soittakaa minulle 040 123 4567",
                             limits=NO_NAMES)
        assert out.status == "held"
        assert out.reasons


def test_posting_rate_is_limited_per_participant(engine: Engine) -> None:
    limits = PostingLimits(per_participant_per_minute=3, detect_names=False)
    with session(engine) as db:
        d = make_session(db)
        me, other = join(db, d), join(db, d)
        qid = first_question(db, d)
        for i in range(3):
            do_create_post(db, d=d, participant=me, question_id=qid, parent_id=None,
                           body=f"Idea numero {i}: lisää kotikäyntejä", limits=limits)
        with pytest.raises(DomainError) as err:
            do_create_post(db, d=d, participant=me, question_id=qid, parent_id=None,
                           body="Vielä yksi idea", limits=limits)
        assert err.value.code == "rate_limited"
        # Someone else can still post.
        do_create_post(db, d=d, participant=other, question_id=qid, parent_id=None,
                       body="Minun ideani", limits=limits)


def test_support_toggles_and_cannot_be_given_to_own_post(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        author, fan = join(db, d), join(db, d)
        post = do_create_post(db, d=d, participant=author, question_id=first_question(db, d),
                              parent_id=None, body="Kotihoitoon lisää aikaa", limits=NO_NAMES).post
        first = do_toggle_support(db, d=d, participant=fan, post_id=post.id)
        assert (first.supported, first.support_count) == (True, 1)
        again = do_toggle_support(db, d=d, participant=fan, post_id=post.id)
        assert (again.supported, again.support_count) == (False, 0)
        with pytest.raises(DomainError) as err:
            do_toggle_support(db, d=d, participant=author, post_id=post.id)
        assert err.value.code == "support_own_post"


def test_every_change_gets_the_next_sequence_number(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        a, b = join(db, d), join(db, d)
        qid = first_question(db, d)
        p = do_create_post(db, d=d, participant=a, question_id=qid, parent_id=None,
                           body="Yksi", limits=NO_NAMES).post
        db.commit()
        do_toggle_support(db, d=d, participant=b, post_id=p.id)
        db.commit()
        do_create_post(db, d=d, participant=b, question_id=qid, parent_id=p.id,
                       body="Kaksi", limits=NO_NAMES)
        db.commit()
        events = events_after(db, deliberation_id=d.id, after=0)
        assert [e.seq for e in events] == [1, 2, 3]
        assert [e.kind for e in events] == ["post_published", "post_support", "post_published"]
        assert [e.seq for e in events_after(db, deliberation_id=d.id, after=2)] == [3]
        assert last_seq(db, deliberation_id=d.id) == 3


def test_a_rolled_back_change_leaves_no_event(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        do_create_post(db, d=d, participant=join(db, d), question_id=first_question(db, d),
                       parent_id=None, body="Ei tallennu", limits=NO_NAMES)
        db.rollback()
        assert events_after(db, deliberation_id=d.id, after=0) == []
        assert last_seq(db, deliberation_id=d.id) == 0


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (("A", "B", "C"), ("A", "C"), {"A": "A", "C": "C"}),  # removed: its threads hide
        (("A", "B", "C"), ("C", "A", "B"), {"A": "A", "B": "B", "C": "C"}),  # reordered
        (("A", "B"), ("A", "B, reworded"), {"A": "A", "B, reworded": "B"}),  # reworded
        (("A",), ("A", "D"), {"A": "A", "D": None}),  # added
    ],
)
def test_editing_questions_keeps_threads_with_their_question(
        engine: Engine, before: tuple[str, ...], after: tuple[str, ...],
        expected: dict[str, str | None]) -> None:
    from deliberation.sessions import SessionForm, do_update_deliberation, questions_of

    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        form = SessionForm(d.title, d.slug, "", before, d.opens_at, d.closes_at)
        do_update_deliberation(db, d=d, form=form)
        db.commit()
        for q in questions_of(db, deliberation_id=d.id):
            do_create_post(db, d=d, participant=join(db, d), question_id=q.id, parent_id=None,
                           body=f"Idea kysymykseen {q.text}", limits=PostingLimits(
                               per_participant_per_minute=100, detect_names=False))
        db.commit()
        do_update_deliberation(db, d=d, form=SessionForm(d.title, d.slug, "", after,
                                                         d.opens_at, d.closes_at))
        db.commit()
        shown = questions_of(db, deliberation_id=d.id)
        assert [q.text for q in shown] == list(after)
        threads = threads_by_question(db, d=d)
        for q in shown:
            bodies = [t.post["body_html"] for t in threads.get(q.id or 0, [])]
            old = expected[q.text]
            assert bodies == ([f"Idea kysymykseen {old}"] if old else [])
