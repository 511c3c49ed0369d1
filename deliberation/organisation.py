"""The organisation running this Raati (a wellbeing services county): its name,
logo, contact, privacy notice, discussion rules and the accessibility
statement template an admin completes. Shown on every page, so a resident
arriving from a newspaper link can tell it is an official service.

Texts have Finnish, Swedish and English versions (missing ones fall back to
Finnish, marked with its language); addresses and the logo do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from deliberation.content import LANGS, SOURCE_LANG, Localized, pick
from deliberation.errors import DomainError
from deliberation.models import Organisation, OrganisationText, utcnow
from deliberation.permissions import is_admin

ORGANISATION_ID = 1
TEXT_FIELDS = ("name", "contact", "privacy_notice", "rules", "a11y_known_issues")
CONFORMANCE = ("full", "partial", "none")
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 20_000
MAX_LOGO_BYTES = 512 * 1024
# Raster images only: an SVG logo could carry script into every page.
_LOGO_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^[0-9 +()-]{5,40}$")


@dataclass(frozen=True)
class OrganisationForm:
    """What an admin fills in; ``texts`` maps (field, lang) to text."""

    texts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    logo_url: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website_url: str = ""
    privacy_url: str = ""
    a11y_conformance: str = "partial"
    a11y_assessed_on: date | None = None
    a11y_feedback_email: str = ""


@dataclass(frozen=True)
class OrganisationView:
    """The settings as pages use them."""

    row: Organisation
    texts: dict[str, dict[str, str]]

    def text(self, name: str, lang: str, fallback: str = "") -> Localized:
        return pick(self.texts.get(name, {}), lang, fallback)

    def name(self, lang: str) -> Localized:
        return self.text("name", lang, "Raati")

    @property
    def has_logo(self) -> bool:
        return bool(self.row.logo_bytes) or bool(self.row.logo_url)

    @property
    def statement_complete(self) -> bool:
        """Whether the accessibility statement template is filled in enough to publish."""
        r = self.row
        return r.a11y_assessed_on is not None and bool(r.a11y_feedback_email or r.contact_email)


def _check_url(value: str) -> str:
    url = value.strip()
    if url and (not url.startswith(("https://", "http://")) or len(url) > 500
                or any(c.isspace() for c in url)):
        raise DomainError("url_invalid")
    return url


def _check_email(value: str) -> str:
    email = value.strip()
    if email and (len(email) > 200 or not _EMAIL_RE.match(email)):
        raise DomainError("email_invalid")
    return email


def check_organisation_form(form: OrganisationForm) -> OrganisationForm:
    texts: dict[tuple[str, str], str] = {}
    for (name, lang), text in form.texts.items():
        if name not in TEXT_FIELDS or lang not in LANGS:
            raise DomainError("content_field_invalid")
        limit = MAX_NAME_CHARS if name == "name" else MAX_TEXT_CHARS
        if len(text.strip()) > limit:
            raise DomainError("text_too_long", limit=limit)
        texts[(name, lang)] = text.strip()
    if not texts.get(("name", SOURCE_LANG)):
        raise DomainError("organisation_name_required")
    phone = form.contact_phone.strip()
    if phone and not _PHONE_RE.match(phone):
        raise DomainError("phone_invalid")
    if form.a11y_conformance not in CONFORMANCE:
        raise DomainError("conformance_invalid")
    return OrganisationForm(
        texts, _check_url(form.logo_url), _check_email(form.contact_email), phone,
        _check_url(form.website_url), _check_url(form.privacy_url), form.a11y_conformance,
        form.a11y_assessed_on, _check_email(form.a11y_feedback_email),
    )


def _row(db: Session) -> Organisation | None:
    return db.get(Organisation, ORGANISATION_ID)


def organisation(db: Session) -> OrganisationView:
    """The settings (empty ones before an admin has saved any)."""
    row = _row(db) or Organisation(id=ORGANISATION_ID)
    texts: dict[str, dict[str, str]] = {}
    for t in db.exec(select(OrganisationText)):
        texts.setdefault(t.field, {})[t.lang] = t.text
    return OrganisationView(row, texts)


def _check_admin(role: str | None) -> None:
    if not is_admin(role):
        raise DomainError("forbidden")


def do_save_organisation(db: Session, *, form: OrganisationForm,
                         role: str | None) -> OrganisationView:
    _check_admin(role)
    form = check_organisation_form(form)
    row = _row(db) or Organisation(id=ORGANISATION_ID)
    row.logo_url, row.contact_email, row.contact_phone = (
        form.logo_url, form.contact_email, form.contact_phone)
    row.website_url, row.privacy_url = form.website_url, form.privacy_url
    row.a11y_conformance, row.a11y_assessed_on = form.a11y_conformance, form.a11y_assessed_on
    row.a11y_feedback_email, row.updated_at = form.a11y_feedback_email, utcnow()
    db.add(row)
    existing = {(t.field, t.lang): t for t in db.exec(select(OrganisationText))}
    for key, text in form.texts.items():
        current = existing.get(key)
        if current is not None and not text:
            db.delete(current)
        elif current is not None:
            current.text = text
            db.add(current)
        elif text:
            db.add(OrganisationText(field=key[0], lang=key[1], text=text))
    db.flush()
    return organisation(db)


def check_logo(data: bytes) -> str:
    """The content type of an uploaded logo, or a DomainError."""
    if not data:
        raise DomainError("logo_missing")
    if len(data) > MAX_LOGO_BYTES:
        raise DomainError("logo_too_large", limit=MAX_LOGO_BYTES // 1024)
    for magic, content_type in _LOGO_MAGIC:
        if data.startswith(magic):
            return content_type
    raise DomainError("logo_type_invalid")


def do_set_logo(db: Session, *, data: bytes | None, role: str | None) -> None:
    """Store an uploaded logo, or remove it (``data`` None)."""
    _check_admin(role)
    row = _row(db)
    if row is None:
        raise DomainError("organisation_name_required")
    row.logo_type = check_logo(data) if data is not None else ""
    row.logo_bytes = data
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
