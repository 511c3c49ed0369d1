"""Amendments: a panellist proposes replacement text for a section with a
reason; the panel comments and supports; a writer accepts (a new version of
the section) or declines, with a reason. All in the drafting phase.

Amendment and comment texts pass the same screening as posts; what screening
would hold is refused with its reasons instead, and the form keeps the text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Amendment, AmendmentComment, AmendmentSupport
from deliberation.digiraati.phases import check_phase_open
from deliberation.digiraati.rules import require_panellist
from deliberation.digiraati.statements import (
    Writer,
    access_section,
    check_writer,
    save_version,
)
from deliberation.digiraati.texts import MAX_REASON_CHARS, MAX_SECTION_CHARS, check_text
from deliberation.errors import DomainError, NotFound, is_id
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, Participant, utcnow
from deliberation.posts import iso
from deliberation.text import MAX_POST_CHARS, render_body
from deliberation.verdicts import PUBLISH, judge


def _screened(db: Session, d: Deliberation, participant: Participant, text: str,
              names: bool) -> None:
    verdict = judge(text, d=d, participant=participant, names=names)
    if verdict.decision != PUBLISH:
        raise DomainError("text_held", reasons=list(verdict.reasons))


def do_propose(db: Session, *, d: Deliberation, participant: Participant, section_id: object,
               text: object, reason: object, names: bool = True,
               now: datetime | None = None) -> tuple[Amendment, EventOut]:
    require_panellist(db, d, participant)
    check_phase_open(db, d, "drafting", now)
    section = access_section(db, d, section_id)
    body = check_text(text, limit=MAX_SECTION_CHARS, empty_code="amendment_empty",
                      long_code="section_too_long")
    why = check_text(reason, limit=MAX_REASON_CHARS, empty_code="reason_required",
                     long_code="reason_too_long")
    _screened(db, d, participant, f"{body}\n{why}", names)
    assert section.id is not None and participant.id is not None and d.id is not None
    amendment = Amendment(section_id=section.id, participant_id=participant.id,
                          base_version=section.version, text=body, reason=why)
    db.add(amendment)
    db.flush()
    return amendment, record_event(
        db, deliberation_id=d.id, kind="amendment_proposed",
        data={"amendment": amendment_view(amendment, participant.pseudonym)})


def access_amendment(db: Session, d: Deliberation, amendment_id: object) -> Amendment:
    if not is_id(amendment_id):
        raise NotFound("amendment_not_found")
    amendment = db.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound("amendment_not_found")
    access_section(db, d, amendment.section_id)
    return amendment


def _open_amendment(db: Session, d: Deliberation, amendment_id: object) -> Amendment:
    amendment = access_amendment(db, d, amendment_id)
    if amendment.status != "open":
        raise DomainError("amendment_decided")
    return amendment


def do_comment(db: Session, *, d: Deliberation, participant: Participant, amendment_id: object,
               body: object, names: bool = True, now: datetime | None = None) -> EventOut:
    require_panellist(db, d, participant)
    check_phase_open(db, d, "drafting", now)
    amendment = _open_amendment(db, d, amendment_id)
    text = check_text(body, limit=MAX_POST_CHARS, empty_code="post_empty",
                      long_code="post_too_long")
    _screened(db, d, participant, text, names)
    assert amendment.id is not None and d.id is not None
    comment = AmendmentComment(amendment_id=amendment.id, author=participant.pseudonym,
                               participant_id=participant.id, body=text)
    db.add(comment)
    db.flush()
    return record_event(db, deliberation_id=d.id, kind="amendment_comment",
                        data={"amendment_id": amendment.id, "author": comment.author,
                              "body_html": render_body(text), "id": comment.id})


def do_toggle_amendment_support(db: Session, *, d: Deliberation, participant: Participant,
                                amendment_id: object, now: datetime | None = None
                                ) -> tuple[bool, EventOut]:
    """Support an amendment, or take the support back: one per panellist."""
    require_panellist(db, d, participant)
    check_phase_open(db, d, "drafting", now)
    amendment = _open_amendment(db, d, amendment_id)
    if amendment.participant_id == participant.id:
        raise DomainError("support_own_post")
    assert amendment.id is not None and d.id is not None and participant.id is not None
    # Lock the amendment first so that toggles queue (as posts' supports do).
    db.execute(update(Amendment).where(col(Amendment.id) == amendment.id)
               .values(support_count=col(Amendment.support_count)))
    existing = db.exec(select(AmendmentSupport).where(
        AmendmentSupport.amendment_id == amendment.id,
        AmendmentSupport.participant_id == participant.id)).first()
    if existing is None:
        db.add(AmendmentSupport(amendment_id=amendment.id, participant_id=participant.id))
    else:
        db.delete(existing)
    db.flush()
    count = int(db.exec(select(func.count()).select_from(AmendmentSupport)
                        .where(AmendmentSupport.amendment_id == amendment.id)).one())
    db.execute(update(Amendment).where(col(Amendment.id) == amendment.id)
               .values(support_count=count))
    db.refresh(amendment)
    return existing is None, record_event(
        db, deliberation_id=d.id, kind="amendment_support",
        data={"amendment_id": amendment.id, "support_count": count})


def do_decide(db: Session, *, d: Deliberation, writer: Writer, amendment_id: object,
              accept: bool, reason: object, now: datetime | None = None) -> list[EventOut]:
    """A writer accepts (the text becomes the section's next version) or
    declines; a decline needs a reason."""
    check_writer(db, d, writer)
    check_phase_open(db, d, "drafting", now)
    amendment = _open_amendment(db, d, amendment_id)
    why = "" if accept and not (isinstance(reason, str) and reason.strip()) else check_text(
        reason, limit=MAX_REASON_CHARS, empty_code="reason_required",
        long_code="reason_too_long")
    events: list[EventOut] = []
    if accept:
        section = access_section(db, d, amendment.section_id)
        # The writer accepts the amendment onto the text as it is now.
        events.append(save_version(db, d=d, section=section, base=section.version,
                                   text=amendment.text, author=writer.name,
                                   amendment_id=amendment.id, now=now))
    amendment.status = "accepted" if accept else "declined"
    amendment.decision_reason, amendment.decided_at = why, now or utcnow()
    db.add(amendment)
    db.flush()
    assert d.id is not None
    events.append(record_event(db, deliberation_id=d.id, kind="amendment_decided",
                               data={"amendment_id": amendment.id, "status": amendment.status,
                                     "reason": why}))
    return events


# --- reading -------------------------------------------------------------------------

def amendment_view(a: Amendment, author: str) -> dict[str, Any]:
    return {"id": a.id, "section_id": a.section_id, "author": author,
            "base_version": a.base_version, "text": a.text, "text_html": render_body(a.text),
            "reason_html": render_body(a.reason), "status": a.status,
            "decision_reason": a.decision_reason, "support_count": a.support_count,
            "created_at": iso(a.created_at)}


def amendments_of(db: Session, d: Deliberation, section_id: int) -> list[dict[str, Any]]:
    access_section(db, d, section_id)
    rows = db.exec(select(Amendment, Participant.pseudonym)
                   .join(Participant, col(Participant.id) == col(Amendment.participant_id))
                   .where(Amendment.section_id == section_id)
                   .order_by(col(Amendment.id))).all()
    comments: dict[int, list[dict[str, Any]]] = {}
    ids = [a.id for a, _ in rows]
    for c in db.exec(select(AmendmentComment).where(col(AmendmentComment.amendment_id).in_(ids))
                     .order_by(col(AmendmentComment.id))).all():
        comments.setdefault(c.amendment_id, []).append(
            {"id": c.id, "author": c.author, "body_html": render_body(c.body)})
    out = []
    for a, name in rows:
        view = amendment_view(a, name)
        view["comments"] = comments.get(a.id or 0, [])
        out.append(view)
    return out
