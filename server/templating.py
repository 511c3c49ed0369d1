"""Jinja filters: Finnish-time dates in the reader's language ("28.12.2026 klo
14.48", the same shape the page script gives live posts), numbers through Babel,
plain-text paragraphs, and ``lang`` marks for texts shown in another language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from deliberation.text import render_body
from server.i18n import current_language

HELSINKI = ZoneInfo("Europe/Helsinki")


@jinja2.pass_environment
def localtime(env: jinja2.Environment, dt: datetime | None) -> str:
    """A moment in Finnish time: the date (medium), then the clock, joined the
    way each language says it ("klo", "kl.", "at")."""
    if dt is None:
        return ""
    local, lang = dt.astimezone(HELSINKI), current_language.get()
    pattern: str = env.globals["raw_gettext"]("%(date)s at %(time)s")  # type: ignore[operator]
    return pattern % {"date": format_date(local, "medium", locale=lang),
                      "time": format_time(local, "short", locale=lang)}


def localdate(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return format_date(value, "long", locale=current_language.get())


@jinja2.pass_environment
def isotime(env: jinja2.Environment, value: str | None) -> str:
    """An ISO time string (as in post views) in the reader's language."""
    if not value:
        return ""
    return localtime(env, datetime.fromisoformat(value))


def iso(dt: datetime | None) -> str:
    return dt.isoformat(timespec="seconds") if dt else ""


def decimal(value: float) -> str:
    return format_decimal(value, format="#,##0.0#", locale=current_language.get())


def percent(value: float) -> str:
    return format_percent(value, locale=current_language.get())


def langattr(text: Any) -> Markup:
    """`` lang="fi"`` when a text (deliberation.content.Localized) is in another
    language than the page, so screen readers read it right (WCAG 3.1.2)."""
    lang = getattr(text, "lang", None)
    if lang and lang != current_language.get():
        return Markup(' lang="{}"').format(lang)
    return Markup("")


def paragraphs(text: str) -> Markup:
    """Organiser text as paragraphs: escaped, links made safe, blank lines split."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("\n".join(f"<p>{render_body(p)}</p>" for p in parts))


def install_filters(env: jinja2.Environment) -> None:
    env.filters["localtime"] = localtime
    env.filters["localdate"] = localdate
    env.filters["iso"] = iso
    env.filters["isotime"] = isotime
    env.filters["decimal"] = decimal
    env.filters["percent"] = percent
    env.filters["langattr"] = langattr
    env.filters["paragraphs"] = paragraphs
    env.filters["e"] = escape
