"""Residents' feedback: "did you feel heard?" (1-5) and a free text.

Asked once per resident and session, after their first post or when the
session has closed. Stored anonymously: the answer has no link to the
participant (the participant only remembers *that* they answered, so the
question is not asked again), it keeps only the day, and personal data in the
free text (phone numbers, e-mail addresses, identity codes, names) is redacted
before it is stored, since staff read these texts and they are never moderated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from deliberation.errors import DomainError
from deliberation.models import Deliberation, Feedback, Participant, utcnow
from moderation.screening import redact, screen

CONTEXTS = ("first_post", "closed")
SCORES = range(1, 6)
MAX_FEEDBACK_CHARS = 2000


def check_score(value: object) -> int | None:
    """A score from a form or JSON: 1..5, or None when left empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value in SCORES:
        return value
    raise DomainError("feedback_score_invalid")


def check_feedback_text(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_FEEDBACK_CHARS:
        raise DomainError("feedback_too_long", limit=MAX_FEEDBACK_CHARS)
    return text


def without_personal_data(text: str, *, names: bool = True) -> str:
    found = screen(text, names=names)
    return redact(text, [f.span for f in found.findings if f.is_personal_data])


def feedback_due(d: Deliberation, participant: Participant | None) -> bool:
    """Whether to offer the question to this resident now (a published session,
    a resident who has not answered yet)."""
    return (participant is not None and not participant.feedback_given
            and d.published_at is not None)


def do_give_feedback(db: Session, *, d: Deliberation, participant: Participant, context: str,
                     score: object, text: object, names: bool = True,
                     today: date | None = None) -> Feedback:
    if context not in CONTEXTS:
        raise DomainError("feedback_context_invalid")
    if participant.deliberation_id != d.id or d.published_at is None:
        raise DomainError("session_not_found")
    if participant.feedback_given:
        raise DomainError("feedback_already_given")
    checked_score, checked_text = check_score(score), check_feedback_text(text)
    if checked_score is None and not checked_text:
        raise DomainError("feedback_empty")
    assert d.id is not None
    row = Feedback(deliberation_id=d.id, context=context, score=checked_score,
                   text=without_personal_data(checked_text, names=names) if checked_text else "",
                   given_on=today or utcnow().date())
    participant.feedback_given = True
    db.add_all([row, participant])
    db.flush()
    # Nothing is announced: feedback is not part of the public conversation.
    return row


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    # score -> how many gave it (1..5, all present)
    scores: dict[int, int]

    @property
    def scored(self) -> int:
        return sum(self.scores.values())

    @property
    def average(self) -> float | None:
        if not self.scored:
            return None
        return sum(s * n for s, n in self.scores.items()) / self.scored


def feedback_summary(db: Session, *, deliberation_ids: list[int]) -> FeedbackSummary:
    if not deliberation_ids:
        return FeedbackSummary(0, dict.fromkeys(SCORES, 0))
    where = col(Feedback.deliberation_id).in_(deliberation_ids)
    total = db.exec(select(func.count()).select_from(Feedback).where(where)).one()
    rows = db.exec(select(Feedback.score, func.count()).where(where)
                   .group_by(col(Feedback.score))).all()
    scores = dict.fromkeys(SCORES, 0)
    for score, n in rows:
        if score is not None:
            scores[int(score)] = int(n)
    return FeedbackSummary(int(total), scores)


def feedback_texts(db: Session, *, deliberation_id: int, limit: int = 500) -> list[Feedback]:
    """The free texts for staff, newest day first (already without personal data)."""
    return list(db.exec(select(Feedback).where(Feedback.deliberation_id == deliberation_id,
                                               Feedback.text != "")
                        .order_by(col(Feedback.given_on).desc())
                        .limit(limit)).all())
