"""CSV for spreadsheets: cells a spreadsheet shows as text, never runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# The one cell escaper of every CSV export (theme reports use it too).
from nlp.exports import escape_cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return out.getvalue()
