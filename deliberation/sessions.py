"""Sessions (brainstorming sessions and digiraatis) and their questions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.content import TRANSLATED_LANGS, set_translation
from deliberation.errors import DomainError, NotFound
from deliberation.events import PUBLIC, STAFF, EventOut, record_event, record_session_created
from deliberation.models import Deliberation, Post, Question, utcnow
from deliberation.text import MAX_TITLE_CHARS

MODERATION_MODES = ("post", "pre")
KINDS = ("brainstorm", "digiraati")
MAX_INTRO_CHARS = 10_000
MAX_QUESTION_CHARS = 500
MAX_QUESTIONS = 20
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


@dataclass(frozen=True)
class LanguageVersion:
    """A session's texts in Swedish or English; empty ones fall back to Finnish.
    ``questions`` go with the Finnish questions in order."""

    title: str = ""
    introduction: str = ""
    closing: str = ""
    questions: tuple[str, ...] = ()


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
    closing_message: str = ""
    versions: Mapping[str, LanguageVersion] = field(default_factory=dict)


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
    if len(form.closing_message) > MAX_INTRO_CHARS:
        raise DomainError("closing_too_long", limit=MAX_INTRO_CHARS)
    versions = {lang: _check_version(lang, v, len(questions))
                for lang, v in form.versions.items()}
    return replace(form, title=title, slug=slug, introduction=form.introduction.strip(),
                   questions=questions, closing_message=form.closing_message.strip(),
                   versions=versions)


def _check_version(lang: str, v: LanguageVersion, n_questions: int) -> LanguageVersion:
    if lang not in TRANSLATED_LANGS:
        raise DomainError("language_invalid")
    if len(v.title.strip()) > MAX_TITLE_CHARS:
        raise DomainError("title_too_long", limit=MAX_TITLE_CHARS)
    if max(len(v.introduction), len(v.closing)) > MAX_INTRO_CHARS:
        raise DomainError("introduction_too_long", limit=MAX_INTRO_CHARS)
    questions = tuple(q.strip() for q in v.questions)
    # Trailing empty lines mean "no translation"; more lines than questions is a slip.
    while questions and not questions[-1]:
        questions = questions[:-1]
    if len(questions) > n_questions:
        raise DomainError("question_versions_too_many", count=n_questions)
    if any(len(q) > MAX_QUESTION_CHARS for q in questions):
        raise DomainError("question_too_long", limit=MAX_QUESTION_CHARS)
    return LanguageVersion(v.title.strip(), v.introduction.strip(), v.closing.strip(), questions)


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
    if d.published_at is None:  # a draft takes nothing from residents
        raise DomainError("session_not_open")
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
    """A new session, as a draft: only staff see it until it is published
    (deliberation/lifecycle.py)."""
    form = check_session_form(form)
    _check_slug_free(db, form.slug, None)
    d = Deliberation(
        slug=form.slug, title=form.title, introduction=form.introduction, kind=form.kind,
        opens_at=form.opens_at, closes_at=form.closes_at, moderation_mode=form.moderation_mode,
        closing_message=form.closing_message,
    )
    db.add(d)
    db.flush()
    assert d.id is not None
    questions = [Question(deliberation_id=d.id, position=i, text=text)
                 for i, text in enumerate(form.questions)]
    db.add_all(questions)
    db.flush()
    _store_versions(db, d.id, form, questions)
    db.flush()
    record_session_created(db, deliberation_id=d.id)
    return d


def _store_versions(db: Session, deliberation_id: int, form: SessionForm,
                    questions: list[Question]) -> None:
    for lang in TRANSLATED_LANGS:
        v = form.versions.get(lang, LanguageVersion())
        for name, text in (("title", v.title), ("introduction", v.introduction),
                           ("closing", v.closing)):
            set_translation(db, deliberation_id=deliberation_id, name=name, lang=lang, text=text)
        for i, q in enumerate(questions):
            assert q.id is not None
            text = v.questions[i] if i < len(v.questions) else ""
            set_translation(db, deliberation_id=deliberation_id, name="question", lang=lang,
                            text=text, ref_id=q.id)


@dataclass(frozen=True)
class QuestionPlan:
    """Which stored question each new question text goes to (None: a new row),
    and which stored questions end up hidden."""

    placed: list[tuple[Question | None, str]]
    hidden: list[Question]


def _plan_questions(existing: list[Question], texts: tuple[str, ...]) -> QuestionPlan:
    """A question keeps its row (and its threads) when its text is unchanged,
    wherever it moved; the remaining new texts take over the remaining shown
    questions in order (a reworded question); what is left over is hidden (old)
    or created (new). Nothing is changed here, so a plan can be shown first."""
    by_text = {q.text: q for q in existing}
    kept = {t: by_text[t] for t in texts if t in by_text}
    taken = {id(q) for q in kept.values()}
    spare = [q for q in existing if q.active and id(q) not in taken]
    placed: list[tuple[Question | None, str]] = []
    used: set[int] = set()
    for text in texts:
        q = kept.get(text)
        if q is None or id(q) in used:
            q = spare.pop(0) if spare else None
        if q is not None:
            used.add(id(q))
        placed.append((q, text))
    return QuestionPlan(placed, [q for q in existing if id(q) not in used])


@dataclass(frozen=True)
class QuestionImpact:
    """A shown question with posts that an edit would reword or hide."""

    question_id: int
    text: str
    new_text: str | None  # None: the question would be removed (hidden)
    post_count: int


def _post_counts(db: Session, deliberation_id: int) -> dict[int, int]:
    rows = db.exec(
        select(Post.question_id, func.count()).where(
            Post.deliberation_id == deliberation_id, col(Post.status) != "rejected")
        .group_by(col(Post.question_id))).all()
    return {qid: int(n) for qid, n in rows}


def question_impacts(db: Session, *, d: Deliberation, form: SessionForm) -> list[QuestionImpact]:
    """What saving ``form`` would do to questions residents already wrote under:
    the facilitator is warned with the number of posts before anything changes."""
    form = check_session_form(form)
    assert d.id is not None
    counts = _post_counts(db, d.id)
    plan = _plan_questions(questions_of(db, deliberation_id=d.id, include_inactive=True),
                           form.questions)
    impacts = [QuestionImpact(q.id or 0, q.text, text, counts.get(q.id or 0, 0))
               for q, text in plan.placed if q is not None and q.text != text]
    impacts += [QuestionImpact(q.id or 0, q.text, None, counts.get(q.id or 0, 0))
                for q in plan.hidden if q.active]
    return [i for i in impacts if i.post_count > 0]


def _apply_plan(db: Session, d_id: int, plan: QuestionPlan) -> list[Question]:
    shown: list[Question] = []
    for position, (q, text) in enumerate(plan.placed):
        q = q or Question(deliberation_id=d_id, text=text)
        q.text, q.position, q.active = text, position, True
        db.add(q)
        shown.append(q)
    for q in plan.hidden:
        q.active = False
        db.add(q)
    db.flush()
    return shown


def _move_posts(db: Session, removable: set[int | None], shown: list[Question],
                moves: Mapping[int, int]) -> None:
    """Move the posts of removed questions to a kept one (old id -> new position)."""
    for old_id, position in moves.items():
        if old_id not in removable or not 0 <= position < len(shown):
            raise DomainError("question_move_invalid")
        db.execute(update(Post).where(col(Post.question_id) == old_id)
                   .values(question_id=shown[position].id))


def do_update_deliberation(db: Session, *, d: Deliberation, form: SessionForm,
                           moves: Mapping[int, int] | None = None) -> EventOut:
    """Edit a session. Questions keep their threads when kept or reworded (see
    _plan_questions); a removed question keeps its posts hidden with it, unless
    ``moves`` sends them to a question that stays (see question_impacts)."""
    form = check_session_form(form)
    assert d.id is not None
    _check_slug_free(db, form.slug, d.id)
    d.slug, d.title, d.introduction = form.slug, form.title, form.introduction
    d.opens_at, d.closes_at = form.opens_at, form.closes_at
    d.moderation_mode, d.kind = form.moderation_mode, form.kind
    d.closing_message = form.closing_message
    db.add(d)
    plan = _plan_questions(questions_of(db, deliberation_id=d.id, include_inactive=True),
                           form.questions)
    removable = {q.id for q in plan.hidden if q.active}
    shown = _apply_plan(db, d.id, plan)
    _move_posts(db, removable, shown, moves or {})
    _store_versions(db, d.id, form, shown)
    db.flush()
    return record_event(
        db,
        deliberation_id=d.id,
        kind="session_updated",
        # A draft's changes are for staff only, even on the event stream.
        audience=PUBLIC if d.published_at is not None else STAFF,
        data={
            "title": d.title,
            "state": state_of(d),
            "questions": [{"id": q.id, "text": q.text, "versions": _versions(
                q.text, {lang: _nth(v.questions, i) for lang, v in form.versions.items()})}
                for i, q in enumerate(shown)],
            # Every language's title, so a Swedish or English page can change live too
            # (a missing version falls back to Finnish there, as on the server page).
            "versions": {"title": _versions(
                d.title, {lang: v.title for lang, v in form.versions.items()})},
        },
    )


def _nth(texts: tuple[str, ...], i: int) -> str:
    return texts[i] if i < len(texts) else ""


def _versions(finnish: str, others: Mapping[str, str]) -> dict[str, str]:
    """A text's Finnish version and the Swedish and English ones filled in."""
    return {"fi": finnish, **{lang: text.strip() for lang, text in others.items()
                              if lang in TRANSLATED_LANGS and text.strip()}}
