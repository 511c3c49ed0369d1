"""What the digiraati's pages read, in one transaction each: the viewer (a
panellist, an expert, staff or a reader), the phases and the page's data.
Shared by the digiraati route modules (route modules never import each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from deliberation.digiraati.hearing import experts_of, hearing_questions
from deliberation.digiraati.invitations import panel_members
from deliberation.digiraati.models import Digiraati, Expert, PanelMember
from deliberation.digiraati.phases import (
    PHASES,
    current_phase,
    phase_state,
    phase_threads,
    phases_of,
    thread_of_phase,
)
from deliberation.digiraati.rules import check_may_read, digiraati_of, expert_of, membership
from deliberation.errors import DomainError
from deliberation.events import last_seq
from deliberation.models import Deliberation, Participant
from deliberation.participants import do_join, find_participant
from deliberation.permissions import can_run_digiraati
from deliberation.posts import supported_by, threads_by_question
from deliberation.sessions import access_deliberation, access_deliberation_by_id, questions_of


@dataclass
class Viewer:
    d: Deliberation
    raati: Digiraati
    participant: Participant | None
    member: PanelMember | None
    expert: Expert | None
    staff_role: str | None

    @property
    def runs(self) -> bool:
        """A facilitator (or admin): runs the digiraati."""
        return can_run_digiraati(self.staff_role)


def viewer(db: Session, *, slug: str, token: str | None, staff_id: int | None,
           staff_role: str | None, join: bool = False, statement: bool = False) -> Viewer:
    """Who looks at the digiraati ``slug``; refused when it is not public and
    the viewer is not on the panel, an expert or staff (``statement``: the
    published statement is public)."""
    d = access_deliberation(db, slug=slug)
    raati = digiraati_of(db, d)
    assert d.id is not None
    participant = None
    if token is not None:
        participant = (do_join(db, deliberation_id=d.id, token=token) if join
                       else find_participant(db, deliberation_id=d.id, token=token))
    check_may_read(db, d, participant=participant, staff_role=staff_role, staff_user_id=staff_id,
                   statement=statement)
    return Viewer(d, raati, participant, membership(db, d, participant),
                  expert_of(db, d, staff_id), staff_role)


def acting_panellist(v: Viewer) -> Participant:
    """The panellist acting in the digiraati; "not_panellist" for anyone else."""
    if v.participant is None:
        raise DomainError("not_panellist")
    return v.participant


def staff_digiraati(db: Session, *, deliberation_id: int) -> tuple[Deliberation, Digiraati]:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    return d, digiraati_of(db, d)


def phase_list(db: Session, d: Deliberation) -> list[dict[str, Any]]:
    return [{"name": p.name, "state": phase_state(p), "starts_at": p.starts_at,
             "ends_at": p.ends_at} for p in phases_of(db, d)]


def page_data(db: Session, *, v: Viewer) -> dict[str, Any]:
    """The digiraati's main page: phases, background, panel, the open threads."""
    d = v.d
    assert d.id is not None
    seq = last_seq(db, deliberation_id=d.id)
    threads_phase = phase_threads(db, d)
    me = v.participant.id if v.participant else None
    questions = [q for q in questions_of(db, deliberation_id=d.id)
                 if threads_phase.get(q.id or 0) in ("orientation", "deliberation")]
    phases = phase_list(db, d)
    states = {p["name"]: p["state"] for p in phases}
    return {
        "seq": seq, "phases": phases, "current": current_phase(db, d),
        "questions": [(q, threads_phase[q.id or 0], states[threads_phase[q.id or 0]])
                      for q in questions],
        "threads": threads_by_question(db, d=d, viewer_id=me),
        "supported": supported_by(db, participant_id=me) if me else set(),
        "panel": [p.pseudonym for _, p in panel_members(db, d)],
        "experts": [e.display_name for e in experts_of(db, d)],
    }


def hearing_data(db: Session, *, v: Viewer) -> dict[str, Any]:
    d = v.d
    assert d.id is not None
    me = v.participant.id if v.participant else None
    states = {p.name: phase_state(p) for p in phases_of(db, d)}
    return {
        "seq": last_seq(db, deliberation_id=d.id),
        "hearing_state": states["hearing"],
        "hearing_thread": thread_of_phase(db, d, "hearing"),
        "items": hearing_questions(db, d=d, viewer_id=me),
        "supported": supported_by(db, participant_id=me) if me else set(),
        "experts": [e.display_name for e in experts_of(db, d)],
    }


__all__ = ["PHASES", "Viewer", "hearing_data", "page_data", "phase_list", "staff_digiraati",
           "viewer"]
