"""Person names, from spaCy's Finnish NER (``nlp.finnish.person_names``).

The NER also tags many capitalised common nouns at the start of a sentence
("Jonotuslista kertoisi edes jotain", "Terapiatakuu olisi hyvä asia"). A
one-word hit is therefore kept only if it still looks like a name:

- not a participant's pseudonym quoted in a reply ("Sininen kettu 12 on
  oikeassa": a capitalised word, a lowercase word and a number);
- not a given name that is also an ordinary word, in lowercase or at the start
  of a sentence ("Onni on, kun hoitaja ehtii jutella");
- tagged as a proper noun by the same spaCy model. The tagging runs only when
  there is a one-word hit, and without the parser and NER, so it is cheap.

Names of two or more words ("Matti Virtanen") are always kept.
"""

from __future__ import annotations

import re
import threading
from typing import Final

from moderation.screening.findings import PERSON_NAME, Finding
from moderation.screening.lang.given_names_fi import WORD_LIKE_GIVEN_NAMES
from nlp.finnish import full_pipeline, person_names

_PSEUDONYM_RE: Final = re.compile(r"[A-ZÅÄÖ][a-zåäö]+ [a-zåäö]+ \d{1,3}\b")
_SENTENCE_END_RE: Final = re.compile(r"(?:^|[.!?:;\n\"»”(\-–]\s*)$")
_TAGGING_PIPES: Final = frozenset({"tok2vec", "tagger", "morphologizer"})
# nlp.finnish builds one spaCy doc at a time with its own (private) lock; do the same.
_tagging_lock = threading.Lock()


def _is_pseudonym(text: str, start: int) -> bool:
    return _PSEUDONYM_RE.match(text, start) is not None


def _starts_sentence(text: str, start: int) -> bool:
    return _SENTENCE_END_RE.search(text, max(0, start - 3), start) is not None


def _is_ordinary_word(text: str, start: int, name: str) -> bool:
    if name.lower() not in WORD_LIKE_GIVEN_NAMES:
        return False
    return name.islower() or _starts_sentence(text, start)


def _proper_noun_starts(text: str) -> set[int]:
    """Character offsets of the tokens spaCy's tagger calls proper nouns."""
    nlp = full_pipeline()
    disabled = [name for name in nlp.pipe_names if name not in _TAGGING_PIPES]
    with _tagging_lock:
        doc = nlp(text, disable=disabled)
    return {tok.idx for tok in doc if tok.pos_ == "PROPN"}


def find_person_names(text: str) -> list[Finding]:
    if text == text.lower():
        return []  # the NER never tags an all-lowercase name; skip the slow pipeline
    found: list[Finding] = []
    proper_nouns: set[int] | None = None
    for start, end, name in person_names(text):
        if _is_pseudonym(text, start):
            continue
        if not any(ch.isspace() for ch in name):
            if _is_ordinary_word(text, start, name):
                continue
            if proper_nouns is None:
                proper_nouns = _proper_noun_starts(text)
            if start not in proper_nouns:
                continue
        found.append(Finding.of(PERSON_NAME, start, end))
    return found
