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

from moderation.screening.detectors.contacts import after_reference_word
from moderation.screening.findings import PERSONAL_ID, POSSIBLE_PERSONAL_ID, Finding

CHECK_MARKS: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_OF_SIGN: Final = {
    "+": 1800,
    "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
    "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000,
}

# DDMMYY (or DD.MM.YY, DD.MM.YYYY), a separator, the individual number and the
# check mark, run on the collapsed view (``moderation.screening.normalise``), so
# spaced-out and zero-width-joined codes arrive here written together.
_HETU_RE: Final = re.compile(
    r"(?<![\w+\-.,/])(?P<dd>\d{2})(?P<dot>\.?)(?P<mm>\d{2})(?P=dot)"
    r"(?P<yy>(?:(?<=\.)(?:18|19|20))?\d{2})"
    r"(?P<sep>\s{0,2}[+\-YXWVUABCDEF./]\s?|\s{1,2}|)(?P<num>\d{3})(?:\s?(?P<mark>[0-9A-Y]))?"
    r"(?![\w+\-]|[.,/]\w)",
    re.IGNORECASE,
)
# Words after which a date and three digits are a hetu even without the check mark.
_CUE_RE: Final = re.compile(
    r"(?:hetu|henkilötun|sotu|syntymäaika|personnummer|personbeteckning|henkilönumero)"
    r"\w*\W{0,6}$",
    re.IGNORECASE,
)
_CUE_WINDOW: Final = 40


def check_mark(digits9: str) -> str:
    """The check mark of a hetu whose birth date and individual number are ``digits9``."""
    return CHECK_MARKS[int(digits9) % 31]


def _is_date(day: str, month: str, yy: str, century: int) -> bool:
    try:
        date(century + int(yy), int(month), int(day))
    except ValueError:
        return False
    return True


def _reason(m: re.Match[str], text: str) -> str | None:
    """PERSONAL_ID, POSSIBLE_PERSONAL_ID or None for one candidate.

    With a century sign the shape is the hetu's own: a wrong or missing check
    mark is most likely a typo or a disguise. With any other separator ("131052
    308T", "010190.123A", none at all) a check letter must end it, or a valid
    check mark that is not a phone-like digit run, or a word such as "hetu" in
    front of it, since dates and order numbers look the same.
    """
    day, month, yy, sep, individual, mark = m.group("dd", "mm", "yy", "sep", "num", "mark")
    yy, sign = yy[-2:], sep.strip()
    standard = sign.upper() in CENTURY_OF_SIGN
    centuries = [CENTURY_OF_SIGN[sign.upper()]] if standard else [1900, 2000, 1800]
    if not any(_is_date(day, month, yy, century) for century in centuries):
        return None
    if after_reference_word(text, m.start()):
        return None
    if mark is None:
        cued = _CUE_RE.search(text, max(0, m.start() - _CUE_WINDOW), m.start()) is not None
        return POSSIBLE_PERSONAL_ID if standard or cued else None
    valid = check_mark(day + month + yy + individual) == mark.upper()
    if standard or mark.isalpha():
        return PERSONAL_ID if valid else POSSIBLE_PERSONAL_ID
    phone_like = sign == "" and day.startswith("0")
    return PERSONAL_ID if valid and not phone_like else None


def find_identity_codes(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _HETU_RE.finditer(text):
        reason = _reason(m, text)
        if reason is not None:
            found.append(Finding.of(reason, *m.span()))
    return found
