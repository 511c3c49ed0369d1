"""The moderators' queue and decisions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.errors import DomainError
from deliberation.posts import PostingLimits, do_create_post, threads_by_question
from moderation.audit import Actor
from moderation.decisions import (
    do_approve,
    do_bulk_approve,
    do_hide,
    do_redact,
    do_reject,
    do_restore,
)
from moderation.flags import do_flag_post
from moderation.queue import Segment, queue_items, queue_length, segments
from moderation.resubmission import do_resubmit_post, own_waiting_posts
from moderation.sanctions import do_sanction
from moderation.screening.findings import Finding
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)
MOD = Actor(None, "moderaattori")
PHONE_TEXT = "Soittakaa minulle numeroon 040 123 4567, kerron lisää."


def _post(db, d, who, body, parent_id=None):  # type: ignore[no-untyped-def]
    return do_create_post(db, d=d, participant=who, question_id=first_question(db, d),
                          parent_id=parent_id, body=body, limits=NO_NAMES)


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("abc", [], [Segment("abc")]),
    ("soita 040 123", [("phone", 6, 13)], [Segment("soita "), Segment("040 123", ("phone",))]),
    ("a b c", [("phone", 0, 3), ("email", 2, 5)],
     [Segment("a ", ("phone",)), Segment("b", ("email", "phone")), Segment(" c", ("email",))]),
])
def test_segments_cut_the_text_at_findings_and_join_back(
        text: str, spans: list[tuple[str, int, int]], expected: list[Segment]) -> None:
    findings = [Finding.of(r, s, e) for r, s, e in spans]
    got = segments(text, findings)
    assert got == expected
    assert "".join(s.text for s in got) == text


def test_held_post_waits_with_its_finding_marked_and_approval_publishes(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        held = _post(db, d, me, PHONE_TEXT).post
        db.commit()
        items = queue_items(db, deliberation_id=d.id)
        assert [i.post.id for i in items] == [held.id]
        item = items[0]
        assert item.state == "held" and item.reasons == ("phone",)
        marked = [s.text for s in item.segments if s.reasons]
        assert marked == ["040 123 4567"]
        assert queue_length(db, deliberation_id=d.id) == 1

        decision = do_approve(db, post_id=held.id, actor=MOD)
        db.commit()
        assert decision.post.status == "published"
        assert [e.kind for e in decision.events] == ["post_published", "moderation_decided"]
        assert queue_items(db, deliberation_id=d.id) == []
        with pytest.raises(DomainError) as err:
            do_approve(db, post_id=held.id, actor=MOD)
        assert err.value.code == "already_decided"


def test_queue_is_oldest_first_and_bulk_approve_skips_decided(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        a, b = join(db, d), join(db, d)
        first = _post(db, d, a, "Ensimmäinen ajatus kotihoidosta.").post
        second = _post(db, d, b, "Toinen ajatus kotihoidosta.").post
        db.commit()
        items = queue_items(db, deliberation_id=d.id)
        assert [i.post.id for i in items] == [first.id, second.id]
        assert items[0].reasons == ("premoderation",)
        do_reject(db, post_id=first.id, actor=MOD, reason="off_topic")
        done = do_bulk_approve(db, post_ids=[first.id, second.id, 999999], actor=MOD)
        db.commit()
        assert [x.post.id for x in done] == [second.id]
        assert queue_length(db, deliberation_id=d.id) == 0


def test_rejection_tells_only_the_author_why_and_they_can_resubmit(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        post = _post(db, d, me, PHONE_TEXT).post
        decision = do_reject(db, post_id=post.id, actor=MOD, reason="personal_data",
                             note="Poista puhelinnumero.")
        db.commit()
        rejected = next(e for e in decision.events if e.kind == "post_rejected")
        assert rejected.audience == f"participant:{me.id}"
        assert rejected.data["note"] == "Poista puhelinnumero."
        own = own_waiting_posts(db, d=d, participant=me)
        assert [(o.post.id, o.rejected_reason, o.rejected_note) for o in own] == [
            (post.id, "personal_data", "Poista puhelinnumero.")]

        again = do_resubmit_post(db, d=d, participant=me, post_id=post.id,
                                 body="Soittakaa minulle, kerron lisää.", limits=NO_NAMES)
        db.commit()
        assert again.status == "published" and again.post.id == post.id
        assert own_waiting_posts(db, d=d, participant=me) == []


def test_resubmitting_personal_data_is_held_again(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me, other = join(db, d), join(db, d)
        post = _post(db, d, me, PHONE_TEXT).post
        db.commit()
        out = do_resubmit_post(db, d=d, participant=me, post_id=post.id,
                               body="Sähköposti: matti@example.fi", limits=NO_NAMES)
        assert out.status == "held" and out.reasons == ["email"]
        with pytest.raises(DomainError) as err:
            do_resubmit_post(db, d=d, participant=other, post_id=post.id, body="x",
                             limits=NO_NAMES)
        assert err.value.code == "post_not_found"


def test_redact_cuts_the_marked_span_and_publishes(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        post = _post(db, d, me, PHONE_TEXT).post
        decision = do_redact(db, post_id=post.id, actor=MOD)
        db.commit()
        assert decision.post.status == "published"
        assert "040" not in decision.post.body and "[poistettu]" in decision.post.body
        shown = threads_by_question(db, d=d)[first_question(db, d)][0].post["body_html"]
        assert "040" not in shown


def test_nothing_to_redact_in_a_clean_post(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        post = _post(db, d, join(db, d), "Ihan tavallinen ajatus.").post
        with pytest.raises(DomainError) as err:
            do_redact(db, post_id=post.id, actor=MOD)
        assert err.value.code == "nothing_to_redact"


def test_hide_and_restore_a_published_post(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        post = _post(db, d, join(db, d), "Julkaistu ajatus.").post
        hidden = do_hide(db, post_id=post.id, actor=MOD, reason="offensive")
        assert hidden.post.status == "hidden"
        assert hidden.events[0].kind == "post_hidden" and hidden.events[0].audience == "public"
        with pytest.raises(DomainError):
            do_hide(db, post_id=post.id, actor=MOD, reason="offensive")
        restored = do_restore(db, post_id=post.id, actor=MOD)
        db.commit()
        assert restored.post.status == "published"
        with pytest.raises(DomainError) as err:
            do_hide(db, post_id=post.id, actor=MOD, reason="nonsense")
        assert err.value.code == "decision_reason_invalid"


def test_flagged_post_is_in_the_queue_and_approval_dismisses_the_flags(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        author, reporter = join(db, d), join(db, d)
        post = _post(db, d, author, "Julkaistu ajatus.").post
        do_flag_post(db, d=d, participant=reporter, post_id=post.id, reason="spam")
        db.commit()
        items = queue_items(db, deliberation_id=d.id)
        assert [(i.post.id, i.state, i.flag_reasons) for i in items] == [
            (post.id, "flagged", {"spam": 1})]
        decision = do_approve(db, post_id=post.id, actor=MOD)
        db.commit()
        assert decision.post.status == "published"
        assert queue_length(db, deliberation_id=d.id) == 0


def test_muted_participant_is_held_and_banned_cannot_post(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        do_sanction(db, participant_id=me.id, action="mute", actor=MOD)
        db.commit()
        db.refresh(me)
        assert _post(db, d, me, "Tavallinen ajatus.").status == "held"
        do_sanction(db, participant_id=me.id, action="ban", actor=MOD)
        db.commit()
        db.refresh(me)
        with pytest.raises(DomainError) as err:
            _post(db, d, me, "Toinen ajatus.")
        assert err.value.code == "participant_banned"


def test_a_post_held_as_sent_twice_shows_that_reason_to_moderator_and_author(
        engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        text = "Kotihoidon käynteihin tarvitaan enemmän aikaa."
        assert _post(db, d, me, text).status == "published"
        again = _post(db, d, me, text)
        db.commit()
        assert again.status == "held" and again.reasons == ["duplicate"]
        # The stored verdict explains it: nothing screens again without the author's
        # earlier posts (which would find nothing and give no reason at all).
        [item] = queue_items(db, deliberation_id=d.id)
        assert item.post.id == again.post.id and item.reasons == ("duplicate",)
        [own] = own_waiting_posts(db, d=d, participant=me)
        assert own.reasons == ("duplicate",)


def test_redaction_cuts_the_stored_findings_and_forgets_them(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        held = _post(db, d, join(db, d), PHONE_TEXT).post
        db.commit()
        do_redact(db, post_id=held.id, actor=MOD)
        db.commit()
        assert "040 123 4567" not in held.body
        with pytest.raises(DomainError) as err:
            do_redact(db, post_id=held.id, actor=MOD)
        assert err.value.code == "nothing_to_redact"


def test_a_partial_cut_that_leaves_personal_data_publishes_nothing(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        held = _post(db, d, join(db, d),
                     "Soita 040 123 4567 tai mailaa matti.meikalainen@example.fi").post
        db.commit()
        with pytest.raises(DomainError) as err:
            do_redact(db, post_id=held.id, actor=MOD, reasons=["phone"])
        assert err.value.code == "redaction_incomplete"
        db.rollback()
        db.refresh(held)
        assert held.status == "held"
        assert not threads_by_question(db, d=d)


def test_a_resubmission_completing_an_earlier_post_is_held(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        me = join(db, d)
        _post(db, d, me, "Minun hetuni alku on 131052-")
        second = _post(db, d, me, "Ihan tavallinen ajatus.").post
        db.commit()
        do_reject(db, post_id=second.id, actor=MOD, reason="other")
        db.commit()
        out = do_resubmit_post(db, d=d, participant=me, post_id=second.id,
                               body="308T ja loput kerron myöhemmin", limits=NO_NAMES)
        assert out.status == "held"
        assert "personal_id" in out.reasons, out.reasons
