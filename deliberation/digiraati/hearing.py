"""The expert hearing: panellists ask and support questions, experts answer,
the facilitator marks questions answered, merges duplicates and closes it.

A hearing question is a ``Post`` in the digiraati's hearing thread, made by
``do_create_post``: it gets the same screening, verdict, moderation queue and
events as any post. ``HearingQuestion`` adds what only the hearing knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Expert, HearingAnswer, HearingQuestion
from deliberation.digiraati.phases import (
    check_phase_open,
    do_close_phase,
    phase_threads,
    thread_of_phase,
)
from deliberation.digiraati.rules import digiraati_of, require_expert, require_panellist
from deliberation.digiraati.texts import MAX_ANSWER_CHARS, check_display_name, check_text
from deliberation.errors import DomainError, NotFound, is_id
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, Participant, Post, StaffUser, Support, utcnow
from deliberation.posts import (
    PostingLimits,
    PostOutcome,
    SupportOutcome,
    do_create_post,
    do_toggle_support,
    iso,
    post_view,
)

DEFAULT_LIMITS = PostingLimits()


def check_digiraati_post(db: Session, *, d: Deliberation, participant: Participant,
                         question_id: object, now: datetime | None = None) -> None:
    """The digiraati's rule for a post or support in a thread: only panellists,
    only while the thread's phase is open, and hearing questions only through
    :func:`do_ask`. Other sessions pass unchanged."""
    if d.kind != "digiraati":
        return
    require_panellist(db, d, participant)
    phase = phase_threads(db, d).get(question_id) if is_id(question_id) else None
    if phase is None:
        raise NotFound("question_not_found")
    if phase == "hearing":
        raise DomainError("hearing_use_questions")
    check_phase_open(db, d, phase, now)


def check_digiraati_support(db: Session, *, d: Deliberation, participant: Participant,
                            post_id: object, now: datetime | None = None) -> None:
    """The same rule for supporting a post in a thread (by the thread of the post)."""
    if d.kind != "digiraati":
        return
    post = db.get(Post, post_id) if is_id(post_id) else None
    if post is None or post.deliberation_id != d.id:
        raise NotFound("post_not_found")
    check_digiraati_post(db, d=d, participant=participant, question_id=post.question_id, now=now)


# --- experts -------------------------------------------------------------------------

def do_add_expert(db: Session, *, d: Deliberation, user: StaffUser,
                  display_name: str) -> EventOut:
    digiraati_of(db, d)
    if user.role != "expert":
        raise DomainError("expert_role_required")
    name = check_display_name(display_name)
    assert d.id is not None and user.id is not None
    if db.exec(select(Expert).where(Expert.deliberation_id == d.id,
                                    Expert.staff_user_id == user.id)).first():
        raise DomainError("expert_already_added")
    db.add(Expert(deliberation_id=d.id, staff_user_id=user.id, display_name=name))
    db.flush()
    return record_event(db, deliberation_id=d.id, kind="expert_added", data={"name": name})


def experts_of(db: Session, d: Deliberation) -> list[Expert]:
    return list(db.exec(select(Expert).where(Expert.deliberation_id == d.id)
                        .order_by(col(Expert.id))).all())


# --- asking and supporting -----------------------------------------------------------

def do_ask(db: Session, *, d: Deliberation, participant: Participant, body: object,
           limits: PostingLimits = DEFAULT_LIMITS, now: datetime | None = None) -> PostOutcome:
    """A panellist's question to the experts, screened like a post."""
    require_panellist(db, d, participant)
    check_phase_open(db, d, "hearing", now)
    out = do_create_post(db, d=d, participant=participant,
                         question_id=thread_of_phase(db, d, "hearing"), parent_id=None,
                         body=body, limits=limits, now=now)
    assert d.id is not None and out.post.id is not None
    db.add(HearingQuestion(post_id=out.post.id, deliberation_id=d.id))
    db.flush()
    return out


def _question(db: Session, d: Deliberation, post_id: object) -> tuple[Post, HearingQuestion]:
    if not is_id(post_id):
        raise NotFound("post_not_found")
    hq = db.get(HearingQuestion, post_id)
    post = db.get(Post, post_id)
    if hq is None or post is None or hq.deliberation_id != d.id or post.status != "published":
        raise NotFound("post_not_found")
    if hq.merged_into is not None:
        raise DomainError("question_merged", into=hq.merged_into)
    return post, hq


def do_support_question(db: Session, *, d: Deliberation, participant: Participant,
                        post_id: object, now: datetime | None = None) -> SupportOutcome:
    """Support a question, or take the support back: one per panellist."""
    require_panellist(db, d, participant)
    check_phase_open(db, d, "hearing", now)
    _question(db, d, post_id)
    return do_toggle_support(db, d=d, participant=participant, post_id=post_id, now=now)


# --- answering and running the hearing -----------------------------------------------

