"""The expert hearing and who may post in a panel's phases."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.hearing import (
    check_digiraati_post,
    do_add_expert,
    do_answer,
    do_ask,
    do_close_hearing,
    do_mark_answered,
    do_merge,
    do_support_question,
    hearing_questions,
)
from deliberation.digiraati.phases import thread_of_phase
from deliberation.errors import DomainError
from deliberation.models import StaffUser
from deliberation.posts import PostingLimits
from tests.deliberation.digiraati.factories import join, make_expert, make_panel, open_phase
from tests.factories import session

NO_NAMES = PostingLimits(detect_names=False)


def ask(db, d, p, body: str):  # type: ignore[no-untyped-def]
    out = do_ask(db, d=d, participant=p, body=body, limits=NO_NAMES)
    db.commit()
    return out.post.id


def test_most_supported_question_comes_first(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=4)
        d, (a, b, c, e) = panel.d, panel.members
        open_phase(db, d, "hearing")
        first = ask(db, d, a, "Miten kotihoidon henkilöstö riittää?")
        second = ask(db, d, b, "Mitä etähoiva maksaa asiakkaalle?")
        assert [i.question["id"] for i in hearing_questions(db, d=d)] == [first, second]
        out = do_support_question(db, d=d, participant=c, post_id=second)
        do_support_question(db, d=d, participant=e, post_id=second)
        db.commit()
        assert out.supported and out.events[0].kind == "post_support"
        assert [i.question["id"] for i in hearing_questions(db, d=d)] == [second, first]
        # One support per panellist: a second click takes it back.
        again = do_support_question(db, d=d, participant=c, post_id=second)
        assert not again.supported and again.support_count == 1


def test_only_panellists_ask_and_support_and_only_in_the_hearing(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        with pytest.raises(DomainError) as err:
            do_ask(db, d=d, participant=a, body="Liian aikaisin?", limits=NO_NAMES)
        assert err.value.code == "phase_not_open"
        open_phase(db, d, "hearing")
        outsider = join(db, d)
        with pytest.raises(DomainError) as err:
            do_ask(db, d=d, participant=outsider, body="Saanko kysyä?", limits=NO_NAMES)
        assert err.value.code == "not_panellist"
        qid = ask(db, d, a, "Kuka päättää palveluista?")
        with pytest.raises(DomainError) as err:
            do_support_question(db, d=d, participant=outsider, post_id=qid)
        assert err.value.code == "not_panellist"
        do_close_hearing(db, d=d)
        db.commit()
        for call in (lambda: do_support_question(db, d=d, participant=b, post_id=qid),
                     lambda: do_ask(db, d=d, participant=b, body="Myöhässä", limits=NO_NAMES)):
            with pytest.raises(DomainError) as err:
                call()
            assert err.value.code == "phase_not_open"


def test_questions_are_screened_like_posts(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        open_phase(db, d, "hearing")
        out = do_ask(db, d=d, participant=a, body="Soittakaa minulle 040 123 4567",
                     limits=NO_NAMES)
        db.commit()
        assert out.status == "held" and out.reasons
        assert {e.kind for e in out.events} == {"post_held", "post_pending"}
        assert hearing_questions(db, d=d) == []
        assert [i.question["own"] for i in hearing_questions(db, d=d, viewer_id=a.id)] == [True]
        with pytest.raises(DomainError) as err:
            do_support_question(db, d=d, participant=b, post_id=out.post.id)
        assert err.value.code == "post_not_found"


def test_experts_answer_only_in_the_hearing_of_their_digiraati(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        expert = make_expert(db, d)
        open_phase(db, d, "hearing")
        qid = ask(db, d, a, "Miten tekoäly auttaa kotihoidossa?")
        event = do_answer(db, d=d, staff_user_id=expert.id, post_id=qid,
                          body="Toiminnanohjauksessa, ei hoitamisessa.")
        db.commit()
        assert event.kind == "hearing_answer"
        assert event.data["answer"]["expert"] == "Dr. Asiantuntija"
        item = hearing_questions(db, d=d)[0]
        assert item.answers[0]["body_html"] == "Toiminnanohjauksessa, ei hoitamisessa."
        other = make_panel(db, members=0).d
        stranger = make_expert(db, other, name="Toinen Asiantuntija")
        with pytest.raises(DomainError) as err:
            do_answer(db, d=d, staff_user_id=stranger.id, post_id=qid, body="Hei")
        assert err.value.code == "not_expert"
        with pytest.raises(DomainError) as err:
            do_answer(db, d=d, staff_user_id=expert.id, post_id=qid, body="   ")
        assert err.value.code == "answer_empty"
        open_phase(db, d, "deliberation")
        with pytest.raises(DomainError) as err:
            do_answer(db, d=d, staff_user_id=expert.id, post_id=qid, body="Myöhään")
        assert err.value.code == "phase_not_open"


def test_only_expert_accounts_become_experts(engine: Engine) -> None:
    with session(engine) as db:
        d = make_panel(db, members=0).d
        user = StaffUser(username="fasilitaattori-x", password_hash="x", role="facilitator")
        db.add(user)
        db.flush()
        with pytest.raises(DomainError) as err:
            do_add_expert(db, d=d, user=user, display_name="Fasilitaattori")
        assert err.value.code == "expert_role_required"


def test_merging_duplicates_moves_supports_once(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=4)
        d, (a, b, c, e) = panel.d, panel.members
        open_phase(db, d, "hearing")
        keep = ask(db, d, a, "Riittävätkö hoitajat?")
        dup = ask(db, d, b, "Onko hoitajia tarpeeksi?")
        do_support_question(db, d=d, participant=c, post_id=keep)
        do_support_question(db, d=d, participant=c, post_id=dup)
        do_support_question(db, d=d, participant=e, post_id=dup)
        event = do_merge(db, d=d, duplicate_id=dup, into_id=keep)
        db.commit()
        # c supported both (counted once), e moves over; b, the duplicate's author, too.
        assert event.data == {"post_id": dup, "into": keep, "support_count": 2}
        assert [i.question["id"] for i in hearing_questions(db, d=d)] == [keep]
        with pytest.raises(DomainError) as err:
            do_support_question(db, d=d, participant=a, post_id=dup)
        assert err.value.code == "question_merged"
        with pytest.raises(DomainError) as err:
            do_merge(db, d=d, duplicate_id=keep, into_id=keep)
        assert err.value.code == "merge_same_question"
        marked = do_mark_answered(db, d=d, post_id=keep)
        db.commit()
        assert marked.data == {"post_id": keep, "answered": True}
        assert hearing_questions(db, d=d)[0].answered


def test_only_panellists_post_and_only_in_their_threads_phase(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        intro = thread_of_phase(db, d, "orientation")
        hearing = thread_of_phase(db, d, "hearing")
        with pytest.raises(DomainError) as err:
            check_digiraati_post(db, d=d, participant=a, question_id=intro)
        assert err.value.code == "phase_not_open"
        open_phase(db, d, "orientation")
        check_digiraati_post(db, d=d, participant=a, question_id=intro)
        with pytest.raises(DomainError) as err:
            check_digiraati_post(db, d=d, participant=join(db, d), question_id=intro)
        assert err.value.code == "not_panellist"
        with pytest.raises(DomainError) as err:
            check_digiraati_post(db, d=d, participant=a, question_id=hearing)
        assert err.value.code == "hearing_use_questions"
        with pytest.raises(DomainError) as err:
            check_digiraati_post(db, d=d, participant=a, question_id=10**12)
        assert err.value.code == "question_not_found"


def test_a_held_question_joins_the_hearing_when_a_moderator_approves_it(engine: Engine) -> None:
    from deliberation.posts import do_publish_post

    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        open_phase(db, d, "hearing")
        held = do_ask(db, d=d, participant=a, body="Soittakaa minulle 040 123 4567",
                      limits=NO_NAMES).post
        db.commit()
        assert hearing_questions(db, d=d) == []
        # The moderation queue's approval is the posts' own: the question is public now.
        event = do_publish_post(db, post=held, author=a.pseudonym)
        db.commit()
        assert event.kind == "post_published"
        assert [i.question["id"] for i in hearing_questions(db, d=d)] == [held.id]
        assert do_support_question(db, d=d, participant=b, post_id=held.id).supported
