"""Amendments: a panellist proposes replacement text for a section with a
reason; the panel comments and supports; a writer accepts (a new version of
the section) or declines, with a reason. All in the drafting phase.

Amendment and comment texts pass the same screening as posts (judged once,
:func:`deliberation.verdicts.judge`). What screening would hold is stored as
held with its verdict (reasons and findings) and waits for a moderator
(moderation/statement.py): only its author sees it, with the reasons, until a
moderator publishes it; a rejection is told to the author.

Events: ``amendment_proposed`` / ``amendment_comment`` (public) when a text is
published, ``amendment_pending`` / ``amendment_comment_pending`` (the author)
and ``statement_text_held`` (staff) when it is held.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.digiraati.models import (
    Amendment,
    AmendmentComment,
    AmendmentSupport,
    Section,
)
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
from deliberation.events import STAFF, EventOut, participant_audience, record_event
from deliberation.models import Deliberation, Participant, utcnow
from deliberation.posts import iso
from deliberation.text import MAX_POST_CHARS, render_body
from deliberation.verdicts import PUBLISH, Verdict, judge
from moderation.screening import Finding

PUBLISHED, HELD, REJECTED = "published", "held", "rejected"


def _store_verdict(row: Amendment | AmendmentComment, verdict: Verdict) -> None:
    """Keep the verdict with the text, as a post's (never screened again to explain it)."""
    row.verdict = verdict.decision
    row.hold_reasons = " ".join(verdict.reasons)
    row.findings = json.dumps(verdict.findings_data())


def stored_verdict(row: Amendment | AmendmentComment) -> Verdict:
    found = tuple(Finding(f["kind"], f["start"], f["end"], f["reason"])
                  for f in json.loads(row.findings or "[]"))
    return Verdict(row.verdict, tuple(row.hold_reasons.split()), found)


def _held_events(db: Session, d_id: int, *, participant_id: int, kind: str, what: str,
                 row_id: int, data: dict[str, Any]) -> EventOut:
    record_event(db, deliberation_id=d_id, kind="statement_text_held", audience=STAFF,
                 data={"what": what, "id": row_id})
    return record_event(db, deliberation_id=d_id, kind=kind,
                        audience=participant_audience(participant_id), data=data)


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
    verdict = judge(f"{body}\n{why}", d=d, participant=participant, names=names)
    assert section.id is not None and participant.id is not None and d.id is not None
    amendment = Amendment(section_id=section.id, participant_id=participant.id,
                          base_version=section.version, text=body, reason=why,
                          moderation=PUBLISHED if verdict.decision == PUBLISH else HELD)
    _store_verdict(amendment, verdict)
    db.add(amendment)
    db.flush()
    assert amendment.id is not None
    view = amendment_view(amendment, participant.pseudonym)
    if amendment.moderation == HELD:
        return amendment, _held_events(db, d.id, participant_id=participant.id,
                                       kind="amendment_pending", what="amendment",
                                       row_id=amendment.id, data={"amendment": view})
    return amendment, record_event(db, deliberation_id=d.id, kind="amendment_proposed",
                                   data={"amendment": view})


def do_publish_amendment(db: Session, *, amendment: Amendment, author: str,
                         text: str | None = None, reason: str | None = None) -> EventOut:
    """A moderator's publish (the texts cut, on a redaction): the panel sees it now."""
    if text is not None:
        amendment.text = text
    if reason is not None:
        amendment.reason = reason
    amendment.moderation = PUBLISHED
    db.add(amendment)
    db.flush()
    section = db.get(Section, amendment.section_id)
    assert section is not None
    return record_event(db, deliberation_id=section.deliberation_id, kind="amendment_proposed",
                        data={"amendment": amendment_view(amendment, author)})


