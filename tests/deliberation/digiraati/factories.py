"""Builders for digiraati tests: a digiraati, its pool, its panel, its people."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from deliberation.digiraati.hearing import do_add_expert
from deliberation.digiraati.invitations import do_invite_panel, do_redeem_invitation
from deliberation.digiraati.lottery import solve
from deliberation.digiraati.panels import do_draw_panel, do_load_volunteers
from deliberation.digiraati.phases import DigiraatiForm, do_create_digiraati, do_open_phase
from deliberation.models import Deliberation, Participant, StaffUser, utcnow
from deliberation.participants import do_join

# 12 volunteers: 6 women and 6 men, 4 in each age group, in two municipalities.
VOLUNTEERS_CSV = "nimi,sähköposti,ikäryhmä,sukupuoli,kunta\n" + "\n".join(
    f"Henkilö {i},h{i}@example.fi,{('18-39', '40-64', '65+')[i % 3]},"
    f"{('nainen', 'mies')[i % 2]},{('Keskus', 'Reuna')[i // 6]}"
    for i in range(12))
QUOTAS = ("ikäryhmä,18-39,2,2\nikäryhmä,40-64,2,2\nikäryhmä,65+,2,2\n"
          "sukupuoli,nainen,50%\nsukupuoli,mies,50%\n"
          "kunta,Keskus,2,4\nkunta,Reuna,2,4")


def make_digiraati(db: Session, *, panel_size: int = 6, public_read: bool = False,
                   mode: str = "post") -> Deliberation:
    now = utcnow()
    d = do_create_digiraati(db, form=DigiraatiForm(
        title="Digiraati: kotihoidon tulevaisuus", slug=f"raati-{secrets.token_hex(4)}",
        introduction="Tervetuloa raatiin.",
        background="# Taustaa\n\nKotihoito muuttuu.\n\n- yksi\n- kaksi\n\n[Lue lisää](https://example.fi)",
        questions=("Mitä kotihoidossa pitää muuttaa?", "Miten omaiset otetaan mukaan?"),
        panel_size=panel_size, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30), public_read=public_read, moderation_mode=mode))
    db.commit()
    return d


def join(db: Session, d: Deliberation) -> Participant:
    assert d.id is not None
    return do_join(db, deliberation_id=d.id, token=secrets.token_urlsafe(16))


@dataclass
class Panel:
    d: Deliberation
    tokens: list[str] = field(default_factory=list)
    members: list[Participant] = field(default_factory=list)


def make_panel(db: Session, *, seed: int = 7, members: int = 6, **kw: object) -> Panel:
    """A digiraati with a drawn panel; ``members`` of the invitations redeemed."""
    d = make_digiraati(db, **kw)  # type: ignore[arg-type]
    do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
    do_draw_panel(db, d=d, seed=seed, solve=solve)
    issued, _ = do_invite_panel(db, d=d)
    db.commit()
    panel = Panel(d, [i.token for i in issued])
    for token in panel.tokens[:members]:
        p = join(db, d)
        do_redeem_invitation(db, d=d, participant=p, token=token)
        panel.members.append(p)
    db.commit()
    return panel


def open_phase(db: Session, d: Deliberation, name: str) -> None:
    do_open_phase(db, d=d, name=name)
    db.commit()


def make_expert(db: Session, d: Deliberation, name: str = "Dr. Asiantuntija") -> StaffUser:
    user = StaffUser(username=f"expert-{secrets.token_hex(3)}", password_hash="x", role="expert")
    db.add(user)
    db.flush()
    do_add_expert(db, d=d, user=user, display_name=name)
    db.commit()
    return user
