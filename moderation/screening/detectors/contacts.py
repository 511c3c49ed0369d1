"""Phone numbers and e-mail addresses.

Phone numbers are recognised by shape, not by any digit run: a Finnish number
starts with 0 (or +358 / 00358), a foreign one with + or 00 and a country code,
and only spaces, single hyphens and brackets separate the groups (and the old
"09/123 4567" slash after the area code). Dots, colons and commas never do, so dates (12.3.2024, 01/02/2024), times (09:30),
decimals and prices stay out. Order, case and account numbers are recognised
by the word in front of them. After a word such as "puh" or "soita" a number
without an area code counts too.
"""

from __future__ import annotations

import re
from typing import Final

from moderation.screening.findings import EMAIL, PHONE, Finding

# Before a number: not inside a word, a URL, a date, a time or another number.
_NOT_AFTER = r"(?<![\w+/.,:;@=&%€$£#\-])"
# After a number: not followed by more of a word, a decimal part, a time or a unit.
_NOT_BEFORE = r"(?![\w/@%€$£]|[.,:\-]\d|\s?(?:€|e\b|eur|euro|%|km|kg|mm|cm|kpl|mg))"
_SEP = r"[ \u00a0\-]?"

_NATIONAL_RE: Final = re.compile(
    _NOT_AFTER
    + r"(?<!\d )"  # "20 000-49 999": thousands, not an area code
    + r"(?:\(0\d{1,3}\)|0\d{1,3}/?)(?:" + _SEP + r"\d{2,5}){1,4}" + _NOT_BEFORE
)
_INTERNATIONAL_RE: Final = re.compile(
    _NOT_AFTER
    + r"(?:\+|\b00)[1-9]\d{0,2}(?:[ \u00a0\-]?\(0\))?(?:" + _SEP + r"\(?\d{1,5}\)?){1,6}"
    + _NOT_BEFORE
)
# A Finnish mobile number (04x, 050) is unmistakable: no quantity has its shape, so
# a unit written after it ("0401234567 kg") is a disguise, not a measurement.
_MOBILE_RE: Final = re.compile(
    _NOT_AFTER + r"(?:(?:\+|\b00)358" + _SEP + r"(?:\(0\))?" + _SEP + r"|0)(?:4\d|50)"
    r"(?:" + _SEP + r"\d){7,8}(?!\d|[.,]\d)"
)
_MOBILE_DIGITS: Final = frozenset({10, 12, 13, 14})
# So is a national number with its area code and nine digits or more ("09 123 4567 kg").
_LONG_NATIONAL_RE: Final = re.compile(
    _NOT_AFTER + r"(?<!\d )(?:\(0\d{1,3}\)|0\d{1,3}/?)(?:" + _SEP + r"\d{2,5}){1,4}"
    r"(?!\d|[.,:\-]\d)"
)
_MIN_LONG_NATIONAL_DIGITS: Final = 9
# "puh. 123 4567", "soita 1234567": the word tells it is a phone number.
_CUE_RE: Final = re.compile(
    r"\b(?:puh(?:elin)?(?:numero)?|puhnro|gsm|tel|tfn|telefon|phone|soita|soittakaa|"
    r"tekstaa|whatsapp|numero(?:ni|on))\b\.?:?\s?"
    r"(?P<num>\d{1,5}(?:" + _SEP + r"\d{1,5}){0,4})" + _NOT_BEFORE,
    re.IGNORECASE,
)
# A number right after one of these words is not a phone number.
_NOT_PHONE_CUE_RE: Final = re.compile(
    r"(?:tilaus|asiakas|lasku|viite|asia|diaari|tili|potilas|henkilöstö|sarja|tuote|"
    r"rekisteri|tunniste|order|case|invoice|ref)\w{0,12}(?:\W{1,3}(?:numero|nro|no)\w{0,3})?"
    r"\W{0,3}$|"
    r"(?:\bd\.?nro|\bnro|\bno|\biban|\by-tunnus|\bfi\d\d)\W{0,3}$",
    re.IGNORECASE,
)
# Dates, and a case number with its year ("0123/2024").
_DATE_RE: Final = re.compile(
    r"\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|0\d{1,3}/(?:19|20)\d{2}"
)