def do_reject_amendment(db: Session, *, amendment: Amendment, reason: str) -> EventOut:
    amendment.moderation, amendment.rejection_reason = REJECTED, reason
    db.add(amendment)
    db.flush()
    section = db.get(Section, amendment.section_id)
    assert section is not None
    return record_event(db, deliberation_id=section.deliberation_id, kind="amendment_rejected",
                        audience=participant_audience(amendment.participant_id),
                        data={"amendment_id": amendment.id, "section_id": amendment.section_id,
                              "reason": reason})


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
    if amendment.moderation != PUBLISHED:  # the panel does not see it (yet)
        raise NotFound("amendment_not_found")
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
    verdict = judge(text, d=d, participant=participant, names=names)
    assert amendment.id is not None and d.id is not None and participant.id is not None
    comment = AmendmentComment(amendment_id=amendment.id, author=participant.pseudonym,
                               participant_id=participant.id, body=text,
                               status=PUBLISHED if verdict.decision == PUBLISH else HELD)
    _store_verdict(comment, verdict)
    db.add(comment)
    db.flush()
    assert comment.id is not None
    if comment.status == HELD:
        return _held_events(db, d.id, participant_id=participant.id,
                            kind="amendment_comment_pending", what="comment",
                            row_id=comment.id, data=comment_event(comment))
    return record_event(db, deliberation_id=d.id, kind="amendment_comment",
                        data=comment_event(comment))


def comment_event(c: AmendmentComment) -> dict[str, Any]:
    return {"amendment_id": c.amendment_id, "author": c.author,
            "body_html": render_body(c.body), "id": c.id}


def do_publish_comment(db: Session, *, comment: AmendmentComment, deliberation_id: int,
                       body: str | None = None) -> EventOut:
    if body is not None:
        comment.body = body
    comment.status = PUBLISHED
    db.add(comment)
    db.flush()
    return record_event(db, deliberation_id=deliberation_id, kind="amendment_comment",
                        data=comment_event(comment))


def do_reject_comment(db: Session, *, comment: AmendmentComment, deliberation_id: int,
                      reason: str) -> EventOut:
    comment.status, comment.rejection_reason = REJECTED, reason
    db.add(comment)
    db.flush()
    assert comment.participant_id is not None
    return record_event(db, deliberation_id=deliberation_id, kind="amendment_comment_rejected",
                        audience=participant_audience(comment.participant_id),
                        data={"amendment_id": comment.amendment_id, "id": comment.id,
                              "reason": reason})


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
    """What the page shows; ``moderation`` and ``hold_reasons`` only reach the
    author while the amendment is not published (the panel never sees it)."""
    return {"id": a.id, "section_id": a.section_id, "author": author,
            "base_version": a.base_version, "text": a.text, "text_html": render_body(a.text),
            "reason_html": render_body(a.reason), "status": a.status,
            "decision_reason": a.decision_reason, "support_count": a.support_count,
            "created_at": iso(a.created_at), "moderation": a.moderation,
            "hold_reasons": a.hold_reasons.split() if a.moderation != PUBLISHED else [],
            "rejection_reason": a.rejection_reason}


def _visible(moderation: str, owner: int | None, viewer_id: int | None) -> bool:
    return moderation == PUBLISHED or (viewer_id is not None and owner == viewer_id)


def amendments_of(db: Session, d: Deliberation, section_id: int, *,
                  viewer_id: int | None = None,
                  amendment_id: int | None = None) -> list[dict[str, Any]]:
    """The section's amendments (or the one ``amendment_id``) and their comments as
    the viewer sees them: published ones, and the viewer's own held or rejected."""
    access_section(db, d, section_id)
    query = (select(Amendment, Participant.pseudonym)
             .join(Participant, col(Participant.id) == col(Amendment.participant_id))
             .where(Amendment.section_id == section_id))
    if amendment_id is not None:
        query = query.where(Amendment.id == amendment_id)
    rows = [(a, name) for a, name in db.exec(query.order_by(col(Amendment.id))).all()
            if _visible(a.moderation, a.participant_id, viewer_id)]
    comments: dict[int, list[dict[str, Any]]] = {}
    ids = [a.id for a, _ in rows]
    for c in db.exec(select(AmendmentComment).where(col(AmendmentComment.amendment_id).in_(ids))
                     .order_by(col(AmendmentComment.id))).all():
        if _visible(c.status, c.participant_id, viewer_id):
            comments.setdefault(c.amendment_id, []).append(
                {"id": c.id, "author": c.author, "body_html": render_body(c.body),
                 "moderation": c.status, "rejection_reason": c.rejection_reason,
                 "hold_reasons": c.hold_reasons.split() if c.status != PUBLISHED else []})
    out = []
    for a, name in rows:
        view = amendment_view(a, name)
        view["comments"] = comments.get(a.id or 0, [])
        out.append(view)
    return out
