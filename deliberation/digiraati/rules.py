"""Who is who in a digiraati: the panel, its experts, and who may read.

Staff roles come from deliberation/permissions.py; these rules add what only a
digiraati knows (membership by invitation, experts named for it)."""

from __future__ import annotations

from sqlmodel import Session, select

from deliberation.digiraati.models import Digiraati, Expert, PanelMember
from deliberation.errors import Forbidden, NotFound
from deliberation.models import Deliberation, Participant
from deliberation.permissions import can_manage_sessions


def digiraati_of(db: Session, d: Deliberation) -> Digiraati:
    row = db.exec(select(Digiraati).where(Digiraati.deliberation_id == d.id)).first()
    if d.kind != "digiraati" or row is None:
        raise NotFound("digiraati_not_found")
    return row


def membership(db: Session, d: Deliberation, participant: Participant | None) -> PanelMember | None:
    if participant is None or participant.id is None:
        return None
    return db.exec(select(PanelMember).where(
        PanelMember.deliberation_id == d.id,
        PanelMember.participant_id == participant.id)).first()


def require_panellist(db: Session, d: Deliberation, participant: Participant | None) -> PanelMember:
    """Only panellists act in a panel's phases (and never a banned one)."""
    member = membership(db, d, participant)
    if member is None or participant is None:
        raise Forbidden("not_panellist")
    if participant.banned:
        raise Forbidden("participant_banned")
    return member


def expert_of(db: Session, d: Deliberation, staff_user_id: int | None) -> Expert | None:
    if staff_user_id is None:
        return None
    return db.exec(select(Expert).where(Expert.deliberation_id == d.id,
                                        Expert.staff_user_id == staff_user_id)).first()


def require_expert(db: Session, d: Deliberation, staff_user_id: int | None) -> Expert:
    expert = expert_of(db, d, staff_user_id)
    if expert is None:
        raise Forbidden("not_expert")
    return expert


def may_read(db: Session, d: Deliberation, *, participant: Participant | None,
             staff_role: str | None, staff_user_id: int | None = None,
             statement: bool = False) -> bool:
    """The panel, its experts and staff read always; the public when the
    facilitator lets it read along, and the statement once it is published."""
    if statement and digiraati_of(db, d).published_at is not None:
        return True
    if can_manage_sessions(staff_role) or staff_role == "moderator":
        return True
    if expert_of(db, d, staff_user_id) is not None:
        return True
    if membership(db, d, participant) is not None:
        return True
    return digiraati_of(db, d).public_read


def check_may_read(db: Session, d: Deliberation, *, participant: Participant | None,
                   staff_role: str | None, staff_user_id: int | None = None,
                   statement: bool = False) -> None:
    if not may_read(db, d, participant=participant, staff_role=staff_role,
                    staff_user_id=staff_user_id, statement=statement):
        raise Forbidden("digiraati_private")
