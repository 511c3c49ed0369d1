"""Jinja filters: Finnish-time dates in the reader's language, plain-text paragraphs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_datetime
from markupsafe import Markup, escape

from deliberation.text import render_body
from server.i18n import current_language

HELSINKI = ZoneInfo("Europe/Helsinki")


def localtime(dt: datetime | None, fmt: str = "short") -> str:
    if dt is None:
        return ""
    return format_datetime(dt.astimezone(HELSINKI), format=fmt, locale=current_language.get())


def isotime(value: str | None) -> str:
    """An ISO time string (as in post views) in the reader's language."""
    if not value:
        return ""
    return localtime(datetime.fromisoformat(value))


def iso(dt: datetime | None) -> str:
    return dt.isoformat(timespec="seconds") if dt else ""


def paragraphs(text: str) -> Markup:
    """Organiser text as paragraphs: escaped, links made safe, blank lines split."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("\n".join(f"<p>{render_body(p)}</p>" for p in parts))


def install_filters(env: jinja2.Environment) -> None:
    env.filters["localtime"] = localtime
    env.filters["iso"] = iso
    env.filters["isotime"] = isotime
    env.filters["paragraphs"] = paragraphs
    env.filters["e"] = escape
