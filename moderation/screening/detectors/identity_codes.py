"""Finnish personal identity codes (henkilötunnus, hetu).

DDMMYY, a century sign, a three-digit individual number and a check mark: the
nine digits mod 31 index ``CHECK_MARKS``. Since 2023 the 1900s may also be
written with Y X W V U and the 2000s with B C D E F (besides "-" and "A").

A code with a real date and the right shape but a wrong check mark is still
reported, as ``possible_personal_id``: it is most likely a real code with a
typo, and a birth date with an individual number identifies a person anyway.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from moderation.screening.findings import PERSONAL_ID, POSSIBLE_PERSONAL_ID, Finding

CHECK_MARKS: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_OF_SIGN: Final = {
    "+": 1800,
    "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
    "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000,
}

_HETU_RE: Final = re.compile(
    r"(?<![\w+\-])(\d{2})(\d{2})(\d{2})([+\-YXWVUABCDEF])(\d{3})([0-9A-Y])(?!\w)",
    re.IGNORECASE,
)


def check_mark(digits9: str) -> str:
    """The check mark of a hetu whose birth date and individual number are ``digits9``."""
    return CHECK_MARKS[int(digits9) % 31]


def _is_date(day: str, month: str, yy: str, century: int) -> bool:
    try:
        date(century + int(yy), int(month), int(day))
    except ValueError:
        return False
    return True


def find_identity_codes(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _HETU_RE.finditer(text):
        day, month, yy, sign, individual, mark = m.groups()
        if not _is_date(day, month, yy, CENTURY_OF_SIGN[sign.upper()]):
            continue
        valid = check_mark(day + month + yy + individual) == mark.upper()
        found.append(Finding.of(PERSONAL_ID if valid else POSSIBLE_PERSONAL_ID, *m.span()))
    return found
