"""Sessions (brainstorming sessions and digiraatis) and their questions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from deliberation.errors import DomainError, NotFound
from deliberation.events import EventOut, record_event, record_session_created
from deliberation.models import Deliberation, Question, utcnow
from deliberation.text import MAX_TITLE_CHARS

MODERATION_MODES = ("post", "pre")
KINDS = ("brainstorm", "digiraati")
MAX_INTRO_CHARS = 10_000
MAX_QUESTION_CHARS = 500
MAX_QUESTIONS = 20
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


@dataclass(frozen=True)
class SessionForm:
    """What a facilitator fills in; validated by :func:`check_session_form`."""

    title: str
    slug: str
    introduction: str
    questions: tuple[str, ...]
    opens_at: datetime | None
    closes_at: datetime | None
    moderation_mode: str = "post"
    kind: str = "brainstorm"


def slugify(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].strip("-") or "istunto"


def check_session_form(form: SessionForm) -> SessionForm:
    title = form.title.strip()
    if not title:
        raise DomainError("title_required")
    if len(title) > MAX_TITLE_CHARS:
        raise DomainError("title_too_long", limit=MAX_TITLE_CHARS)
    slug = (form.slug.strip().lower() or slugify(title))
    if not _SLUG_RE.match(slug):
        raise DomainError("slug_invalid")
    if len(form.introduction) > MAX_INTRO_CHARS:
        raise DomainError("introduction_too_long", limit=MAX_INTRO_CHARS)
    questions = tuple(q.strip() for q in form.questions if q.strip())
    if not questions:
        raise DomainError("questions_required")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError("too_many_questions", limit=MAX_QUESTIONS)
    if any(len(q) > MAX_QUESTION_CHARS for q in questions):
        raise DomainError("question_too_long", limit=MAX_QUESTION_CHARS)
    if form.opens_at and form.closes_at and form.closes_at <= form.opens_at:
        raise DomainError("closes_before_opens")
    if form.moderation_mode not in MODERATION_MODES:
        raise DomainError("moderation_mode_invalid")
    if form.kind not in KINDS:
        raise DomainError("kind_invalid")
    return SessionForm(
        title, slug, form.introduction.strip(), questions, form.opens_at, form.closes_at,
        form.moderation_mode, form.kind,
    )


def access_deliberation(db: Session, *, slug: str) -> Deliberation:
    found = db.exec(select(Deliberation).where(Deliberation.slug == slug)).first()
    if found is None:
        raise NotFound("session_not_found")
    return found


def access_deliberation_by_id(db: Session, *, deliberation_id: int) -> Deliberation:
    found = db.get(Deliberation, deliberation_id)
    if found is None:
        raise NotFound("session_not_found")
    return found


def list_deliberations(db: Session) -> list[Deliberation]:
    return list(db.exec(select(Deliberation).order_by(col(Deliberation.created_at).desc())).all())


def questions_of(
    db: Session, *, deliberation_id: int, include_inactive: bool = False
) -> list[Question]:
    query = select(Question).where(Question.deliberation_id == deliberation_id)
    if not include_inactive:
        query = query.where(col(Question.active).is_(True))
    return list(db.exec(query.order_by(col(Question.position), col(Question.id))).all())


def state_of(d: Deliberation, now: datetime | None = None) -> str:
    """"upcoming", "open" or "closed"."""
    now = now or utcnow()
    if d.opens_at and now < d.opens_at:
        return "upcoming"
    if d.closes_at and now >= d.closes_at:
        return "closed"
    return "open"


def check_open(d: Deliberation, now: datetime | None = None) -> None:
    state = state_of(d, now)
    if state == "upcoming":
        raise DomainError("session_not_open")
    if state == "closed":
        raise DomainError("session_closed")


def _check_slug_free(db: Session, slug: str, own_id: int | None) -> None:
    other = db.exec(select(Deliberation).where(Deliberation.slug == slug)).first()
    if other is not None and other.id != own_id:
        raise DomainError("slug_taken")


def do_create_deliberation(db: Session, *, form: SessionForm) -> Deliberation:
    form = check_session_form(form)
    _check_slug_free(db, form.slug, None)
    d = Deliberation(
        slug=form.slug, title=form.title, introduction=form.introduction, kind=form.kind,
        opens_at=form.opens_at, closes_at=form.closes_at, moderation_mode=form.moderation_mode,
    )
    db.add(d)
    db.flush()
    assert d.id is not None
    for i, text in enumerate(form.questions):
        db.add(Question(deliberation_id=d.id, position=i, text=text))
    db.flush()
    record_session_created(db, deliberation_id=d.id)
    return d


def _match_questions(existing: list[Question], texts: tuple[str, ...],
                     deliberation_id: int) -> list[Question]:
    """The questions after an edit. A question keeps its row (and its threads)
    when its text is unchanged, wherever it moved; the remaining new texts take
    over the remaining shown questions in order (a reworded question); what is
    left over is hidden (old) or created (new)."""
    by_text = {q.text: q for q in existing}
    kept = {t: by_text[t] for t in texts if t in by_text}
    taken = {id(q) for q in kept.values()}
    spare = [q for q in existing if q.active and id(q) not in taken]
    result: list[Question] = []
    for position, text in enumerate(texts):
        q = kept.get(text) or (spare.pop(0) if spare else None)
        if q is None:
            q = Question(deliberation_id=deliberation_id, text=text)
        q.text, q.position, q.active = text, position, True
        result.append(q)
    placed = {id(q) for q in result}
    for q in existing:
        if id(q) not in placed:
            q.active = False
            result.append(q)
    return result


def do_update_deliberation(db: Session, *, d: Deliberation, form: SessionForm) -> EventOut:
    """Edit a session. Questions keep their threads when kept or reworded (see
    _match_questions); a removed question keeps its posts but is not shown."""
    form = check_session_form(form)
    assert d.id is not None
    _check_slug_free(db, form.slug, d.id)
    d.slug, d.title, d.introduction = form.slug, form.title, form.introduction
    d.opens_at, d.closes_at = form.opens_at, form.closes_at
    d.moderation_mode, d.kind = form.moderation_mode, form.kind
    db.add(d)
    for q in _match_questions(questions_of(db, deliberation_id=d.id, include_inactive=True),
                              form.questions, d.id):
        db.add(q)
    db.flush()
    shown = questions_of(db, deliberation_id=d.id)
    return record_event(
        db,
        deliberation_id=d.id,
        kind="session_updated",
        data={
            "title": d.title,
            "state": state_of(d),
            "questions": [{"id": q.id, "text": q.text} for q in shown],
        },
    )
