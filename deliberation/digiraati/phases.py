"""The phases of a digiraati, their schedule, and creating a digiraati.

Orientation → hearing → deliberation → drafting → voting → published. A phase
is open between its opening and closing: by the facilitator's hand
(``opened_at``/``closed_at``) or by its schedule (``starts_at``/``ends_at``).
Opening a phase by hand closes any other open one: one phase runs at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Digiraati, Phase, PhaseThread
from deliberation.digiraati.rules import digiraati_of
from deliberation.digiraati.texts import render_background
from deliberation.errors import DomainError, NotFound
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, Question, utcnow
from deliberation.sessions import SessionForm, do_create_deliberation

PHASES = ("orientation", "hearing", "deliberation", "drafting", "voting", "published")
# The threads a digiraati gets besides its sub-questions (which belong to "deliberation").
INTRODUCTIONS_TEXT = "Esittäytykää toisillenne: kuka olette ja miksi aihe on teille tärkeä?"
HEARING_TEXT = "Kysymykset asiantuntijoille"
MAX_PANEL_SIZE = 500


@dataclass(frozen=True)
class DigiraatiForm:
    title: str
    slug: str
    introduction: str
    background: str  # Markdown: headings, lists, links
    questions: tuple[str, ...]  # the deliberation phase's sub-questions
    panel_size: int
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    public_read: bool = False
    moderation_mode: str = "post"
    # phase name -> (starts_at, ends_at); a missing phase is run by hand
    schedule: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)


def check_schedule(schedule: dict[str, tuple[datetime | None, datetime | None]]) -> None:
    last_end: datetime | None = None
    for name in PHASES:
        starts, ends = schedule.get(name, (None, None))
        if starts and ends and ends <= starts:
            raise DomainError("phase_ends_before_start", phase=name)
        if starts and last_end and starts < last_end:
            raise DomainError("phase_overlaps", phase=name)
        last_end = ends or last_end
    unknown = set(schedule) - set(PHASES)
    if unknown:
        raise DomainError("phase_unknown", phase=sorted(unknown)[0])


def do_create_digiraati(db: Session, *, form: DigiraatiForm) -> Deliberation:
    if not 1 <= form.panel_size <= MAX_PANEL_SIZE:
        raise DomainError("panel_size_invalid", limit=MAX_PANEL_SIZE)
    check_schedule(form.schedule)
    d = do_create_deliberation(db, form=SessionForm(
        title=form.title, slug=form.slug, introduction=form.introduction,
        questions=form.questions, opens_at=form.opens_at, closes_at=form.closes_at,
        moderation_mode=form.moderation_mode, kind="digiraati"))
    assert d.id is not None
    # A digiraati is listed from the start: who may read it is its own setting
    # (public_read) and what may be done, its phases; the draft stage of open
    # sessions does not apply.
    d.published_at = d.created_at
    db.add(d)
    source, html = render_background(form.background)
    db.add(Digiraati(deliberation_id=d.id, background_source=source, background_html=html,
                     panel_size=form.panel_size, public_read=form.public_read))
    for q in db.exec(select(Question).where(Question.deliberation_id == d.id)).all():
        assert q.id is not None
        db.add(PhaseThread(question_id=q.id, deliberation_id=d.id, phase="deliberation"))
    for position, (phase, text) in enumerate((("orientation", INTRODUCTIONS_TEXT),
                                              ("hearing", HEARING_TEXT)), start=100):
        q = Question(deliberation_id=d.id, position=position, text=text)
        db.add(q)
        db.flush()
        assert q.id is not None
        db.add(PhaseThread(question_id=q.id, deliberation_id=d.id, phase=phase))
    for position, name in enumerate(PHASES):
        starts, ends = form.schedule.get(name, (None, None))
        db.add(Phase(deliberation_id=d.id, name=name, position=position,
                     starts_at=starts, ends_at=ends))
    db.flush()
    return d


def do_update_background(db: Session, *, d: Deliberation, text: str,
                         public_read: bool) -> EventOut:
    raati = digiraati_of(db, d)
    raati.background_source, raati.background_html = render_background(text)
    raati.public_read = public_read
    db.add(raati)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="digiraati_background",
                        data={"background_html": raati.background_html,
                              "public_read": public_read})


DEFAULT_PANEL_SIZE = 30


def do_create_from_session_form(db: Session, *, form: SessionForm) -> Deliberation:
    """The general session form with the kind "digiraati": a digiraati with a
    panel of the usual size, its phases run by hand until scheduled."""
    return do_create_digiraati(db, form=DigiraatiForm(
        title=form.title, slug=form.slug, introduction=form.introduction, background="",
        questions=form.questions, panel_size=DEFAULT_PANEL_SIZE, opens_at=form.opens_at,
        closes_at=form.closes_at, moderation_mode=form.moderation_mode))


# --- phase state ---------------------------------------------------------------------

def phase_state(phase: Phase, now: datetime | None = None) -> str:
    """"pending", "open" or "closed" at ``now``."""
    now = now or utcnow()
    closes = phase.closed_at or phase.ends_at
    opens = phase.opened_at or phase.starts_at
    if closes is not None and closes <= now and (phase.opened_at is None
                                                  or phase.opened_at <= closes):
        return "closed"
    if opens is not None and opens <= now:
        return "open"
    return "pending"


def phases_of(db: Session, d: Deliberation) -> list[Phase]:
    return list(db.exec(select(Phase).where(Phase.deliberation_id == d.id)
                        .order_by(col(Phase.position))).all())


def phase_named(db: Session, d: Deliberation, name: str) -> Phase:
    if name not in PHASES:
        raise NotFound("phase_unknown", phase=name[:40])
    found = db.exec(select(Phase).where(Phase.deliberation_id == d.id,
                                        Phase.name == name)).first()
    if found is None:
        raise NotFound("digiraati_not_found")
    return found


def current_phase(db: Session, d: Deliberation, now: datetime | None = None) -> str | None:
    """The open phase, if any (the latest by position when a schedule overlaps)."""
    open_ = [p.name for p in phases_of(db, d) if phase_state(p, now) == "open"]
    return open_[-1] if open_ else None


def check_phase_open(db: Session, d: Deliberation, name: str,
                     now: datetime | None = None) -> None:
    """Nothing is accepted in a phase that is not open."""
    if phase_state(phase_named(db, d, name), now) != "open":
        raise DomainError("phase_not_open", phase=name)


def _announce(db: Session, d: Deliberation, phase: Phase, state: str) -> EventOut | None:
    """Record that ``phase`` is now ``state``, unless someone else (another
    server process ticking the schedule) has just done so: the conditional
    UPDATE lets exactly one transaction through."""
    assert d.id is not None and phase.id is not None
    claimed = db.execute(update(Phase).where(col(Phase.id) == phase.id,
                                             col(Phase.announced) == phase.announced)
                         .values(announced=state))
    if getattr(claimed, "rowcount", 0) != 1:
        db.refresh(phase)
        return None
    db.add(phase)
    db.flush()
    db.refresh(phase)
    return record_event(db, deliberation_id=d.id, kind=f"phase_{state}",
                        data={"phase": phase.name, "state": state})


def do_open_phase(db: Session, *, d: Deliberation, name: str,
                  now: datetime | None = None) -> list[EventOut]:
    now = now or utcnow()
    target = phase_named(db, d, name)
    events: list[EventOut] = []
    for phase in phases_of(db, d):
        if phase.id != target.id and phase_state(phase, now) == "open":
            events += do_close_phase(db, d=d, name=phase.name, now=now)
    target.opened_at, target.closed_at = now, None
    if target.ends_at is not None and target.ends_at <= now:
        target.ends_at = None  # reopened by hand after its scheduled end
    db.add(target)
    db.flush()
    events += [e for e in [_announce(db, d, target, "open")] if e is not None]
    return events


def do_close_phase(db: Session, *, d: Deliberation, name: str,
                   now: datetime | None = None) -> list[EventOut]:
    now = now or utcnow()
    phase = phase_named(db, d, name)
    if phase_state(phase, now) != "open":
        raise DomainError("phase_not_open", phase=name)
    phase.closed_at = now
    db.add(phase)
    db.flush()
    return [e for e in [_announce(db, d, phase, "closed")] if e is not None]


def do_sync_schedule(db: Session, *, d: Deliberation,
                     now: datetime | None = None) -> list[EventOut]:
    """Announce phases whose schedule opened or closed them since last time."""
    events: list[EventOut] = []
    for phase in phases_of(db, d):
        state = phase_state(phase, now)
        if state != phase.announced and (event := _announce(db, d, phase, state)) is not None:
            events.append(event)
    return events


def digiraatis_to_tick(db: Session) -> list[Deliberation]:
    """The digiraatis whose phases time may change."""
    return list(db.exec(select(Deliberation).where(Deliberation.kind == "digiraati")).all())


# --- threads of the phases -----------------------------------------------------------

def phase_threads(db: Session, d: Deliberation) -> dict[int, str]:
    """question id -> the phase its thread belongs to."""
    rows = db.exec(select(PhaseThread).where(PhaseThread.deliberation_id == d.id)).all()
    return {r.question_id: r.phase for r in rows}


def thread_of_phase(db: Session, d: Deliberation, phase: str) -> int:
    for qid, name in phase_threads(db, d).items():
        if name == phase:
            return qid
    raise NotFound("question_not_found")
