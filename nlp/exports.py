"""A theme result as JSON, CSV and Markdown (Finnish headings).

JSON: ``{"themes": [...], "other": {...}, "assignments": [{"row", "theme"}],
"coverage", "k", ...}``; each theme has ``id``, ``label``, ``keywords``,
``size``, ``participants``, ``support``, ``overview``, ``stance``,
``representatives`` (rows, with post ids, texts and ``similar``: the number
of near-duplicates each stands for), ``summary`` (sentences with their rows)
and ``growth``. The theme of a row in "Muut" is null.
CSV: one line per post: row, post id, question, theme id, theme label,
supports, date, text.
Markdown: a report for service developers, quotes linked to rows; the
session's report adds each question's themes.

Exports open in spreadsheets and Markdown viewers, so text written by
residents is escaped: ``escape_cell`` defuses spreadsheet formulas (shared
with the other CSV exports), ``escape_markdown`` any markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from nlp.themes import (
    OTHER_LABEL,
    PostMeta,
    QuestionThemes,
    SessionThemes,
    Theme,
    ThemeResult,
)

__all__ = [
    "escape_cell",
    "escape_markdown",
    "session_to_dict",
    "session_to_markdown",
    "to_csv",
    "to_dict",
    "to_json",
    "to_markdown",
]

# A spreadsheet reads a cell starting with one of these as a formula (OWASP
# "CSV injection"); tab and CR are included because some programs strip them first.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUESTION_QUOTES = 3
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
# Block markup only counts at the start of a line (a heading, list, quote).
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([#>+\-.)])")


def escape_cell(value: object) -> str:
    """A CSV cell value that no spreadsheet runs as a formula.

    A leading ``'`` makes the cell plain text; numbers are left as they are so
    that "-3" stays a number.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def escape_markdown(text: str) -> str:
    """Resident text as inert Markdown: HTML escaped, markup characters
    backslashed, on one line."""
    flat = " ".join(text.split())
    inline = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", inline)


def _theme_dict(theme: Theme, result: ThemeResult, texts: Sequence[str]) -> dict[str, Any]:
    return {
        "id": theme.id,
        "label": theme.label,
        "keywords": list(theme.keywords),
        "size": theme.size,
        "participants": theme.participants,
        "support": theme.support,
        "overview": theme.overview,
        "overviews": dict(theme.overviews),
        "stance": {
            "positive": theme.stance.positive,
            "negative": theme.stance.negative,
            "total": theme.stance.total,
            "aspects": [
                {"word": a.word, "positive": a.positive, "negative": a.negative}
                for a in theme.stance.aspects
            ],
        },
        "representatives": [
            {
                "row": q.row,
                "post_id": result.post_ids[q.row],
                "text": texts[q.row],
                "similar": q.similar,
            }
            for q in theme.quotes
        ],
        "summary": [
            {"text": s.text, "row": s.row, "post_id": result.post_ids[s.row]} for s in theme.summary
        ],
        "growth": [{"bucket": bucket, "count": count} for bucket, count in theme.growth],
    }


def to_dict(result: ThemeResult, texts: Sequence[str]) -> dict[str, Any]:
    """The result as plain JSON-ready data."""
    return {
        "themes": [_theme_dict(t, result, texts) for t in result.themes],
        "other": _theme_dict(result.other, result, texts),
        "assignments": [
            {"row": row, "theme": theme} for row, theme in enumerate(result.assignments)
        ],
        "coverage": round(result.coverage, 4),
        "k": result.k,
        "silhouette": None if result.silhouette is None else round(result.silhouette, 4),
        "buckets": list(result.buckets),
    }


def session_to_dict(session: SessionThemes, texts: Sequence[str]) -> dict[str, Any]:
    """The whole session's result, plus ``questions``: each question's themes
    (``rows`` and representatives' rows are the question's own; post ids are
    the session's)."""
    data = to_dict(session.overall, texts)
    data["questions"] = [
        {"question": part.question, **to_dict(part.result, [texts[r] for r in part.rows])}
        for part in session.questions
    ]
    return data


def to_json(result: ThemeResult, texts: Sequence[str]) -> str:
    return json.dumps(to_dict(result, texts), ensure_ascii=False, indent=2)


