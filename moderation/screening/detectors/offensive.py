"""Profanity and slurs, matched on lemmas so that inflected forms and compounds match.

Each word is lemmatised with Voikko (``nlp.finnish.lemma``, cached). A word is
offensive if its lemma is listed, or starts or ends with a listed compound part
("paskahallinto", "koiranpaska"), unless the lemma is a listed look-alike.
Slurs are checked first: a word that is both is reported as a slur.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from moderation.screening.findings import PROFANITY, SLUR, Finding
from moderation.screening.lang.profanity_fi import (
    NOT_PROFANE_PREFIXES,
    NOT_PROFANE_SUFFIXES,
    PROFANE_PREFIXES,
    PROFANE_SUFFIXES,
    PROFANITY_LEMMAS,
)
from moderation.screening.lang.slurs_fi import (
    INFLECTED_ONLY_BY_SUFFIX,
    SLUR_LEMMAS,
    SLUR_PREFIXES,
    SLUR_SUFFIXES,
)
from nlp.finnish import lemma, tokenize

# Case and number endings for slurs Voikko does not know ("mamuja", "mamuille").
_SURFACE_ENDINGS: Final = frozenset({
    "", "t", "n", "a", "ä", "ja", "jä", "jen", "ssa", "ssä", "sta", "stä", "lla", "llä",
    "lta", "ltä", "lle", "ksi", "na", "nä", "in", "ihin", "issa", "issä", "ista", "istä",
    "illa", "illä", "ilta", "iltä", "ille", "ina", "inä", "iksi", "ineen",
})
_MIN_FIRST_PART: Final = 4
_HAS_DIGIT_OR_UNDERSCORE: Final = frozenset("0123456789_")


def _surface_slur(word: str) -> bool:
    for stem in INFLECTED_ONLY_BY_SUFFIX:
        if word.startswith(stem) and word[len(stem):] in _SURFACE_ENDINGS:
            return True
    return False


def _ends_compound(base: str, suffixes: tuple[str, ...]) -> bool:
    """Whether ``base`` is a compound whose last part is one of ``suffixes``: the first
    part must be a word of its own ("koiran|paska"), not a syllable ("so|vittu")."""
    return any(
        base.endswith(suffix) and len(base) - len(suffix) >= _MIN_FIRST_PART
        for suffix in suffixes
    )


@lru_cache(maxsize=100_000)
def classify_word(word: str) -> str | None:
    """SLUR, PROFANITY or None for one word form (any case)."""
    base = lemma(word)
    if base.startswith(NOT_PROFANE_PREFIXES) or base.endswith(NOT_PROFANE_SUFFIXES):
        return None
    if (
        base in SLUR_LEMMAS
        or base.startswith(SLUR_PREFIXES)
        or _ends_compound(base, SLUR_SUFFIXES)
        or _surface_slur(word.lower())
    ):
        return SLUR
    if (
        base in PROFANITY_LEMMAS
        or base.startswith(PROFANE_PREFIXES)
        or _ends_compound(base, PROFANE_SUFFIXES)
    ):
        return PROFANITY
    return None


def find_offensive(text: str) -> list[Finding]:
    found: list[Finding] = []
    for token in tokenize(text):
        if not token.is_word or _HAS_DIGIT_OR_UNDERSCORE.intersection(token.text):
            continue
        reason = classify_word(token.text)
        if reason is not None:
            found.append(Finding.of(reason, token.start, token.end))
    return found
