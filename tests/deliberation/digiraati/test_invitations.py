"""Invitations: one invitation, one panellist; kind refusals; display names."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.invitations import (
    do_choose_name,
    do_invite_by_hand,
    do_invite_panel,
    do_redeem_invitation,
    do_revoke_invitation,
    invitations_of,
    mail_merge_csv,
    panel_members,
)
from deliberation.digiraati.lottery import solve
from deliberation.digiraati.panels import do_draw_panel, do_load_volunteers
from deliberation.errors import DomainError
from deliberation.models import utcnow
from tests.deliberation.digiraati.factories import (
    QUOTAS,
    VOLUNTEERS_CSV,
    join,
    make_digiraati,
    make_panel,
)
from tests.factories import session


def test_panel_invitations_make_a_mail_merge_csv_and_store_only_hashes(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        do_draw_panel(db, d=d, seed=11, solve=solve)
        issued, event = do_invite_panel(db, d=d)
        db.commit()
        assert len(issued) == 6 and event.data == {"count": 6} and event.audience == "staff"
        rows = list(csv.DictReader(io.StringIO(mail_merge_csv(issued, link_prefix="https://r/k/"))))
        assert {r["link"] for r in rows} == {f"https://r/k/{i.token}" for i in issued}
        assert all(r["sähköposti"].endswith("@example.fi") for r in rows)
        stored = {i.token_hash for i in invitations_of(db, d)}
        assert not stored & {i.token for i in issued}
        again, _ = do_invite_panel(db, d=d)
        assert again == []  # everyone drawn already has a working invitation


def test_one_invitation_makes_one_panellist(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, me = panel.d, panel.members[0]
        # The same browser may come back by its link.
        member, events = do_redeem_invitation(db, d=d, participant=me, token=panel.tokens[0])
        assert events == [] and member.participant_id == me.id
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=d, participant=join(db, d), token=panel.tokens[0])
        assert err.value.code == "invitation_used"
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=d, participant=me, token=panel.tokens[1])
        assert err.value.code == "already_panellist"
        assert len(panel_members(db, d)) == 1


def test_forged_revoked_and_expired_links_are_refused_kindly(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=0)
        d = panel.d
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=d, participant=join(db, d), token="forged-token")
        assert err.value.code == "invitation_unknown"
        revoked = next(i for i in invitations_of(db, d))
        do_revoke_invitation(db, d=d, invitation_id=revoked.id)
        db.commit()
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=d, participant=join(db, d), token=panel.tokens[0])
        assert err.value.code == "invitation_revoked"
        issued, _ = do_invite_by_hand(db, d=d, label="Maija (puhelimitse)",
                                      expires_at=utcnow() - timedelta(minutes=1))
        db.commit()
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=d, participant=join(db, d), token=issued.token)
        assert err.value.code == "invitation_expired"


def test_link_of_another_digiraati_is_unknown(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=0)
        other = make_digiraati(db)
        with pytest.raises(DomainError) as err:
            do_redeem_invitation(db, d=other, participant=join(db, other), token=panel.tokens[0])
        assert err.value.code == "invitation_unknown"


def test_panellist_picks_a_display_name_or_keeps_the_pseudonym(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=2)
        d, (a, b) = panel.d, panel.members
        kept = b.pseudonym
        event = do_choose_name(db, d=d, participant=a, name="  Aino   K. ")
        db.commit()
        assert a.pseudonym == "Aino K." and event.data["name"] == "Aino K."
        assert b.pseudonym == kept
        for name, code in (("Aino K.", "display_name_taken"), ("x", "display_name_invalid"),
                           ("y" * 41, "display_name_invalid")):
            with pytest.raises(DomainError) as err:
                do_choose_name(db, d=d, participant=b, name=name)
            assert err.value.code == code
        with pytest.raises(DomainError) as err:
            do_choose_name(db, d=d, participant=join(db, d), name="Ulkopuolinen")
        assert err.value.code == "not_panellist"
