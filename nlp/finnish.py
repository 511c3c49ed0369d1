"""The Finnish language layer: tokens, lemmas (fast Voikko path and full spaCy
pipeline) and person names.

Other packages (moderation/, the theme code) use only the functions named in
``__all__``; their signatures are a contract.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Token", "tokenize", "lemma", "lemmas", "person_names", "full_pipeline"]

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


@lru_cache(maxsize=1)
def _voikko() -> Any:
    import libvoikko  # imported lazily: it loads a shared library

    return libvoikko.Voikko("fi")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The base form of one word form, from Voikko's analyser (the fast path).

    Unknown words come back lowercased as they are.
    """
    lowered = word.lower()
    with _lock:  # a Voikko handle is not safe to share between threads
        analyses = _voikko().analyze(word)
    if not analyses:
        return lowered
    return str(analyses[0].get("BASEFORM", lowered)).lower()


def lemmas(text: str) -> list[str]:
    """Lemmas of the word tokens of ``text`` (fast path)."""
    return [lemma(tok.text) for tok in tokenize(text) if tok.is_word]


@lru_cache(maxsize=1)
def full_pipeline() -> Any:
    """The full spaCy Finnish pipeline, loaded once per process."""
    import spacy

    return spacy.load(_SPACY_MODEL)


def person_names(text: str) -> list[tuple[int, int, str]]:
    """Person names found by spaCy's Finnish NER, as (start, end, text)."""
    doc = full_pipeline()(text)
    return [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
