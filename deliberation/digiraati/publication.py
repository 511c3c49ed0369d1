"""Publishing the statement, the county's response per section, the figures
for the annual report, and the exports (Markdown, CSV, JSON).

The public statement carries categories only: never names, contacts or the
volunteers' rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from deliberation.digiraati.hearing import experts_of
from deliberation.digiraati.models import (
    Amendment,
    HearingAnswer,
    HearingQuestion,
    Invitation,
    PanelMember,
    SectionResponse,
    Vote,
)
from deliberation.digiraati.panels import do_delete_contacts, panel_composition
from deliberation.digiraati.phases import do_open_phase, do_sync_schedule
from deliberation.digiraati.rules import digiraati_of
from deliberation.digiraati.statements import access_section, current_text, sections_of
from deliberation.digiraati.texts import MAX_REASON_CHARS, check_text
from deliberation.digiraati.votes import CHOICES, results, results_visible
from deliberation.errors import DomainError
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, Post, utcnow
from deliberation.sessions import state_of

RESPONSE_STATUSES = ("accepted", "partly", "not_taken")


def do_tick(db: Session, *, d: Deliberation, now: datetime | None = None) -> list[EventOut]:
    """What time alone changes: phases on schedule, and the contacts deleted
    once the digiraati has closed."""
    events = do_sync_schedule(db, d=d, now=now)
    if state_of(d, now) == "closed":
        deleted = do_delete_contacts(db, d=d, now=now)
        if deleted is not None:
            events.append(deleted)
    return events


def do_publish(db: Session, *, d: Deliberation, now: datetime | None = None) -> list[EventOut]:
    raati = digiraati_of(db, d)
    if raati.published_at is not None:
        raise DomainError("statement_already_published")
    if not sections_of(db, d):
        raise DomainError("statement_empty")
    if not results_visible(db, d, now):
        raise DomainError("voting_not_closed")
    raati.published_at = now or utcnow()
    db.add(raati)
    events = do_open_phase(db, d=d, name="published", now=now)
    assert d.id is not None
    events.append(record_event(db, deliberation_id=d.id, kind="statement_published", data={}))
    return events


def do_respond(db: Session, *, d: Deliberation, section_id: object, status: object,
               reasons: object, responded_on: date) -> EventOut:
    """The county's response to a section; recording it again replaces it."""
    if digiraati_of(db, d).published_at is None:
        raise DomainError("not_published")
    section = access_section(db, d, section_id)
    if status not in RESPONSE_STATUSES:
        raise DomainError("county_response_status_invalid")
    why = check_text(reasons, limit=MAX_REASON_CHARS, empty_code="reason_required",
                     long_code="reason_too_long")
    assert section.id is not None and d.id is not None
    row = db.exec(select(SectionResponse).where(
        SectionResponse.section_id == section.id)).first() or SectionResponse(
        section_id=section.id, status=str(status), reasons=why, responded_on=responded_on)
    row.status, row.reasons, row.responded_on, row.updated_at = (
        str(status), why, responded_on, utcnow())
    db.add(row)
    db.flush()
    return record_event(db, deliberation_id=d.id, kind="section_response",
                        data={"section_id": section.id, "status": row.status,
                              "reasons": why, "responded_on": responded_on.isoformat()})


def _count(db: Session, query: Any) -> int:
    return int(db.exec(query).one())


