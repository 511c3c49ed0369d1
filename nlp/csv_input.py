"""Reading a feedback CSV for the command-line tools, with one-line errors.

Accepts UTF-8 with or without a byte-order mark, with , ; or tab as the
delimiter (whichever the header line uses). Every problem is an ``InputError``
whose message is fit to show the user as is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FeedbackTable", "InputError", "read_table"]


class InputError(Exception):
    """Bad input file or arguments; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class FeedbackTable:
    """A CSV's header and its data rows (row 0 is the first line after the header)."""

    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def column(self, name: str) -> list[str]:
        if name not in self.header:
            known = ", ".join(self.header)
            raise InputError(f"column '{name}' not found; the CSV has: {known}")
        return [row.get(name) or "" for row in self.rows]


def _delimiter(content: str) -> str:
    """The delimiter used in the header line: , unless ; or tab is more common."""
    header = content.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


def read_table(path: str) -> FeedbackTable:
    """Read ``path`` as a CSV with a header line."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"file not found: {path}")
    try:
        content = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not content.strip():
        raise InputError(f"{path} is empty")
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=_delimiter(content))
        header = tuple(h.strip() for h in (reader.fieldnames or ()))
        reader.fieldnames = list(header)
        rows = tuple(dict(row) for row in reader)
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV: {exc}") from None
    if not rows:
        raise InputError(f"{path} has a header but no data rows")
    return FeedbackTable(header, rows)
