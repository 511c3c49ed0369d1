"""Street addresses: a street name followed by a house number.

"Hämeenkatu 12 A 5", "Koivutiellä 7 B", "Storgatan 3": the street word must end
in a street ending (``moderation.screening.lang.streets``) with something in front of it,
and a number that is not a quantity ("Kauppakatu 3 km") must follow. Split and
abbreviated names count too: "Hämeen katu 5", "Hämeenk. 5".
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

_NUMBER: Final = (
    r"(?P<number>\d{1,4}(?:\s?[\-–]\s?\d{1,4})?[a-h]?"
    r"(?:\s?[A-Ha-h](?![\w]))?"  # staircase
    r"(?:\s?(?:as\.?\s?)?\d{1,3})?)"  # flat
)
# Not a house number: more digits, a decimal part, or a unit ("Kauppakatu 3 km").
_NOT_QUANTITY: Final = (
    r"(?![\w,.:/%€]?\d|\s?(?:%|€|e\b|km|m\b|kg|kpl|euro|vuo[ts]|kert|pv|päiv|h\b|"
    r"tunti|min|kk|henk|ast|astetta|kilomet|metri|senttiä|litra|lasta|autoa)|[.,]\d)"
)
_ADDRESS_RE: Final = re.compile(
    r"(?<![\w\-])"
    r"(?P<front>[A-Za-zÅÄÖåäöÉé][A-Za-zÅÄÖåäöÉé\-]*?)"
    r"(?P<stem>" + _STEMS + r")(?P<case>" + _CASES + r")?"
    r"\s" + _NUMBER + _NOT_QUANTITY,
    re.IGNORECASE,
)
# "Hämeen katu 5", "MANNERHEIMIN TIE 12": a capitalised genitive, then the street word.
_SPLIT_RE: Final = re.compile(
    r"(?<![\w\-])(?P<front>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]+n) (?P<stem>(?i:" + _STEMS + r"))"
    r"(?P<case>(?i:" + _CASES + r"))?\s" + _NUMBER + _NOT_QUANTITY
)
# "Hämeenk. 5", "Mannerheimint. 12", "Kauppak. 3": the usual abbreviations of katu and tie.
_ABBREVIATED_RE: Final = re.compile(
    r"(?<![\w\-])(?P<front>[A-ZÅÄÖ][a-zåäö]{2,}n(?:k|t|kj)|[A-ZÅÄÖ][a-zåäö]{3,}k)\.\s?"
    + _NUMBER + _NOT_QUANTITY
)
# Genitive pronouns and determiners: "Meidän katu 3", "Tämän tien 5".
_NOT_STREET_FRONTS: Final = frozenset({
    "minun", "sinun", "hänen", "meidän", "teidän", "heidän", "sen", "tämän", "tuon", "niiden",
    "näiden", "noiden", "joiden", "jonka", "kenen", "minkä", "kunkin", "jokaisen", "toisen",
    "saman", "oman", "koko", "uuden", "vanhan", "yhden",
})


def find_addresses(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _ADDRESS_RE.finditer(text):
        base = (m.group("front") + _BASE_OF_STEM[m.group("stem").lower()]).lower()
        if base in NOT_STREETS or len(m.group("front").strip("-")) < 2:
            continue
        found.append(Finding.of(ADDRESS, m.start(), m.end("number")))
    for m in _SPLIT_RE.finditer(text):
        front = m.group("front").lower()
        base = front + _BASE_OF_STEM[m.group("stem").lower()]
        if front not in _NOT_STREET_FRONTS and base not in NOT_STREETS:
            found.append(Finding.of(ADDRESS, m.start(), m.end("number")))
    found += [Finding.of(ADDRESS, m.start(), m.end("number"))
              for m in _ABBREVIATED_RE.finditer(text)]
    return found