def to_csv(
    result: ThemeResult, texts: Sequence[str], meta: Sequence[PostMeta] | None = None
) -> str:
    """One line per post; every cell escaped with ``escape_cell``."""
    labels = {t.id: t.label for t in result.themes}
    metas = list(meta) if meta is not None else [PostMeta() for _ in texts]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["row", "post_id", "question", "theme", "theme_label", "supports", "date", "text"]
    )
    for row, theme in enumerate(result.assignments):
        m = metas[row]
        cells: list[object] = [
            row,
            result.post_ids[row],
            m.question,
            theme,
            OTHER_LABEL if theme is None else labels[theme],
            m.support,
            m.created_at.isoformat() if m.created_at is not None else None,
            texts[row],
        ]
        writer.writerow([escape_cell(c) for c in cells])
    return out.getvalue()


def _quote(text: str) -> str:
    return escape_markdown(text)


def _similar(count: int) -> str:
    return f" _({count} samankaltaista)_" if count else ""


def _theme_markdown(theme: Theme, result: ThemeResult, texts: Sequence[str]) -> list[str]:
    total = len(result.assignments) or 1
    people = f", {theme.participants} osallistujaa" if theme.participants is not None else ""
    lines = [
        f"## {theme.id}. {escape_markdown(theme.label)}" if theme.id else f"## {OTHER_LABEL}",
        "",
        f"- **Koko:** {theme.size} viestiä ({theme.size / total:.0%}){people}",
        f"- **Kannatus:** {theme.support}",
    ]
    if theme.keywords:
        lines.append(f"- **Avainsanat:** {escape_markdown(', '.join(theme.keywords))}")
    if theme.overview:
        lines += ["", escape_markdown(theme.overview)]
    if theme.summary:
        lines += ["", "### Tiivistelmä", ""]
        lines += [f"- {_quote(s.text)} _(rivi {s.row})_" for s in theme.summary]
    if theme.representatives:
        lines += ["", "### Edustavia viestejä", ""]
        lines += [
            f"> {_quote(texts[q.row])} _(rivi {q.row})_{_similar(q.similar)}\n"
            for q in theme.quotes
        ]
    if any(count for _, count in theme.growth):
        lines += ["", "### Kehitys ajassa", "", "| jakso | viestejä |", "| --- | --- |"]
        lines += [f"| {bucket} | {count} |" for bucket, count in theme.growth]
    return [*lines, ""]


def to_markdown(result: ThemeResult, texts: Sequence[str]) -> str:
    lines = [
        "# Teemayhteenveto",
        "",
        (
            f"{len(result.assignments)} viestiä, {len(result.themes)} teemaa. "
            f"Teemoihin sijoittui {result.coverage:.0%} viesteistä; loput ovat kohdassa "
            f"”{OTHER_LABEL}”."
        ),
        "",
    ]
    for theme in result.themes:
        lines += _theme_markdown(theme, result, texts)
    if result.other.size:
        lines += _theme_markdown(result.other, result, texts)
    return "\n".join(lines).rstrip() + "\n"


def _question_markdown(part: QuestionThemes, texts: Sequence[str]) -> list[str]:
    """One question's themes, briefly; rows are the whole session's."""
    lines = [f"## Kysymys: {escape_markdown(part.question)}", ""]
    if not part.result.themes:
        return [*lines, "Vastauksia ei ole vielä tarpeeksi teemoihin.", ""]
    for theme in part.result.themes:
        lines += [f"### {escape_markdown(theme.label)}", "", escape_markdown(theme.overview), ""]
        for q in theme.quotes[:_QUESTION_QUOTES]:
            row = part.rows[q.row]
            lines.append(f"> {_quote(texts[row])} _(rivi {row})_{_similar(q.similar)}\n")
    return lines


def session_to_markdown(session: SessionThemes, texts: Sequence[str]) -> str:
    """The whole session's report, then each question's themes."""
    lines = [to_markdown(session.overall, texts).rstrip(), ""]
    if session.questions:
        lines += ["# Teemat kysymyksittäin", ""]
        for part in session.questions:
            lines += _question_markdown(part, texts)
    return "\n".join(lines).rstrip() + "\n"
