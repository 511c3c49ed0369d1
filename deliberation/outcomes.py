"""Closing the loop: what the county did with residents' input.

After a session closes, staff write a response per theme (the theme report's
themes, copied here because reports are recomputed) with a status, then
publish them all at once. Anyone can read them; residents who took part see a
notice on their next visit until they have seen the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from deliberation.content import TRANSLATED_LANGS, forget_translations, set_translation
from deliberation.errors import DomainError
from deliberation.events import EventOut
from deliberation.lifecycle import RESULTS, check_can_publish_results, record_stage_change, stage_of
from deliberation.models import Deliberation, Participant, Post, Support, ThemeResponse, utcnow
from deliberation.text import MAX_TITLE_CHARS

# What became of a theme, in the order a reader expects them.
STATUSES = ("done", "in_progress", "planned", "considered", "not_taken_forward")
MAX_RESPONSE_CHARS = 5000
MAX_RESPONSES = 50


@dataclass(frozen=True)
class ResponseForm:
    """One theme's response as staff fill it in; ``versions`` maps "sv"/"en"
    to (label, response)."""

    label: str
    response: str
    status: str = "considered"
    post_count: int = 0
    id: int | None = None
    versions: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def responses_of(db: Session, *, deliberation_id: int) -> list[ThemeResponse]:
    return list(db.exec(select(ThemeResponse)
                        .where(ThemeResponse.deliberation_id == deliberation_id)
                        .order_by(col(ThemeResponse.position), col(ThemeResponse.id))).all())


def check_response_form(item: ResponseForm) -> ResponseForm:
    label = item.label.strip()
    if not label:
        raise DomainError("theme_label_required")
    if len(label) > MAX_TITLE_CHARS:
        raise DomainError("title_too_long", limit=MAX_TITLE_CHARS)
    if item.status not in STATUSES:
        raise DomainError("response_status_invalid")
    texts = [item.response, *(r for _, r in item.versions.values())]
    if any(len(t) > MAX_RESPONSE_CHARS for t in texts):
        raise DomainError("response_too_long", limit=MAX_RESPONSE_CHARS)
    if any(lang not in TRANSLATED_LANGS for lang in item.versions):
        raise DomainError("language_invalid")
    return ResponseForm(label, item.response.strip(), item.status, max(item.post_count, 0),
                        item.id, item.versions)


def do_save_responses(db: Session, *, d: Deliberation,
                      items: Sequence[ResponseForm]) -> list[ThemeResponse]:
    """Replace the session's responses with ``items`` (kept rows by id, new rows
    for the rest; rows not listed are removed). Residents see them only once
    the results are published."""
    assert d.id is not None
    if len(items) > MAX_RESPONSES:
        raise DomainError("too_many_responses", limit=MAX_RESPONSES)
    checked = [check_response_form(i) for i in items]
    existing = {r.id: r for r in responses_of(db, deliberation_id=d.id)}
    saved: list[ThemeResponse] = []
    for position, item in enumerate(checked):
        row = existing.pop(item.id, None) or ThemeResponse(deliberation_id=d.id, label="")
        row.position, row.label, row.response = position, item.label, item.response
        row.status, row.post_count, row.updated_at = item.status, item.post_count, utcnow()
        db.add(row)
        db.flush()
        assert row.id is not None
        for lang in TRANSLATED_LANGS:
            label, text = item.versions.get(lang, ("", ""))
            for name, value in (("theme_label", label), ("theme_response", text)):
                set_translation(db, deliberation_id=d.id, name=name, lang=lang, text=value,
                                ref_id=row.id)
        saved.append(row)
    for gone in existing.values():
        for name in ("theme_label", "theme_response"):
            forget_translations(db, deliberation_id=d.id, name=name, ref_id=gone.id or 0)
        db.delete(gone)
    db.flush()
    return saved


def forms_from_themes(themes: Sequence[Mapping[str, object]],
                      existing: Sequence[ThemeResponse]) -> list[ResponseForm]:
    """Responses to start from: the stored ones, then one per theme of the theme
    report (``label`` and ``size``) that has none yet."""
    forms = [ResponseForm(r.label, r.response, r.status, r.post_count, r.id) for r in existing]
    known = {r.label for r in existing}
    for theme in themes:
        label = str(theme.get("label") or "").strip()[:MAX_TITLE_CHARS]
        size = theme.get("size")
        if label and label not in known:
            forms.append(ResponseForm(label, "", post_count=size if isinstance(size, int) else 0))
            known.add(label)
    return forms


def do_publish_results(db: Session, *, d: Deliberation, role: str | None,
                       now: datetime | None = None) -> EventOut:
    """Publish the responses: needs a closed session and at least one response text."""
    check_can_publish_results(d, role, now)
    assert d.id is not None
    if not any(r.response for r in responses_of(db, deliberation_id=d.id)):
        raise DomainError("results_need_a_response")
    d.results_published_at = now or utcnow()
    return record_stage_change(db, d, "results_published")


def took_part(db: Session, *, participant: Participant) -> bool:
    """Whether a resident wrote or supported something (visiting is not taking part)."""
    posts = db.exec(select(func.count()).select_from(Post)
                    .where(Post.participant_id == participant.id)).one()
    if posts:
        return True
    return bool(db.exec(select(func.count()).select_from(Support)
                        .where(Support.participant_id == participant.id)).one())


def results_notice_due(db: Session, *, d: Deliberation, participant: Participant | None,
                       now: datetime | None = None) -> bool:
    """Whether a returning resident should be told the results are out."""
    if participant is None or stage_of(d, now) != RESULTS:
        return False
    seen = participant.results_seen_at
    if seen is not None and d.results_published_at is not None \
            and seen >= d.results_published_at:
        return False
    return took_part(db, participant=participant)


def do_mark_results_seen(db: Session, *, participant: Participant,
                         now: datetime | None = None) -> None:
    # Private to this resident: nothing to announce, so no event.
    participant.results_seen_at = now or utcnow()
    db.add(participant)
    db.flush()


def answered_share(db: Session, *, deliberation_id: int) -> tuple[int, int]:
    """(themes with a response text, themes) of a session."""
    rows = responses_of(db, deliberation_id=deliberation_id)
    return sum(1 for r in rows if r.response), len(rows)
