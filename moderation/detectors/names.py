"""Person names, from spaCy's Finnish NER (``nlp.finnish.person_names``).

Two kinds of hits are dropped as false positives:

- a participant's pseudonym quoted in a reply ("Sininen kettu 12 on oikeassa"):
  a capitalised word, a lowercase word and a number;
- a lone given name that is also an ordinary word at the start of a sentence
  ("Onni on, kun hoitaja ehtii jutella").
"""

from __future__ import annotations

import re
from typing import Final

from moderation.findings import PERSON_NAME, Finding
from moderation.lang.given_names_fi import WORD_LIKE_GIVEN_NAMES
from nlp.finnish import person_names

_PSEUDONYM_RE: Final = re.compile(r"[A-ZÅÄÖ][a-zåäö]+ [a-zåäö]+ \d{1,3}\b")
_SENTENCE_END_RE: Final = re.compile(r"(?:^|[.!?:;\n\"»”]\s*)$")


def _is_pseudonym(text: str, start: int) -> bool:
    return _PSEUDONYM_RE.match(text, start) is not None


def _is_ordinary_word(text: str, start: int, name: str) -> bool:
    if " " in name.strip() or name.lower() not in WORD_LIKE_GIVEN_NAMES:
        return False
    return name.islower() or _SENTENCE_END_RE.search(text, max(0, start - 3), start) is not None


def find_person_names(text: str) -> list[Finding]:
    if text == text.lower():
        return []  # the NER never tags an all-lowercase name; skip the slow pipeline
    return [
        Finding.of(PERSON_NAME, start, end)
        for start, end, name in person_names(text)
        if not _is_pseudonym(text, start) and not _is_ordinary_word(text, start, name)
    ]
