"""Votes: each panellist votes on each section once (agree / can accept /
disagree) in the voting phase, and may change the vote until it closes.
Results stay hidden until then.

One vote per panellist and section is the table's unique key; a vote is an
upsert on it, so simultaneous requests of one panellist end in one row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Vote
from deliberation.digiraati.phases import check_phase_open, phase_named, phase_state
from deliberation.digiraati.rules import require_panellist
from deliberation.digiraati.statements import access_section, sections_of
from deliberation.errors import DomainError
from deliberation.events import EventOut, participant_audience, record_event
from deliberation.models import Deliberation, Participant, utcnow

CHOICES = ("agree", "accept", "disagree")


def do_vote(db: Session, *, d: Deliberation, participant: Participant, section_id: object,
            choice: object, now: datetime | None = None) -> EventOut:
    member = require_panellist(db, d, participant)
    check_phase_open(db, d, "voting", now)
    section = access_section(db, d, section_id)
    if choice not in CHOICES:
        raise DomainError("vote_choice_invalid")
    assert section.id is not None and d.id is not None
    values = {"section_id": section.id, "participant_id": member.participant_id,
              "choice": choice, "updated_at": now or utcnow()}
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Vote).values(**values)
    db.execute(stmt.on_conflict_do_update(
        index_elements=["section_id", "participant_id"],
        set_={"choice": stmt.excluded.choice, "updated_at": stmt.excluded.updated_at}))
    # Only the voter hears of it: results are hidden until the phase closes.
    return record_event(db, deliberation_id=d.id, kind="vote_recorded",
                        data={"section_id": section.id, "choice": choice},
                        audience=participant_audience(member.participant_id))


def my_votes(db: Session, d: Deliberation, participant: Participant) -> dict[int, str]:
    ids = [s.id for s in sections_of(db, d)]
    rows = db.exec(select(Vote).where(Vote.participant_id == participant.id,
                                      col(Vote.section_id).in_(ids))).all()
    return {v.section_id: v.choice for v in rows}


@dataclass(frozen=True)
class Result:
    section_id: int
    counts: dict[str, int]
    total: int

    def share(self, choice: str) -> float:
        return self.counts.get(choice, 0) / self.total if self.total else 0.0


def results_visible(db: Session, d: Deliberation, now: datetime | None = None) -> bool:
    return phase_state(phase_named(db, d, "voting"), now) == "closed"


def results(db: Session, d: Deliberation, *, now: datetime | None = None,
            force: bool = False) -> list[Result]:
    """Counts per section; refused while voting has not closed."""
    if not force and not results_visible(db, d, now):
        raise DomainError("results_hidden")
    out = []
    for s in sections_of(db, d):
        counts = Counter(db.exec(select(Vote.choice).where(Vote.section_id == s.id)).all())
        assert s.id is not None
        out.append(Result(s.id, {c: counts.get(c, 0) for c in CHOICES}, sum(counts.values())))
    return out

