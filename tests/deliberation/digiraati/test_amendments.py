"""Amendments: propose, comment, support, accept into a version or decline."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.amendments import (
    amendments_of,
    do_comment,
    do_decide,
    do_propose,
    do_toggle_amendment_support,
    stored_verdict,
)
from deliberation.digiraati.statements import Writer, current_text, do_add_section, versions_of
from deliberation.errors import DomainError
from tests.deliberation.digiraati.factories import join, make_panel, open_phase
from tests.factories import session

STAFF = Writer("Fasilitaattori", staff=True)


def test_accepted_amendment_becomes_the_next_version(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=3)
        d, (a, b, c) = panel.d, panel.members
        section, _ = do_add_section(db, d=d, title="Henkilöstö", text="Lisää hoitajia.",
                                    author="F")
        open_phase(db, d, "drafting")
        amendment, event = do_propose(db, d=d, participant=a, section_id=section.id,
                                      text="Lisää hoitajia ja aikaa.", reason="Aika ratkaisee.",
                                      names=False)
        assert event.kind == "amendment_proposed"
        do_comment(db, d=d, participant=b, amendment_id=amendment.id, body="Hyvä lisäys.",
                   names=False)
        supported, ev = do_toggle_amendment_support(db, d=d, participant=c,
                                                    amendment_id=amendment.id)
        assert supported and ev.data["support_count"] == 1
        with pytest.raises(DomainError) as err:
            do_toggle_amendment_support(db, d=d, participant=a, amendment_id=amendment.id)
        assert err.value.code == "support_own_post"
        events = do_decide(db, d=d, writer=STAFF, amendment_id=amendment.id, accept=True,
                           reason="")
        db.commit()
        assert [e.kind for e in events] == ["section_saved", "amendment_decided"]
        assert current_text(db, section) == "Lisää hoitajia ja aikaa."
        assert versions_of(db, section)[-1].amendment_id == amendment.id
        view = amendments_of(db, d, section.id)[0]
        assert view["status"] == "accepted" and view["comments"][0]["author"] == b.pseudonym
        with pytest.raises(DomainError) as err:
            do_decide(db, d=d, writer=STAFF, amendment_id=amendment.id, accept=False,
                      reason="Myöhässä")
        assert err.value.code == "amendment_decided"


def test_decline_needs_a_reason_and_keeps_the_text(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        section, _ = do_add_section(db, d=d, title="Osio", text="Alku.", author="F")
        open_phase(db, d, "drafting")
        amendment, _ = do_propose(db, d=d, participant=a, section_id=section.id, text="Muu.",
                                  reason="Selkeämpi.", names=False)
        with pytest.raises(DomainError) as err:
            do_decide(db, d=d, writer=STAFF, amendment_id=amendment.id, accept=False,
                      reason=" ")
        assert err.value.code == "reason_required"
        do_decide(db, d=d, writer=STAFF, amendment_id=amendment.id, accept=False,
                  reason="Poikkeaa aiheesta.")
        db.commit()
        assert current_text(db, section) == "Alku."
        assert amendments_of(db, d, section.id)[0]["decision_reason"] == "Poikkeaa aiheesta."


def test_amendments_only_from_panellists_while_drafting_and_screened(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        section, _ = do_add_section(db, d=d, title="Osio", text="Alku.", author="F")
        with pytest.raises(DomainError) as err:
            do_propose(db, d=d, participant=a, section_id=section.id, text="X", reason="Y")
        assert err.value.code == "phase_not_open"
        open_phase(db, d, "drafting")
        with pytest.raises(DomainError) as err:
            do_propose(db, d=d, participant=join(db, d), section_id=section.id, text="X",
                       reason="Y")
        assert err.value.code == "not_panellist"


def test_held_amendment_waits_for_a_moderator_seen_only_by_its_author(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        section, _ = do_add_section(db, d=d, title="Osio", text="Alku.", author="F")
        open_phase(db, d, "drafting")
        amendment, event = do_propose(db, d=d, participant=a, section_id=section.id,
                                      text="Soittakaa 040 123 4567", reason="Nopeampaa.",
                                      names=False)
        db.commit()
        assert amendment.moderation == "held" and amendment.verdict == "hold"
        assert event.kind == "amendment_pending" and event.audience != "public"
        # The verdict is stored: reasons and where the phone number is.
        v = stored_verdict(amendment)
        assert "phone" in v.reasons
        assert [amendment.text[f.start:f.end] for f in v.findings] == ["040 123 4567"]
        mine = amendments_of(db, d, section.id, viewer_id=a.id)
        assert mine[0]["moderation"] == "held" and "phone" in mine[0]["hold_reasons"]
        assert amendments_of(db, d, section.id, viewer_id=b.id) == []
        with pytest.raises(DomainError) as err:  # the panel cannot act on it yet
            do_toggle_amendment_support(db, d=d, participant=b, amendment_id=amendment.id)
        assert err.value.code == "amendment_not_found"


def test_held_comment_waits_and_only_its_author_sees_it(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        section, _ = do_add_section(db, d=d, title="Osio", text="Alku.", author="F")
        open_phase(db, d, "drafting")
        amendment, _ = do_propose(db, d=d, participant=a, section_id=section.id, text="Muu.",
                                  reason="Selkeämpi.", names=False)
        event = do_comment(db, d=d, participant=b, amendment_id=amendment.id,
                           body="Sähköposti minulle: matti@example.com", names=False)
        db.commit()
        assert event.kind == "amendment_comment_pending"
        assert amendments_of(db, d, section.id, viewer_id=a.id)[0]["comments"] == []
        theirs = amendments_of(db, d, section.id, viewer_id=b.id)[0]["comments"]
        assert theirs[0]["moderation"] == "held" and theirs[0]["hold_reasons"]
