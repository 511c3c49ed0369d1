"""A theme result as JSON, CSV and Markdown (Finnish headings).

JSON: ``{"themes": [...], "other": {...}, "assignments": [{"row", "theme"}],
"coverage", "k", ...}``; each theme has ``id``, ``label``, ``keywords``,
``size``, ``participants``, ``support``, ``representatives`` (rows, with post
ids and texts), ``summary`` (sentences with their rows) and ``growth``. The
theme of a row in "Muut" is null.
CSV: one line per post: row, post id, theme id, theme label, text.
Markdown: a report for service developers, quotes linked to rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from nlp.themes import OTHER_LABEL, Theme, ThemeResult

__all__ = ["to_csv", "to_dict", "to_json", "to_markdown"]


def _theme_dict(theme: Theme, result: ThemeResult, texts: Sequence[str]) -> dict[str, Any]:
    return {
        "id": theme.id,
        "label": theme.label,
        "keywords": list(theme.keywords),
        "size": theme.size,
        "participants": theme.participants,
        "support": theme.support,
        "representatives": [
            {"row": row, "post_id": result.post_ids[row], "text": texts[row]}
            for row in theme.representatives
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


def to_json(result: ThemeResult, texts: Sequence[str]) -> str:
    return json.dumps(to_dict(result, texts), ensure_ascii=False, indent=2)


def to_csv(result: ThemeResult, texts: Sequence[str]) -> str:
    labels = {t.id: t.label for t in result.themes}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "post_id", "theme", "theme_label", "text"])
    for row, theme in enumerate(result.assignments):
        post_id = result.post_ids[row]
        writer.writerow(
            [
                row,
                "" if post_id is None else post_id,
                "" if theme is None else theme,
                OTHER_LABEL if theme is None else labels[theme],
                texts[row],
            ]
        )
    return out.getvalue()


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _theme_markdown(theme: Theme, result: ThemeResult, texts: Sequence[str]) -> list[str]:
    total = len(result.assignments) or 1
    people = f", {theme.participants} osallistujaa" if theme.participants is not None else ""
    lines = [
        f"## {theme.id}. {theme.label}" if theme.id else f"## {OTHER_LABEL}",
        "",
        f"- **Koko:** {theme.size} viestiä ({theme.size / total:.0%}){people}",
        f"- **Kannatus:** {theme.support}",
    ]
    if theme.keywords:
        lines.append(f"- **Avainsanat:** {', '.join(theme.keywords)}")
    if theme.summary:
        lines += ["", "### Tiivistelmä", ""]
        lines += [f"- {_quote(s.text)} _(rivi {s.row})_" for s in theme.summary]
    if theme.representatives:
        lines += ["", "### Edustavia viestejä", ""]
        lines += [f"> {_quote(texts[r])} _(rivi {r})_\n" for r in theme.representatives]
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
