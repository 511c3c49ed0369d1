"""A session's texts in Finnish, Swedish and English.

Finnish is the source language and lives on the rows themselves (title,
introduction, closing message, question texts, theme responses); Swedish and
English versions are ContentText rows. Reading picks the asked language and
falls back to Finnish, and every text says which language it really is in, so a
page can mark a Finnish fallback with ``lang="fi"`` (WCAG 3.1.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, select

from deliberation.errors import DomainError
from deliberation.models import ContentText, Deliberation, Question, ThemeResponse

SOURCE_LANG = "fi"
LANGS = ("fi", "sv", "en")
TRANSLATED_LANGS = ("sv", "en")
# What a ContentText row can translate; ref_id says which row for the last three.
FIELDS = ("title", "introduction", "closing", "question", "theme_label", "theme_response")
SESSION_FIELDS = ("title", "introduction", "closing")


@dataclass(frozen=True, slots=True)
class Localized:
    """A text and the language it is written in (may differ from the one asked)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick(versions: Mapping[str, str], lang: str, fallback: str = "") -> Localized:
    """The version in ``lang``, else the Finnish one (``fallback`` when that is
    missing too), marked with its language."""
    own = versions.get(lang, "").strip()
    if own:
        return Localized(own, lang)
    return Localized(versions.get(SOURCE_LANG, "").strip() or fallback, SOURCE_LANG)


@dataclass(frozen=True)
class Translations:
    """Swedish and English versions, keyed by (field, ref_id) then language."""

    texts: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)

    def of(self, name: str, ref_id: int = 0) -> dict[str, str]:
        return self.texts.get((name, ref_id), {})

    def get(self, name: str, lang: str, ref_id: int = 0) -> str:
        return self.of(name, ref_id).get(lang, "")


def translations_of(db: Session, *, deliberation_id: int) -> Translations:
    rows = db.exec(select(ContentText).where(ContentText.deliberation_id == deliberation_id))
    texts: dict[tuple[str, int], dict[str, str]] = {}
    for row in rows:
        texts.setdefault((row.field, row.ref_id), {})[row.lang] = row.text
    return Translations(texts)


@dataclass(frozen=True)
class LocalizedQuestion:
    id: int
    text: Localized


@dataclass(frozen=True)
class SessionContent:
    """What a resident reads of a session, in one language (with fallbacks)."""

    title: Localized
    introduction: Localized
    closing: Localized
    questions: list[LocalizedQuestion]


def localize(t: Translations, d: Deliberation, questions: list[Question],
             lang: str) -> SessionContent:
    def version(name: str, finnish: str, ref_id: int = 0) -> Localized:
        return pick({**t.of(name, ref_id), SOURCE_LANG: finnish}, lang)

    return SessionContent(
        title=version("title", d.title),
        introduction=version("introduction", d.introduction),
        closing=version("closing", d.closing_message),
        questions=[LocalizedQuestion(q.id or 0, version("question", q.text, q.id or 0))
                   for q in questions],
    )


def localize_response(t: Translations, r: ThemeResponse, lang: str) -> tuple[Localized, Localized]:
    """A theme response's label and text in ``lang`` (or Finnish)."""
    rid = r.id or 0
    return (pick({**t.of("theme_label", rid), SOURCE_LANG: r.label}, lang),
            pick({**t.of("theme_response", rid), SOURCE_LANG: r.response}, lang))


def check_lang(lang: str) -> str:
    if lang not in TRANSLATED_LANGS:
        raise DomainError("language_invalid")
    return lang


def set_translation(db: Session, *, deliberation_id: int, name: str, lang: str, text: str,
                    ref_id: int = 0) -> None:
    """Store one Swedish or English version; an empty text removes it (so the
    Finnish one is shown, marked as Finnish)."""
    if name not in FIELDS:
        raise DomainError("content_field_invalid")
    check_lang(lang)
    db.exec(delete(ContentText).where(
        col(ContentText.deliberation_id) == deliberation_id, col(ContentText.field) == name,
        col(ContentText.ref_id) == ref_id, col(ContentText.lang) == lang))
    if text.strip():
        db.add(ContentText(deliberation_id=deliberation_id, field=name, ref_id=ref_id,
                           lang=lang, text=text.strip()))


def forget_translations(db: Session, *, deliberation_id: int, name: str, ref_id: int) -> None:
    db.exec(delete(ContentText).where(
        col(ContentText.deliberation_id) == deliberation_id, col(ContentText.field) == name,
        col(ContentText.ref_id) == ref_id))
