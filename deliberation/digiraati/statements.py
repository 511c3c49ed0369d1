"""The joint statement: sections, their versions (kept forever), word diffs,
and conflict-safe saves.

A save names the version it started from. If someone saved in between, the
save is refused with :class:`EditConflict`, which carries both texts, so the
writer loses nothing and decides. The unique (section, number) key makes the
check hold even when two saves race past it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from deliberation.digiraati.models import Section, SectionVersion
from deliberation.digiraati.phases import check_phase_open
from deliberation.digiraati.rules import require_panellist
from deliberation.digiraati.texts import MAX_SECTION_CHARS, check_text
from deliberation.errors import Conflict, DomainError, Forbidden, NotFound, is_id
from deliberation.events import EventOut, record_event
from deliberation.models import Deliberation, Participant, utcnow
from deliberation.text import MAX_TITLE_CHARS

MAX_SECTIONS = 30


class EditConflict(Conflict):
    """Someone saved the section after the version this save started from."""

    def __init__(self, *, section_id: int, base: int, current: int, current_text: str,
                 your_text: str) -> None:
        super().__init__("edit_conflict", section_id=section_id, base=base, current=current)
        self.current_text = current_text
        self.your_text = your_text


@dataclass(frozen=True)
class Writer:
    """Who saves: the facilitator (staff) or a panellist chosen as a writer."""

    name: str
    participant: Participant | None = None
    staff: bool = False


def check_writer(db: Session, d: Deliberation, writer: Writer) -> None:
    if writer.staff:
        return
    member = require_panellist(db, d, writer.participant)
    if not member.writer:
        raise Forbidden("not_writer")


def access_section(db: Session, d: Deliberation, section_id: object) -> Section:
    if not is_id(section_id):
        raise NotFound("section_not_found")
    section = db.get(Section, section_id)
    if section is None or section.deliberation_id != d.id:
        raise NotFound("section_not_found")
    return section


def sections_of(db: Session, d: Deliberation) -> list[Section]:
    return list(db.exec(select(Section).where(Section.deliberation_id == d.id)
                        .order_by(col(Section.position), col(Section.id))).all())


def _check_title(title: object) -> str:
    return check_text(title, limit=MAX_TITLE_CHARS, empty_code="title_required",
                      long_code="title_too_long")


def _check_body(text: object) -> str:
    return check_text(text, limit=MAX_SECTION_CHARS, empty_code="section_empty",
                      long_code="section_too_long")


def do_add_section(db: Session, *, d: Deliberation, title: object, text: object,
                   author: str) -> tuple[Section, EventOut]:
    """The facilitator adds a section (in the drafting phase or before it)."""
    existing = sections_of(db, d)
    if len(existing) >= MAX_SECTIONS:
        raise DomainError("too_many_sections", limit=MAX_SECTIONS)
    assert d.id is not None
    section = Section(deliberation_id=d.id, position=len(existing), title=_check_title(title),
                      version=1)
    db.add(section)
    db.flush()
    assert section.id is not None
    db.add(SectionVersion(section_id=section.id, number=1, text=_check_body(text), author=author))
    db.flush()
    return section, record_event(db, deliberation_id=d.id, kind="section_added",
                                 data={"section": section_view(db, section)})


def current_text(db: Session, section: Section) -> str:
    return version_of(db, section, section.version).text


def version_of(db: Session, section: Section, number: object) -> SectionVersion:
    if not is_id(number):
        raise NotFound("version_not_found")
    v = db.exec(select(SectionVersion).where(SectionVersion.section_id == section.id,
                                             SectionVersion.number == number)).first()
    if v is None:
        raise NotFound("version_not_found")
    return v


def versions_of(db: Session, section: Section) -> list[SectionVersion]:
    return list(db.exec(select(SectionVersion).where(SectionVersion.section_id == section.id)
                        .order_by(col(SectionVersion.number))).all())


def save_version(db: Session, *, d: Deliberation, section: Section, base: object, text: str,
                 author: str, amendment_id: int | None = None,
                 now: datetime | None = None) -> EventOut:
    """Store ``text`` as the next version if ``base`` is still the newest."""
    assert section.id is not None and d.id is not None
    if not is_id(base):
        raise DomainError("version_required")
    # Claim the next number in SQL: only one of two racing saves from the same
    # base changes the row; the loser sees zero rows and gets the conflict.
    claimed = db.execute(update(Section).where(col(Section.id) == section.id,
                                               col(Section.version) == base)
                         .values(version=base + 1))
    if getattr(claimed, "rowcount", 0) != 1:
        db.refresh(section)
        raise EditConflict(section_id=section.id, base=base, current=section.version,
                           current_text=current_text(db, section), your_text=text)
    try:
        with db.begin_nested():
            db.add(SectionVersion(section_id=section.id, number=base + 1, text=text,
                                  author=author, amendment_id=amendment_id,
                                  created_at=now or utcnow()))
            db.flush()
    except IntegrityError as exc:  # pragma: no cover - the UPDATE above already serialises
        raise DomainError("edit_conflict") from exc
    db.refresh(section)
    return record_event(db, deliberation_id=d.id, kind="section_saved",
                        data={"section": section_view(db, section)})


def do_save_section(db: Session, *, d: Deliberation, writer: Writer, section_id: object,
                    base: object, text: object, now: datetime | None = None) -> EventOut:
    """A writer's save in the drafting phase (optimistic: see EditConflict)."""
    check_writer(db, d, writer)
    check_phase_open(db, d, "drafting", now)
    section = access_section(db, d, section_id)
    body = _check_body(text)
    return save_version(db, d=d, section=section, base=base, text=body, author=writer.name,
                        now=now)


def do_choose_writer(db: Session, *, d: Deliberation, participant: Participant,
                     writer: bool) -> EventOut:
    member = require_panellist(db, d, participant)
    member.writer = writer
    db.add(member)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="writer_changed",
                        data={"name": participant.pseudonym, "writer": writer})


# --- diff ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffPart:
    op: str  # "same" | "added" | "removed"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The changed words between two texts (whitespace kept, so the text reads)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("added", "".join(b[j1:j2])))
    return parts


def compare_versions(db: Session, d: Deliberation, section_id: object, old: object,
                     new: object) -> tuple[SectionVersion, SectionVersion, list[DiffPart]]:
    section = access_section(db, d, section_id)
    a, b = version_of(db, section, old), version_of(db, section, new)
    return a, b, word_diff(a.text, b.text)


# --- reading -------------------------------------------------------------------------

def section_view(db: Session, section: Section) -> dict[str, Any]:
    from deliberation.text import render_body

    text = current_text(db, section)
    return {"id": section.id, "title": section.title, "version": section.version,
            "text": text, "text_html": render_body(text), "position": section.position}
