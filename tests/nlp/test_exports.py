"""Exports: spreadsheet-safe CSV cells and inert Markdown."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from nlp.exports import escape_cell, escape_markdown, to_csv, to_markdown
from nlp.themes import PostMeta, compute_themes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+358 40 123", "'+358 40 123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Hyvä palvelu", "Hyvä palvelu"),
        (-3, "-3"),
        (None, ""),
    ],
)
def test_escape_cell(value: object, expected: str) -> None:
    assert escape_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ("[linkki](javascript:alert(1))", "[linkki]"),
        ("**lihavoitu**", "**"),
    ],
)
def test_markdown_escapes_markup(text: str, absent: str) -> None:
    assert absent not in escape_markdown(text)


@pytest.mark.parametrize("text", ["# otsikko", "- lista", "1. eka", "> lainaus"])
def test_markdown_line_start_is_not_block_markup(text: str) -> None:
    assert not escape_markdown(text).startswith(("#", "-", "1.", ">"))


def test_csv_has_question_supports_date_and_no_formulas() -> None:
    texts = [
        "=1+1 hammaslääkäri jono on pitkä",
        "Hammaslääkärin jono on pitkä ja aikaa ei saa.",
        "Hammaslääkärille pääsee liian hitaasti.",
    ] * 4
    when = datetime(2026, 3, 1, 12)
    meta = [PostMeta(f"p{i}", None, i, when, "Mitä pitäisi parantaa?") for i in range(12)]
    result = compute_themes(texts, meta)
    rows = list(csv.DictReader(to_csv(result, texts, meta).splitlines()))
    assert rows[0]["question"] == "Mitä pitäisi parantaa?"
    assert rows[3]["supports"] == "3"
    assert rows[0]["date"].startswith("2026-03-01")
    assert rows[0]["text"].startswith("'=")
    markdown = to_markdown(result, texts)
    assert "=1+1" in markdown and "<" not in markdown


def test_session_export_has_each_questions_themes() -> None:
    from nlp.exports import session_to_dict, session_to_markdown
    from nlp.themes import compute_session_themes

    texts = [
        "Hammaslääkärin jono on pitkä.",
        "Hammaslääkäriin ei pääse.",
        "Hammaslääkäri on kaukana.",
        "Bussi ei kulje kylään.",
        "Bussi kulkee harvoin.",
        "Bussilla ei pääse asemalle.",
    ] * 2
    meta = [PostMeta(i, question="Hammashoito?" if i % 6 < 3 else "Liikenne?") for i in range(12)]
    data = session_to_dict(compute_session_themes(texts, meta), texts)
    assert [q["question"] for q in data["questions"]] == ["Hammashoito?", "Liikenne?"]
    for part in data["questions"]:
        ids = {a["row"] for a in part["assignments"]}
        assert ids == set(range(6))
    assert set(data["themes"][0]["overviews"]) == {"fi", "sv", "en"}
    markdown = session_to_markdown(compute_session_themes(texts, meta), texts)
    assert "## Kysymys: Hammashoito?" in markdown and "## Kysymys: Liikenne?" in markdown
