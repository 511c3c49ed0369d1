"""Moderators' decisions on held digiraati amendments and comments."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.amendments import amendments_of, do_comment, do_propose
from deliberation.digiraati.statements import do_add_section
from deliberation.errors import DomainError
from moderation.audit import Actor, list_actions
from moderation.statement import do_decide_statement_text, statement_queue
from tests.deliberation.digiraati.factories import make_panel, open_phase
from tests.factories import session

MOD = Actor(None, "moderaattori")


def _held(db, members: int = 2):  # type: ignore[no-untyped-def]
    panel = make_panel(db, members=members)
    d, (a, b) = panel.d, panel.members
    section, _ = do_add_section(db, d=d, title="Henkilöstö", text="Alku.", author="F")
    open_phase(db, d, "drafting")
    amendment, _ = do_propose(db, d=d, participant=a, section_id=section.id,
                              text="Soittakaa 040 123 4567", reason="Nopeampaa.", names=False)
    db.commit()
    return d, a, b, section, amendment


def test_held_amendment_is_in_the_queue_with_its_marked_reason(engine: Engine) -> None:
    with session(engine) as db:
        d, a, _, _, amendment = _held(db)
        [item] = statement_queue(db, deliberation_id=d.id)
        assert item.kind == "amendment" and item.id == amendment.id
        assert item.pseudonym == a.pseudonym and item.section_title == "Henkilöstö"
        assert "phone" in item.reasons and item.suggested_reason == "personal_data"
        assert [s.text for s in item.segments if s.reasons] == ["040 123 4567"]


def test_approve_shows_it_to_the_panel(engine: Engine) -> None:
    with session(engine) as db:
        d, _a, b, section, amendment = _held(db)
        events = do_decide_statement_text(db, kind="amendment", item_id=amendment.id,
                                          action="approve", actor=MOD)
        db.commit()
        assert [e.kind for e in events] == ["amendment_proposed", "moderation_decided"]
        assert events[0].audience == "public"
        assert amendments_of(db, d, section.id, viewer_id=b.id)[0]["id"] == amendment.id
        assert statement_queue(db, deliberation_id=d.id) == []
        assert list_actions(db, deliberation_id=d.id, limit=5)[0].action.action == "approve"
        with pytest.raises(DomainError) as err:
            do_decide_statement_text(db, kind="amendment", item_id=amendment.id,
                                     action="approve", actor=MOD)
        assert err.value.code == "already_decided"


def test_redact_cuts_the_phone_number_and_publishes(engine: Engine) -> None:
    with session(engine) as db:
        d, _, b, section, amendment = _held(db)
        do_decide_statement_text(db, kind="amendment", item_id=amendment.id, action="redact",
                                 actor=MOD)
        db.commit()
        [seen] = amendments_of(db, d, section.id, viewer_id=b.id)
        assert "040" not in seen["text"] and seen["text"].startswith("Soittakaa ")


def test_reject_tells_the_author_and_the_panel_never_sees_it(engine: Engine) -> None:
    with session(engine) as db:
        d, a, b, section, amendment = _held(db)
        with pytest.raises(DomainError) as err:
            do_decide_statement_text(db, kind="amendment", item_id=amendment.id,
                                     action="reject", actor=MOD, reason="nonsense")
        assert err.value.code == "decision_reason_invalid"
        events = do_decide_statement_text(db, kind="amendment", item_id=amendment.id,
                                          action="reject", actor=MOD, reason="personal_data")
        db.commit()
        assert events[0].kind == "amendment_rejected" and events[0].audience != "public"
        assert amendments_of(db, d, section.id, viewer_id=b.id) == []
        mine = amendments_of(db, d, section.id, viewer_id=a.id)[0]
        assert mine["moderation"] == "rejected" and mine["rejection_reason"] == "personal_data"


def test_held_comment_is_published_by_a_moderator(engine: Engine) -> None:
    with session(engine) as db:
        d, a, b, section, amendment = _held(db)
        do_decide_statement_text(db, kind="amendment", item_id=amendment.id,
                                 action="approve", actor=MOD)
        do_comment(db, d=d, participant=b, amendment_id=amendment.id,
                   body="Kirjoita minulle matti@example.com", names=False)
        db.commit()
        [item] = statement_queue(db, deliberation_id=d.id)
        assert item.kind == "comment"
        assert amendments_of(db, d, section.id, viewer_id=a.id)[0]["comments"] == []
        events = do_decide_statement_text(db, kind="comment", item_id=item.id,
                                          action="approve", actor=MOD)
        db.commit()
        assert events[0].kind == "amendment_comment"
        assert len(amendments_of(db, d, section.id, viewer_id=a.id)[0]["comments"]) == 1
