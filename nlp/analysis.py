"""Bulk analysis of texts on the fast path, and the cache of its results.

A ``TextAnalysis`` holds what theme clustering needs from one text: the
lemmas of its words, its content terms (lemmas and compound parts less stop
words) and its sentence spans. Analyses are keyed by a hash of the text, so a
caller can keep an ``AnalysisCache`` (a plain dict) between runs and pass it
back in: only texts not yet in it are analysed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from nlp.finnish import analyze_words
from nlp.stop_words import STOP_WORDS

__all__ = [
    "AnalysisCache",
    "ContentWord",
    "TextAnalysis",
    "analyze_text",
    "analyze_texts",
    "sentence_spans",
    "text_key",
]

# A sentence ends at . ! ? (or several) followed by space and a capital/digit,
# or at a line break.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“”(]?[A-ZÅÄÖ0-9])|\n+")
_MIN_TERM_LENGTH = 3
# Adverbs, pronouns, adpositions and conjunctions name no topic.
_FUNCTION_CLASSES = frozenset({"seikkasana", "asemosana", "suhdesana", "sidesana", "kieltosana"})


class ContentWord(NamedTuple):
    """One content word of a text: its lemma, Voikko word class and compound parts."""

    lemma: str
    word_class: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """The fast-path analysis of one text.

    ``terms`` (lemmas and compound parts) feed TF-IDF; ``words`` (content
    words only, whole) feed the word-vector half and the labels.
    """

    lemmas: tuple[str, ...]
    terms: tuple[str, ...]
    sentences: tuple[tuple[int, int], ...]
    words: tuple[ContentWord, ...] = ()
    # The lemmas of ``words``, kept apart: the word-vector half reads them for
    # every post on every run.
    content_lemmas: tuple[str, ...] = ()


AnalysisCache = dict[str, TextAnalysis]


def text_key(text: str) -> str:
    """The cache key of a text: a hash of its exact characters."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences of ``text``, stripped of spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return tuple((s, e) for s, e in spans if text[s:e].strip())


def _is_content(term: str) -> bool:
    return len(term) >= _MIN_TERM_LENGTH and term not in STOP_WORDS and term.isalpha()


def analyze_text(text: str) -> TextAnalysis:
    """Lemmas, content terms and sentences of one text (no cache)."""
    lemmas_: list[str] = []
    terms: list[str] = []
    words: list[ContentWord] = []
    for word in analyze_words(text):
        lemmas_.append(word.lemma)
        if word.word_class in _FUNCTION_CLASSES:
            continue
        if _is_content(word.lemma):
            terms.append(word.lemma)
            words.append(ContentWord(word.lemma, word.word_class, word.parts))
        # Compound parts let "hammaslääkäri" and "hammashoito" share "hammas".
        terms.extend(part for part in word.parts if _is_content(part) and part != word.lemma)
    return TextAnalysis(
        tuple(lemmas_),
        tuple(terms),
        sentence_spans(text),
        tuple(words),
        tuple(w.lemma for w in words),
    )


def analyze_texts(
    texts: Sequence[str],
    cache: AnalysisCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[TextAnalysis]:
    """Analyses of ``texts`` in order, reusing and filling ``cache`` if given.

    ``progress`` is called with the number of texts done since the last call.
    """
    store: AnalysisCache = cache if cache is not None else {}
    result: list[TextAnalysis] = []
    for i, text in enumerate(texts):
        key = text_key(text)
        found = store.get(key)
        if found is None:
            found = analyze_text(text)
            store[key] = found
        result.append(found)
        if progress is not None and (i + 1) % 200 == 0:
            progress(200)
    if progress is not None and len(texts) % 200:
        progress(len(texts) % 200)
    return result


def all_terms(analyses: Iterable[TextAnalysis]) -> list[tuple[str, ...]]:
    """The term tuples of ``analyses``, for a vectoriser."""
    return [a.terms for a in analyses]
