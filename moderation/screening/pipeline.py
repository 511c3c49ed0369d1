"""Screening: text in, findings out. Pure functions, no I/O.

``screen`` normalises the text (``moderation.screening.normalise``), runs every
detector on the view it needs, maps each span back to the original text, and
keeps one finding per stretch of personal data: where detectors overlap, the
more specific one wins (a hetu is not also a phone number). Offensive language
and spam are reported beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from moderation.screening.detectors.addresses import find_addresses
from moderation.screening.detectors.contacts import find_emails, find_phones
from moderation.screening.detectors.identity_codes import find_identity_codes
from moderation.screening.detectors.names import find_person_names
from moderation.screening.detectors.offensive import find_offensive
from moderation.screening.detectors.spam import find_duplicate, find_link_spam, find_repeated_text
from moderation.screening.findings import (
    ADDRESS,
    EMAIL,
    PERSON_NAME,
    PERSONAL_ID,
    PHONE,
    POSSIBLE_PERSONAL_ID,
    Finding,
)
from moderation.screening.normalise import RIGHT_TO_LEFT_OVERRIDE, View, collapse, normalise

# Personal-data detectors, most specific first: a later finding that overlaps an
# earlier one is the same stretch of text seen less precisely.
_PERSONAL_DATA_PRECEDENCE: Final = (PERSONAL_ID, POSSIBLE_PERSONAL_ID, EMAIL, PHONE, ADDRESS,
                                    PERSON_NAME)

Detector = Callable[[str], list[Finding]]
# Patterns of digits and characters: these read the collapsed view, where
# "0 4 0 - 1 2 3" and "040.123.4567" are written together.
_PATTERN_DETECTORS: Final[tuple[Detector, ...]] = (find_identity_codes, find_emails, find_phones)
# Words: spaced-out letters ("v i t t u") are collapsed for these too...
_WORD_DETECTORS: Final[tuple[Detector, ...]] = (find_offensive,)
# ...but not for these, which read spacing as written.
_SPACING_DETECTORS: Final[tuple[Detector, ...]] = (
    find_addresses, find_link_spam, find_repeated_text,
)
# How much of the author's latest posts is read together with a new one, to catch
# personal data split over two posts ("131052-" and "308T"). Personal data is short.
_ACROSS_POSTS_POSTS: Final = 2
_ACROSS_POSTS_CHARS: Final = 48
# Split personal data has digits on both sides of the cut, or an e-mail's "@" or "at".
_DIGIT_RE: Final = re.compile(r"[\d\uff10-\uff19]")
_COMPLETE_PHONE_DIGITS: Final = 9
_AT_RE: Final = re.compile(r"[@\uff20\ufe6b]|\b(?:at|ät)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Screening:
    """What screening found in one text, in text order."""

    findings: tuple[Finding, ...] = ()

    @property
    def decision(self) -> str:
        """"hold" if anything was found, else "publish" (before the session's mode)."""
        return "hold" if self.findings else "publish"

    @property
    def has_personal_data(self) -> bool:
        return any(f.is_personal_data for f in self.findings)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The distinct reason codes, sorted."""
        return tuple(sorted({f.reason for f in self.findings}))


def screen(text: str, *, names: bool = True, recent_texts: Sequence[str] = ()) -> Screening:
    """Screen one post. ``names`` runs person-name detection; ``recent_texts`` are the
    author's latest posts, newest first: a repeat of one is spam, and personal data
    that starts in the latest ones and ends in this one is found in this one."""
    view = normalise(text)
    collapsed = collapse(view)
    findings = _run(collapsed, _PATTERN_DETECTORS)
    if RIGHT_TO_LEFT_OVERRIDE in text:
        findings += _run(collapse(normalise(text, as_displayed=True)), _PATTERN_DETECTORS)
    findings += _run(collapsed, _WORD_DETECTORS)
    findings += _run(view, _SPACING_DETECTORS)
    if names:
        findings += _run(collapsed, (find_person_names,))
    findings += find_duplicate(text, recent_texts)
    findings += find_split_personal_data(text, recent_texts)
    return Screening(tuple(sorted(_without_overlapping_personal_data(findings),
                                  key=lambda f: (f.start, f.end, f.reason))))


def _run(view: View, detectors: Sequence[Detector]) -> list[Finding]:
    """The detectors' findings on ``view``, with spans in the original text."""
    found: list[Finding] = []
    for detect in detectors:
        for f in detect(view.text):
            found.append(Finding(f.kind, *view.original_span(f.start, f.end), f.reason))
    return found


def find_split_personal_data(text: str, recent_texts: Sequence[str]) -> list[Finding]:
    """Personal data that begins in the author's latest posts and ends in ``text``:
    reported on the part of ``text`` that completes it."""
    tail = "".join(reversed(recent_texts[:_ACROSS_POSTS_POSTS]))[-_ACROSS_POSTS_CHARS:]
    head = text[:_ACROSS_POSTS_CHARS]
    digits_on_both_sides = _DIGIT_RE.search(tail) and _DIGIT_RE.search(head)
    ends_in_number = _DIGIT_RE.fullmatch(tail.rstrip()[-1:] or "x") is not None
    if not (digits_on_both_sides or ends_in_number or _AT_RE.search(f"{tail} {head}")):
        return []
    # What the earlier posts hold complete was held with them: "040 123 4567" and
    # then "8 kertaa" is not a longer number. "040 123" and "4567" still is one.
    complete = [f for f in _run(collapse(normalise(tail)), _PATTERN_DETECTORS)
                if f.reason in (PERSONAL_ID, EMAIL)
                or (f.reason == PHONE
                    and len(_DIGIT_RE.findall(tail, f.start, f.end)) >= _COMPLETE_PHONE_DIGITS)]
    found: dict[tuple[str, int], Finding] = {}
    for glue in ("", " "):
        before = tail + glue
        joined = normalise(before + head)
        for f in _run(collapse(joined), _PATTERN_DETECTORS):
            if f.start < len(before) < f.end and not any(c.start < f.end and f.start < c.end
                                                         for c in complete):
                end = f.end - len(before)
                found.setdefault((f.reason, end), Finding.of(f.reason, 0, end))
    return list(found.values())


def _without_overlapping_personal_data(findings: list[Finding]) -> list[Finding]:
    rank = {reason: i for i, reason in enumerate(_PERSONAL_DATA_PRECEDENCE)}
    personal = sorted((f for f in findings if f.is_personal_data), key=lambda f: rank[f.reason])
    kept: list[Finding] = []
    for f in personal:
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return kept + [f for f in findings if not f.is_personal_data]
