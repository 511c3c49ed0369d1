"""Screening: text in, findings out. Pure functions, no I/O.

``screen`` runs every detector and keeps one finding per stretch of personal
data: where detectors overlap, the more specific one wins (a hetu is not also
a phone number). Offensive language and spam are reported beside it.
"""

from __future__ import annotations

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

# Personal-data detectors, most specific first: a later finding that overlaps an
# earlier one is the same stretch of text seen less precisely.
_PERSONAL_DATA_PRECEDENCE: Final = (PERSONAL_ID, POSSIBLE_PERSONAL_ID, EMAIL, PHONE, ADDRESS,
                                    PERSON_NAME)

_DETECTORS: Final[tuple[Callable[[str], list[Finding]], ...]] = (
    find_identity_codes, find_emails, find_phones, find_addresses,
    find_offensive, find_link_spam, find_repeated_text,
)


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
    """Screen one post. ``names`` runs the (slow) person-name NER; ``recent_texts`` are
    the author's latest posts, to notice the same text sent again."""
    findings = [f for detect in _DETECTORS for f in detect(text)]
    if names:
        findings += find_person_names(text)
    findings += find_duplicate(text, recent_texts)
    return Screening(tuple(sorted(_without_overlapping_personal_data(findings),
                                  key=lambda f: (f.start, f.end, f.reason))))


def _without_overlapping_personal_data(findings: list[Finding]) -> list[Finding]:
    rank = {reason: i for i, reason in enumerate(_PERSONAL_DATA_PRECEDENCE)}
    personal = sorted((f for f in findings if f.is_personal_data), key=lambda f: rank[f.reason])
    kept: list[Finding] = []
    for f in personal:
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return kept + [f for f in findings if not f.is_personal_data]
