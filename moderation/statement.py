"""Held statement texts: digiraati amendments and amendment comments that
screening held, waiting in the moderators' queue beside held posts.

Like posts, they are explained by the verdict stored when they were judged
(deliberation/digiraati/amendments.py), never screened again. A moderator
approves (publishes), cuts what screening marked and publishes, or rejects
with a reason the author sees. Each decision is audited and tells every
moderators' queue (``moderation_decided``, staff).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from deliberation.digiraati.amendments import (
    HELD,
    do_publish_amendment,
    do_publish_comment,
    do_reject_amendment,
    do_reject_comment,
    stored_verdict,
)
from deliberation.digiraati.models import Amendment, AmendmentComment, Section
from deliberation.errors import Conflict, DomainError, NotFound, is_id
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Deliberation, Participant, utcnow
from moderation.audit import Actor, record_action
from moderation.decisions import check_note, check_reason
from moderation.queue import Segment, segments
from moderation.reasons import suggested_reason
from moderation.screening import Finding, redact, remaining_personal_data

KINDS = ("amendment", "comment")
ACTIONS = ("approve", "redact", "reject")


@dataclass
class StatementItem:
    """A held amendment (its text and reason) or amendment comment (its body)."""

    kind: str  # "amendment" | "comment"
    id: int
    pseudonym: str
    session: Deliberation
    section_title: str
    waiting_since: datetime
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    # The amendment's proposed text, or the comment; and the amendment's reason.
    segments: list[Segment] = field(default_factory=list)
    reason_segments: list[Segment] = field(default_factory=list)

    @property
    def suggested_reason(self) -> str:
        return suggested_reason([f.reason for f in self.findings] or list(self.reasons))

    def waiting_seconds(self, now: datetime | None = None) -> int:
        return max(0, int(((now or utcnow()) - self.waiting_since).total_seconds()))


def _split(text: str, findings: tuple[Finding, ...]) -> tuple[list[Finding], list[Finding]]:
    """Findings on "text\\nreason" as findings on the text and on the reason."""
    cut = len(text) + 1
    first = [Finding(f.kind, f.start, min(f.end, len(text)), f.reason)
             for f in findings if f.start < len(text)]
    second = [Finding(f.kind, max(f.start, cut) - cut, f.end - cut, f.reason)
              for f in findings if f.end > cut]
    return first, second


def statement_queue(db: Session, *, deliberation_id: int | None = None) -> list[StatementItem]:
    """Held amendments and comments, oldest first."""
    items: list[StatementItem] = []
    amendments = (select(Amendment, Participant.pseudonym, Section.title, Deliberation)
                  .join(Participant, col(Participant.id) == col(Amendment.participant_id))
                  .join(Section, col(Section.id) == col(Amendment.section_id))
                  .join(Deliberation, col(Deliberation.id) == col(Section.deliberation_id))
                  .where(Amendment.moderation == HELD))
    comments = (select(AmendmentComment, AmendmentComment.author, Section.title, Deliberation)
                .join(Amendment, col(Amendment.id) == col(AmendmentComment.amendment_id))
                .join(Section, col(Section.id) == col(Amendment.section_id))
                .join(Deliberation, col(Deliberation.id) == col(Section.deliberation_id))
                .where(AmendmentComment.status == HELD))
    if deliberation_id is not None:
        amendments = amendments.where(Deliberation.id == deliberation_id)
        comments = comments.where(Deliberation.id == deliberation_id)
    for a, name, title, d in db.exec(amendments).all():
        v = stored_verdict(a)
        on_text, on_reason = _split(a.text, v.findings)
        assert a.id is not None
        items.append(StatementItem("amendment", a.id, name, d, title, a.created_at, v.reasons,
                                   v.findings, segments(a.text, on_text),
                                   segments(a.reason, on_reason)))
    for c, author, title, d in db.exec(comments).all():
        v = stored_verdict(c)
        assert c.id is not None
        items.append(StatementItem("comment", c.id, author, d, title, c.created_at, v.reasons,
                                   v.findings, segments(c.body, v.findings)))
    items.sort(key=lambda i: (i.waiting_since, i.kind, i.id))
    return items


# --- decisions -----------------------------------------------------------------------

def _access(db: Session, kind: object, item_id: object) -> Amendment | AmendmentComment:
    if kind not in KINDS or not is_id(item_id):
        raise NotFound("post_not_found")
    row: Amendment | AmendmentComment | None
    if kind == "amendment":
        row = db.exec(select(Amendment).where(Amendment.id == item_id).with_for_update()).first()
    else:
        row = db.exec(select(AmendmentComment).where(AmendmentComment.id == item_id)
                      .with_for_update()).first()
    if row is None:
        raise NotFound("post_not_found")
    state = row.moderation if isinstance(row, Amendment) else row.status
    if state != HELD:
        raise Conflict("already_decided")
    return row


def _section_of(db: Session, row: Amendment | AmendmentComment) -> Section:
    amendment = row if isinstance(row, Amendment) else db.get(Amendment, row.amendment_id)
    assert amendment is not None
    section = db.get(Section, amendment.section_id)
    assert section is not None
    return section


def _author(db: Session, row: Amendment | AmendmentComment) -> int | None:
    return row.participant_id


def do_decide_statement_text(db: Session, *, kind: object, item_id: object, action: object,
                             actor: Actor, reason: object = None,
                             note: object = "") -> list[EventOut]:
    """Approve, redact (cut what screening marked, publish the rest) or reject a
    held amendment or comment."""
    if action not in ACTIONS:
        raise DomainError("bad_request")
    reason_code = check_reason(reason) if action == "reject" else ""
    text = check_note(note) if action == "reject" else ""
    row = _access(db, kind, item_id)
    d_id = _section_of(db, row).deliberation_id
    events: list[EventOut] = []
    if action == "reject":
        events.append(do_reject_amendment(db, amendment=row, reason=reason_code)
                      if isinstance(row, Amendment) else
                      do_reject_comment(db, comment=row, deliberation_id=d_id,
                                        reason=reason_code))
    else:
        events.append(_publish(db, row, d_id, cut=action == "redact"))
    record_action(db, deliberation_id=d_id, actor=actor, action=str(action),
                  reason=reason_code, participant_id=_author(db, row),
                  note=f"{kind} {row.id}" + (f": {text}" if text else ""))
    events.append(record_event(db, deliberation_id=d_id, kind="moderation_decided",
                               audience=STAFF,
                               data={"what": kind, "id": row.id, "action": action,
                                     "by": actor.name}))
    return events


def _publish(db: Session, row: Amendment | AmendmentComment, d_id: int, *,
             cut: bool) -> EventOut:
    verdict = stored_verdict(row)
    if cut and not verdict.findings:
        raise DomainError("nothing_to_redact")
    if isinstance(row, Amendment):
        author = db.get(Participant, row.participant_id)
        assert author is not None
        if not cut:
            return do_publish_amendment(db, amendment=row, author=author.pseudonym)
        on_text, on_reason = _split(row.text, verdict.findings)
        text = redact(row.text, [(f.start, f.end) for f in on_text])
        why = redact(row.reason, [(f.start, f.end) for f in on_reason])
        _check_clean(f"{text}\n{why}")
        row.findings = "[]"
        return do_publish_amendment(db, amendment=row, author=author.pseudonym, text=text,
                                    reason=why)
    if not cut:
        return do_publish_comment(db, comment=row, deliberation_id=d_id)
    body = redact(row.body, [(f.start, f.end) for f in verdict.findings])
    _check_clean(body)
    row.findings = "[]"
    return do_publish_comment(db, comment=row, deliberation_id=d_id, body=body)


def _check_clean(text: str) -> None:
    # As with posts: a second or disguised copy must not go out with the cut.
    if remaining_personal_data(text):
        raise DomainError("redaction_incomplete")