def participation(db: Session, d: Deliberation) -> dict[str, int]:
    """Invited, took part (posted, asked, proposed or voted), posts, questions answered."""
    members = list(db.exec(select(PanelMember.participant_id)
                           .where(PanelMember.deliberation_id == d.id)).all())
    active: set[int] = set(db.exec(select(Post.participant_id).where(
        Post.deliberation_id == d.id, col(Post.participant_id).in_(members))).all())
    section_ids = [s.id for s in sections_of(db, d)]
    active |= set(db.exec(select(Vote.participant_id)
                          .where(col(Vote.section_id).in_(section_ids))).all())
    active |= set(db.exec(select(Amendment.participant_id)
                          .where(col(Amendment.section_id).in_(section_ids))).all())
    answered = _count(db, select(func.count(func.distinct(HearingQuestion.post_id)))
                      .select_from(HearingQuestion)
                      .outerjoin(HearingAnswer,
                                 col(HearingAnswer.post_id) == col(HearingQuestion.post_id))
                      .where(HearingQuestion.deliberation_id == d.id,
                             col(HearingQuestion.merged_into).is_(None),
                             col(HearingQuestion.answered_at).is_not(None)
                             | col(HearingAnswer.id).is_not(None)))
    return {
        "invited": _count(db, select(func.count()).select_from(Invitation).where(
            Invitation.deliberation_id == d.id, col(Invitation.revoked_at).is_(None))),
        "panellists": len(members),
        "took_part": len(active),
        "posts": _count(db, select(func.count()).select_from(Post).where(
            Post.deliberation_id == d.id, Post.status == "published")),
        "questions_answered": answered,
    }


def statement(db: Session, d: Deliberation, *, now: datetime | None = None) -> dict[str, Any]:
    """The published statement as data: the public page, JSON and exports."""
    raati = digiraati_of(db, d)
    visible = results_visible(db, d, now)
    by_section = {r.section_id: r for r in results(db, d, now=now)} if visible else {}
    responses = {r.section_id: r for r in db.exec(select(SectionResponse).where(
        col(SectionResponse.section_id).in_([s.id for s in sections_of(db, d)]))).all()}
    sections = []
    for s in sections_of(db, d):
        assert s.id is not None
        result = by_section.get(s.id)
        response = responses.get(s.id)
        sections.append({
            "id": s.id, "title": s.title, "version": s.version, "text": current_text(db, s),
            "votes": None if result is None else {
                "counts": result.counts, "total": result.total,
                "shares": {c: round(result.share(c), 4) for c in CHOICES}},
            "response": None if response is None else {
                "status": response.status, "reasons": response.reasons,
                "responded_on": response.responded_on.isoformat()},
        })
    return {
        "title": d.title, "slug": d.slug, "published": raati.published_at is not None,
        "published_at": raati.published_at.isoformat() if raati.published_at else None,
        "seed": raati.seed, "algorithm": raati.algorithm,
        "background_html": raati.background_html,
        "experts": [e.display_name for e in experts_of(db, d)],
        "composition": [{"category": r.category, "value": r.value, "count": r.count,
                         "min": r.min, "max": r.max} for r in panel_composition(db, d)],
        "participation": participation(db, d),
        "sections": sections,
    }


_CHOICE_WORDS = {"agree": "agree", "accept": "can accept", "disagree": "disagree"}


def to_markdown(data: dict[str, Any], words: dict[str, str] | None = None) -> str:
    """The statement as Markdown; ``words`` translates the fixed labels."""
    w = {**_CHOICE_WORDS, "votes": "Votes", "response": "Response",
         "composition": "Panel composition", **(words or {})}
    lines = [f"# {data['title']}", ""]
    for s in data["sections"]:
        lines += [f"## {s['title']}", "", s["text"], ""]
        if s["votes"]:
            counts = ", ".join(f"{w[c]} {s['votes']['counts'][c]}" for c in CHOICES)
            lines += [f"**{w['votes']}:** {counts}", ""]
        if s["response"]:
            r = s["response"]
            lines += [f"**{w['response']} ({r['responded_on']}, {w.get(r['status'], r['status'])}):**"
                      f" {r['reasons']}", ""]
    lines += [f"## {w['composition']}", ""]
    lines += [f"- {r['category']}: {r['value']} {r['count']} ({r['min']}–{r['max']})"
              for r in data["composition"]]
    return "\n".join(lines) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "title", "text", *CHOICES, "total", "response_status",
                     "response_reasons", "responded_on"])
    for number, s in enumerate(data["sections"], start=1):
        votes = s["votes"] or {"counts": dict.fromkeys(CHOICES, ""), "total": ""}
        resp = s["response"] or {"status": "", "reasons": "", "responded_on": ""}
        writer.writerow([number, s["title"], s["text"], *(votes["counts"][c] for c in CHOICES),
                         votes["total"], resp["status"], resp["reasons"], resp["responded_on"]])
    return out.getvalue()
