"""The Finnish language layer: tokens, lemmas (fast Voikko path and full spaCy
pipeline) and person names.

``lemma``/``lemmas`` use the fast path (``nlp.voikko``: one Voikko analysis
chosen by heuristics, cached per word form); ``full_pipeline`` and
``person_names`` use spaCy's ``spacy_fi_experimental_web_md``.

Other packages (moderation/, the theme code) use only the functions named in
``__all__``; their signatures are a contract.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nlp.voikko import WordAnalysis, analyze_word

__all__ = [
    "NEGATION_FORMS",
    "Token",
    "analyze_words",
    "full_pipeline",
    "lemma",
    "lemmas",
    "person_names",
    "tokenize",
]

# Forms of the negation verb; the word after one is read as a connegative verb.
_NEGATION_TEXT = "en et ei emme ette eivät enkä etkä eikä emmekä ettekä eivätkä ettei jottei ellei"
NEGATION_FORMS = frozenset(_NEGATION_TEXT.split())

# Words, numbers with inner punctuation (12.5, 010203-123K), and single other marks.
_TOKEN_RE = re.compile(r"\w+(?:[-'’.:]\w+)*|[^\w\s]", re.UNICODE)

_SPACY_MODEL = "spacy_fi_experimental_web_md"
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return any(ch.isalpha() for ch in self.text)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens with character offsets into ``text``."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The base form of one word form, lowercased, from the fast Voikko path.

    Unknown words come back lowercased as they are.
    """
    return analyze_word(word).lemma


def analyze_words(text: str) -> Iterator[WordAnalysis]:
    """The fast-path analysis of each word token of ``text``, in order; a word
    right after a negation verb ("en muista") is read as a verb form."""
    previous = ""
    for tok in tokenize(text):
        if not tok.is_word:
            previous = ""
            continue
        yield analyze_word(tok.text, previous in NEGATION_FORMS)
        previous = tok.text.lower()


def lemmas(text: str) -> list[str]:
    """Lemmas of the word tokens of ``text`` (fast path, reading negation context)."""
    return [word.lemma for word in analyze_words(text)]


@lru_cache(maxsize=1)
def full_pipeline() -> Any:
    """The full spaCy Finnish pipeline, loaded once per process."""
    import spacy

    return spacy.load(_SPACY_MODEL)


def person_names(text: str) -> list[tuple[int, int, str]]:
    """Person names found by spaCy's Finnish NER, as (start, end, text)."""
    with _lock:  # one shared pipeline; spaCy docs are built one at a time
        doc = full_pipeline()(text)
    return [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
