"""Invitations: single-use links that make a participant a panellist, and
the panellist's choice of a display name.

A token is shown once, when it is made (in the mail-merge CSV); only its hash
is stored. One invitation makes one panellist; the same browser may come back
by it, anybody else gets a kind "already used" answer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Invitation, PanelMember, Volunteer
from deliberation.digiraati.panels import ON_PANEL, volunteers_of
from deliberation.digiraati.rules import digiraati_of, membership
from deliberation.digiraati.texts import check_display_name
from deliberation.errors import DomainError, NotFound, is_id
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Deliberation, Participant, utcnow

MAX_LABEL_CHARS = 120


def hash_invitation(token: str) -> str:
    return hashlib.sha256(b"digiraati-invitation:" + token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once
    contact: dict[str, str]  # the volunteer's contact columns, for the mail merge


def _issue(db: Session, d: Deliberation, *, volunteer: Volunteer | None, label: str,
           expires_at: datetime | None) -> IssuedInvitation:
    assert d.id is not None
    token = secrets.token_urlsafe(24)
    inv = Invitation(deliberation_id=d.id, token_hash=hash_invitation(token),
                     volunteer_id=volunteer.id if volunteer else None, label=label,
                     expires_at=expires_at)
    db.add(inv)
    contact = json.loads(volunteer.contact or "{}") if volunteer else {}
    return IssuedInvitation(inv, token, contact)


def do_invite_panel(db: Session, *, d: Deliberation, expires_at: datetime | None = None
                    ) -> tuple[list[IssuedInvitation], EventOut]:
    """An invitation for each panellist drawn who has none that still works."""
    raati = digiraati_of(db, d)
    if raati.drawn_at is None:
        raise DomainError("panel_not_drawn")
    working = set(db.exec(select(Invitation.volunteer_id).where(
        Invitation.deliberation_id == d.id, col(Invitation.revoked_at).is_(None))).all())
    issued = [_issue(db, d, volunteer=v, label=f"#{v.row_number}", expires_at=expires_at)
              for v in volunteers_of(db, d) if v.status in ON_PANEL and v.id not in working]
    db.flush()
    assert d.id is not None
    event = record_event(db, deliberation_id=d.id, kind="invitations_issued",
                         data={"count": len(issued)}, audience=STAFF)
    return issued, event


def do_invite_by_hand(db: Session, *, d: Deliberation, label: str,
                      expires_at: datetime | None = None) -> tuple[IssuedInvitation, EventOut]:
    """An invitation for someone the facilitator adds (say, a replacement found by phone)."""
    digiraati_of(db, d)
    label = " ".join(label.split())
    if not label or len(label) > MAX_LABEL_CHARS:
        raise DomainError("invitation_label_invalid", limit=MAX_LABEL_CHARS)
    issued = _issue(db, d, volunteer=None, label=label, expires_at=expires_at)
    db.flush()
    assert d.id is not None
    event = record_event(db, deliberation_id=d.id, kind="invitations_issued",
                         data={"count": 1}, audience=STAFF)
    return issued, event


def mail_merge_csv(issued: Sequence[IssuedInvitation], *, link_prefix: str) -> str:
    """label, link and the contact columns, one row per invitation."""
    contact_cols = sorted({k for i in issued for k in i.contact})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", "link", *contact_cols])
    for i in issued:
        writer.writerow([i.invitation.label, link_prefix + i.token,
                         *(i.contact.get(c, "") for c in contact_cols)])
    return out.getvalue()


def access_invitation(db: Session, *, d: Deliberation, token: str,
                      participant: Participant | None = None,
                      now: datetime | None = None) -> Invitation:
    """The invitation behind ``token``, or a code saying kindly why not:
    unknown (mistyped or forged), revoked, expired, used (by someone else)."""
    now = now or utcnow()
    inv = db.exec(select(Invitation).where(
        Invitation.token_hash == hash_invitation(token))).first()
    if inv is None or inv.deliberation_id != d.id:
        raise NotFound("invitation_unknown")
    if inv.revoked_at is not None:
        raise DomainError("invitation_revoked")
    if inv.used_at is not None:
        if participant is not None and inv.participant_id == participant.id:
            return inv
        raise DomainError("invitation_used")
    if inv.expires_at is not None and inv.expires_at <= now:
        raise DomainError("invitation_expired")
    return inv


def do_redeem_invitation(db: Session, *, d: Deliberation, participant: Participant,
                         token: str, now: datetime | None = None) -> tuple[PanelMember, list[EventOut]]:
    """Make ``participant`` the panellist of this invitation (once)."""
    now = now or utcnow()
    inv = access_invitation(db, d=d, token=token, participant=participant, now=now)
    existing = membership(db, d, participant)
    if existing is not None:
        if existing.invitation_id == inv.id:
            return existing, []
        raise DomainError("already_panellist")
    assert d.id is not None and participant.id is not None and inv.id is not None
    inv.used_at, inv.participant_id = now, participant.id
    member = PanelMember(deliberation_id=d.id, participant_id=participant.id,
                         invitation_id=inv.id, joined_at=now)
    db.add(inv)
    db.add(member)
    try:
        # The unique invitation_id stops a second browser using the same link at once.
        with db.begin_nested():
            db.flush()
    except IntegrityError as exc:
        raise DomainError("invitation_used") from exc
    event = record_event(db, deliberation_id=d.id, kind="panellist_joined",
                         data={"name": participant.pseudonym})
    return member, [event]


def do_choose_name(db: Session, *, d: Deliberation, participant: Participant,
                   name: object) -> EventOut:
    """A panellist takes a display name instead of the pseudonym."""
    member = membership(db, d, participant)
    if member is None:
        raise DomainError("not_panellist")
    chosen = check_display_name(name)
    taken = db.exec(select(Participant.id).where(
        Participant.deliberation_id == d.id, Participant.pseudonym == chosen,
        Participant.id != participant.id)).first()
    if taken is not None:
        raise DomainError("display_name_taken")
    old = participant.pseudonym
    participant.pseudonym, member.named = chosen, True
    db.add(participant)
    db.add(member)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="panellist_renamed",
                        data={"old": old, "name": chosen})


def do_revoke_invitation(db: Session, *, d: Deliberation, invitation_id: object) -> EventOut:
    if not is_id(invitation_id):
        raise NotFound("invitation_unknown")
    inv = db.get(Invitation, invitation_id)
    if inv is None or inv.deliberation_id != d.id:
        raise NotFound("invitation_unknown")
    if inv.used_at is not None:
        raise DomainError("invitation_used")
    inv.revoked_at = inv.revoked_at or utcnow()
    db.add(inv)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="invitation_revoked",
                        data={"invitation_id": inv.id}, audience=STAFF)


def invitations_of(db: Session, d: Deliberation) -> list[Invitation]:
    return list(db.exec(select(Invitation).where(Invitation.deliberation_id == d.id)
                        .order_by(col(Invitation.id))).all())


def panel_members(db: Session, d: Deliberation) -> list[tuple[PanelMember, Participant]]:
    rows = db.exec(select(PanelMember, Participant)
                   .join(Participant, col(Participant.id) == col(PanelMember.participant_id))
                   .where(PanelMember.deliberation_id == d.id)
                   .order_by(col(PanelMember.id))).all()
    return [(m, p) for m, p in rows]
