"""Street addresses: a street name followed by a house number.

"Hämeenkatu 12 A 5", "Koivutiellä 7 B", "Storgatan 3": the street word must end
in a street ending (``moderation.screening.lang.streets``) with something in front of it,
and a number that is not a quantity ("Kauppakatu 3 km") must follow.
"""

from __future__ import annotations

import re
from typing import Final

from moderation.screening.findings import ADDRESS, Finding
from moderation.screening.lang.streets import CASE_ENDINGS, NOT_STREETS, STREET_ENDINGS

_BASE_OF_STEM: Final = {
    stem: base for base, stems in STREET_ENDINGS.items() for stem in stems
}
_STEMS = "|".join(sorted(_BASE_OF_STEM, key=len, reverse=True))
_CASES = "|".join(sorted(set(CASE_ENDINGS) - {""}, key=len, reverse=True))

_ADDRESS_RE: Final = re.compile(
    r"(?<![\w\-])"
    r"(?P<front>[A-Za-zÅÄÖåäöÉé][A-Za-zÅÄÖåäöÉé\-]*?)"
    r"(?P<stem>" + _STEMS + r")(?P<case>" + _CASES + r")?"
    r"\s(?P<number>\d{1,4}(?:\s?[\-–]\s?\d{1,4})?[a-h]?"
    r"(?:\s?[A-Ha-h](?![\w]))?"  # staircase
    r"(?:\s?(?:as\.?\s?)?\d{1,3})?)"  # flat
    r"(?![\w,.:/%€]?\d|\s?(?:%|€|e\b|km|m\b|kg|kpl|euro|vuo[ts]|kert|pv|päiv|h\b|"
    r"tunti|min|kk|henk|ast|astetta)|[.,]\d)",
    re.IGNORECASE,
)


def find_addresses(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _ADDRESS_RE.finditer(text):
        base = (m.group("front") + _BASE_OF_STEM[m.group("stem").lower()]).lower()
        if base in NOT_STREETS or len(m.group("front").strip("-")) < 2:
            continue
        found.append(Finding.of(ADDRESS, m.start(), m.end("number")))
    return found