def do_answer(db: Session, *, d: Deliberation, staff_user_id: int | None, post_id: object,
              body: object, now: datetime | None = None) -> EventOut:
    """Experts answer only in the hearing, only this digiraati's questions."""
    expert = require_expert(db, d, staff_user_id)
    check_phase_open(db, d, "hearing", now)
    post, _ = _question(db, d, post_id)
    text = check_text(body, limit=MAX_ANSWER_CHARS, empty_code="answer_empty",
                      long_code="answer_too_long")
    assert expert.id is not None and post.id is not None and d.id is not None
    answer = HearingAnswer(post_id=post.id, expert_id=expert.id, body=text,
                           created_at=now or utcnow())
    db.add(answer)
    db.flush()
    return record_event(db, deliberation_id=d.id, kind="hearing_answer",
                        data={"answer": answer_view(answer, expert.display_name)})


def do_mark_answered(db: Session, *, d: Deliberation, post_id: object,
                     answered: bool = True) -> EventOut:
    _, hq = _question(db, d, post_id)
    hq.answered_at = utcnow() if answered else None
    db.add(hq)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="hearing_answered",
                        data={"post_id": hq.post_id, "answered": answered})


def _recount(db: Session, post_id: int) -> int:
    count = int(db.exec(select(func.count()).select_from(Support)
                        .where(Support.post_id == post_id)).one())
    db.execute(update(Post).where(col(Post.id) == post_id).values(support_count=count))
    return count


def do_merge(db: Session, *, d: Deliberation, duplicate_id: object, into_id: object) -> EventOut:
    """Fold a duplicate into another question: its supporters support the other
    (once each), and it is no longer listed on its own."""
    dup_post, dup = _question(db, d, duplicate_id)
    into_post, _ = _question(db, d, into_id)
    if dup_post.id == into_post.id:
        raise DomainError("merge_same_question")
    assert dup_post.id is not None and into_post.id is not None and d.id is not None
    # Lock the target's row so that supports arriving meanwhile queue behind us.
    db.execute(update(Post).where(col(Post.id) == into_post.id)
               .values(support_count=col(Post.support_count)))
    already = set(db.exec(select(Support.participant_id)
                          .where(Support.post_id == into_post.id)).all())
    for s in db.exec(select(Support).where(Support.post_id == dup_post.id)).all():
        if s.participant_id not in already and s.participant_id != into_post.participant_id:
            db.add(Support(post_id=into_post.id, participant_id=s.participant_id))
    dup.merged_into = into_post.id
    db.add(dup)
    db.flush()
    count = _recount(db, into_post.id)
    return record_event(db, deliberation_id=d.id, kind="hearing_merged",
                        data={"post_id": dup_post.id, "into": into_post.id,
                              "support_count": count})


def do_close_hearing(db: Session, *, d: Deliberation, now: datetime | None = None
                     ) -> list[EventOut]:
    return do_close_phase(db, d=d, name="hearing", now=now)


# --- reading -------------------------------------------------------------------------

def answer_view(answer: HearingAnswer, expert_name: str) -> dict[str, Any]:
    from deliberation.text import render_body

    return {"id": answer.id, "post_id": answer.post_id, "expert": expert_name,
            "body_html": render_body(answer.body), "created_at": iso(answer.created_at)}


@dataclass
class HearingItem:
    question: dict[str, Any]
    answers: list[dict[str, Any]]
    answered: bool


def hearing_questions(db: Session, *, d: Deliberation,
                      viewer_id: int | None = None) -> list[HearingItem]:
    """Questions most supported first (then oldest first), merged ones left out;
    the viewer also sees their own questions waiting for a moderator."""
    visible = col(Post.status) == "published"
    if viewer_id is not None:
        visible = visible | ((col(Post.participant_id) == viewer_id)
                             & (col(Post.status) == "held"))
    rows = db.exec(
        select(Post, HearingQuestion, Participant.pseudonym)
        .join(HearingQuestion, col(HearingQuestion.post_id) == col(Post.id))
        .join(Participant, col(Participant.id) == col(Post.participant_id))
        .where(HearingQuestion.deliberation_id == d.id,
               col(HearingQuestion.merged_into).is_(None), visible)
        .order_by(col(Post.support_count).desc(), col(Post.id))).all()
    answers: dict[int, list[dict[str, Any]]] = {}
    for a, name in db.exec(
            select(HearingAnswer, Expert.display_name)
            .join(Expert, col(Expert.id) == col(HearingAnswer.expert_id))
            .where(Expert.deliberation_id == d.id).order_by(col(HearingAnswer.id))).all():
        answers.setdefault(a.post_id, []).append(answer_view(a, name))
    items = []
    for post, hq, pseudonym in rows:
        view = post_view(post, pseudonym)
        view["own"] = post.participant_id == viewer_id
        assert post.id is not None
        items.append(HearingItem(view, answers.get(post.id, []), hq.answered_at is not None))
    return items
