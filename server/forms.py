"""Form fields of the county pages, parsed into domain forms (and back into
the values a re-shown form needs, so nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from deliberation.content import LANGS, TRANSLATED_LANGS
from deliberation.errors import DomainError
from deliberation.organisation import TEXT_FIELDS, OrganisationForm, OrganisationView
from deliberation.outcomes import ResponseForm
from deliberation.sessions import LanguageVersion

Form = Mapping[str, Any]
MAX_RESPONSE_ROWS = 60


def text(form: Form, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def lines(value: str) -> tuple[str, ...]:
    return tuple(value.replace("\r\n", "\n").split("\n"))


def language_versions(form: Form) -> dict[str, LanguageVersion]:
    return {lang: LanguageVersion(
        title=text(form, f"title_{lang}"), introduction=text(form, f"introduction_{lang}"),
        closing=text(form, f"closing_{lang}"),
        # Lines go with the Finnish questions by position, so blank ones count too.
        questions=lines(text(form, f"questions_{lang}")))
        for lang in TRANSLATED_LANGS}


def moves(form: Form) -> dict[int, int]:
    """move-<question id> = <position>: where a removed question's posts go."""
    out: dict[int, int] = {}
    for key, value in form.items():
        if key.startswith("move-") and isinstance(value, str) and value.strip():
            qid, pos = key.removeprefix("move-"), value.strip()
            if not (qid.isdigit() and pos.isdigit()) or len(qid) > 10 or len(pos) > 4:
                raise DomainError("question_move_invalid")
            out[int(qid)] = int(pos)
    return out


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError("date_invalid") from exc
    if not 2000 <= parsed.year <= 2100:
        raise DomainError("date_invalid")
    return parsed


def organisation_form(form: Form) -> OrganisationForm:
    return OrganisationForm(
        texts={(name, lang): text(form, f"{name}-{lang}") for name in TEXT_FIELDS for lang in LANGS},
        logo_url=text(form, "logo_url"), contact_email=text(form, "contact_email"),
        contact_phone=text(form, "contact_phone"), website_url=text(form, "website_url"),
        privacy_url=text(form, "privacy_url"),
        a11y_conformance=text(form, "a11y_conformance") or "partial",
        a11y_assessed_on=parse_date(text(form, "a11y_assessed_on")),
        a11y_feedback_email=text(form, "a11y_feedback_email"),
    )


def organisation_values(org: OrganisationView | None, form: Form | None = None) -> dict[str, str]:
    keys = [f"{name}-{lang}" for name in TEXT_FIELDS for lang in LANGS] + [
        "logo_url", "contact_email", "contact_phone", "website_url", "privacy_url",
        "a11y_conformance", "a11y_assessed_on", "a11y_feedback_email"]
    if form is not None:
        return {k: text(form, k) for k in keys}
    values = {k: "" for k in keys}
    values["a11y_conformance"] = "partial"
    if org is not None:
        for name, versions in org.texts.items():
            for lang, value in versions.items():
                values[f"{name}-{lang}"] = value
        r = org.row
        values.update(logo_url=r.logo_url, contact_email=r.contact_email,
                      contact_phone=r.contact_phone, website_url=r.website_url,
                      privacy_url=r.privacy_url, a11y_conformance=r.a11y_conformance,
                      a11y_assessed_on=r.a11y_assessed_on.isoformat() if r.a11y_assessed_on else "",
                      a11y_feedback_email=r.a11y_feedback_email)
    return values


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def response_forms(form: Form) -> list[ResponseForm]:
    """The rows of the responses form (removed rows and empty new rows left out)."""
    count = min(_int(text(form, "count")) or 0, MAX_RESPONSE_ROWS)
    out: list[ResponseForm] = []
    for i in range(count):
        label, response = text(form, f"label-{i}"), text(form, f"response-{i}")
        row_id = _int(text(form, f"id-{i}"))
        if text(form, f"remove-{i}") or (row_id is None and not label.strip() and not response.strip()):
            continue
        out.append(ResponseForm(
            label=label, response=response, status=text(form, f"status-{i}") or "considered",
            post_count=_int(text(form, f"post_count-{i}")) or 0, id=row_id,
            versions={lang: (text(form, f"label-{lang}-{i}"), text(form, f"response-{lang}-{i}"))
                      for lang in TRANSLATED_LANGS}))
    return out