_EMAIL_RE: Final = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,24}\b", re.IGNORECASE
)
# "nimi at domain piste fi", "nimi(at)domain.fi", "nimi [at] domain [.] com": only with a
# known top-level domain at the end, so ordinary text with "at" stays out. With a
# real "@" (also spaced, or full-width before normalisation) the dot may be spaced
# or bracketed too.
_BRACKETED_AT = r"\s?[(\[{<]\s?(?:at|ät|a|@)\s?[)\]}>]\s?"
_WORD_AT = r"\s(?:at|ät|miukumauku)\s"
_BRACKETED_DOT = r"\s?[(\[{<]\s?(?:dot|piste|p|\.)\s?[)\]}>]\s?"
_WORD_DOT = r"\s(?:dot|piste|pist)\s"
_TLD = r"(?:fi|com|net|org|eu|se|info|io|me|nu|ax)"
_OBFUSCATED_EMAIL_RE: Final = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+(?:" + _BRACKETED_AT + "|" + _WORD_AT + r")"
    r"[\w\-]+(?:(?:" + _BRACKETED_DOT + "|" + _WORD_DOT + r"|\.)[\w\-]+)*?"
    r"(?:" + _BRACKETED_DOT + "|" + _WORD_DOT + r"|\.)" + _TLD + r"\b",
    re.IGNORECASE,
)
_AT_WORD_RE: Final = re.compile(_BRACKETED_AT + "|" + _WORD_AT, re.IGNORECASE)
_SPACED_AT_EMAIL_RE: Final = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+\s{0,2}@\s{0,2}"
    r"[\w\-]+(?:(?:" + _BRACKETED_DOT + "|" + _WORD_DOT + r"|\s?\.\s?)[\w\-]+)*?"
    r"(?:" + _BRACKETED_DOT + "|" + _WORD_DOT + r"|\s?\.\s?)" + _TLD + r"\b",
    re.IGNORECASE,
)

_MIN_NATIONAL_DIGITS, _MAX_NATIONAL_DIGITS = 7, 11
_MIN_INTERNATIONAL_DIGITS, _MAX_INTERNATIONAL_DIGITS = 8, 15
_MIN_CUED_DIGITS, _MAX_CUED_DIGITS = 5, 12


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def after_reference_word(text: str, start: int) -> bool:
    """Whether the number at ``start`` follows a word such as "tilausnumero" or "Dnro"."""
    return _NOT_PHONE_CUE_RE.search(text, max(0, start - 30), start) is not None


def find_phones(text: str) -> list[Finding]:
    spans: list[tuple[int, int]] = []
    for m in _INTERNATIONAL_RE.finditer(text):
        if _MIN_INTERNATIONAL_DIGITS <= _digits(m.group()) <= _MAX_INTERNATIONAL_DIGITS:
            spans.append(m.span())
    for m in _NATIONAL_RE.finditer(text):
        number = m.group()
        if (
            _MIN_NATIONAL_DIGITS <= _digits(number) <= _MAX_NATIONAL_DIGITS
            and not _DATE_RE.fullmatch(number)
            and not after_reference_word(text, m.start())
        ):
            spans.append(m.span())
    for m in _MOBILE_RE.finditer(text):
        if _digits(m.group()) in _MOBILE_DIGITS and not after_reference_word(text, m.start()):
            spans.append(m.span())
    for m in _LONG_NATIONAL_RE.finditer(text):
        if (
            _MIN_LONG_NATIONAL_DIGITS <= _digits(m.group()) <= _MAX_NATIONAL_DIGITS
            and not after_reference_word(text, m.start())
        ):
            spans.append(m.span())
    for m in _CUE_RE.finditer(text):
        if _MIN_CUED_DIGITS <= _digits(m.group("num")) <= _MAX_CUED_DIGITS:
            spans.append(m.span("num"))
    return [Finding.of(PHONE, start, end) for start, end in _outermost(spans)]


def find_emails(text: str) -> list[Finding]:
    spans: list[tuple[int, int]] = []
    if "@" in text:
        spans += [m.span() for m in _EMAIL_RE.finditer(text)]
        spans += [m.span() for m in _SPACED_AT_EMAIL_RE.finditer(text)]
    if _AT_WORD_RE.search(text):  # the full pattern is slow; most posts have no "at"
        spans += [m.span() for m in _OBFUSCATED_EMAIL_RE.finditer(text)]
    return [Finding.of(EMAIL, start, end) for start, end in _outermost(spans)]


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside another one, in text order."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            continue
        kept.append((start, end))
    return kept
