"""Sanctions on a pseudonym within one session: mute (every post is held for a
moderator) and ban (no posting, supporting or flagging)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from deliberation.errors import DomainError, NotFound
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Participant
from moderation.audit import Actor, record_action
from moderation.decisions import check_note

# action -> (field on Participant, new value)
SANCTIONS: dict[str, tuple[str, bool]] = {
    "mute": ("muted", True), "unmute": ("muted", False),
    "ban": ("banned", True), "unban": ("banned", False),
}


@dataclass
class SanctionOutcome:
    participant: Participant
    events: list[EventOut] = field(default_factory=list)


def do_sanction(db: Session, *, participant_id: object, action: object, actor: Actor,
                note: object = "") -> SanctionOutcome:
    if not isinstance(action, str) or action not in SANCTIONS:
        raise DomainError("bad_request")
    if not isinstance(participant_id, int) or isinstance(participant_id, bool):
        raise NotFound("participant_not_found")
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound("participant_not_found")
    text = check_note(note)
    attr, value = SANCTIONS[action]
    setattr(participant, attr, value)
    db.add(participant)
    db.flush()
    record_action(db, deliberation_id=participant.deliberation_id, actor=actor, action=action,
                  participant_id=participant_id, note=text)
    event = record_event(db, deliberation_id=participant.deliberation_id,
                         kind="participant_sanctioned", audience=STAFF,
                         data={"participant_id": participant_id, "pseudonym": participant.pseudonym,
                               "muted": participant.muted, "banned": participant.banned})
    return SanctionOutcome(participant, [event])
