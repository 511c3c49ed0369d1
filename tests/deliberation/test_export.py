"""CSV cells never start a formula in a spreadsheet."""

from __future__ import annotations

import pytest

from deliberation.export import csv_text
from nlp.exports import escape_cell as safe_cell


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+358401234567", "'+358401234567"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tpiilo", "'\tpiilo"),
    ("\rrivi", "'\rrivi"),
    ("Tavallinen teksti", "Tavallinen teksti"),
    (None, ""),
    (12, "12"),
    (-1.5, "-1.5"),
])
def test_csv_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_csv_text_has_a_header_and_crlf_rows() -> None:
    assert csv_text(("a", "b"), [("=1", 2)]) == "a,b\r\n'=1,2\r\n"
