"""What a theme says: its keywords and label, its representative posts, and
an extractive summary made of sentences taken verbatim from its posts.

Every summary sentence keeps the row of the post it came from, so each claim
can be traced back to what a resident actually wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from nlp.analysis import TextAnalysis, analyze_text
from nlp.clustering import Matrix, VectorSpace

__all__ = ["SummarySentence", "keywords", "label_of", "representatives", "summarise"]

_N_KEYWORDS = 8
_N_LABEL_TERMS = 3
_SUMMARY_CANDIDATE_POSTS = 30
_REDUNDANT = 0.7  # cosine above which a sentence repeats one already chosen
_MIN_SENTENCE_CHARS = 15


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a summary and the row of the post it was taken from."""

    text: str
    row: int


def keywords(tfidf: csr_matrix, members: NDArray[np.int64], terms: Sequence[str]) -> list[str]:
    """The terms most typical of ``members`` against all posts (class-based TF-IDF).

    A compound part is skipped when a chosen keyword already contains it
    ("hammas" after "hammaslääkäri").
    """
    inside = np.asarray(tfidf[members].mean(axis=0)).ravel()
    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    score = inside * np.log1p(inside / (overall + 1e-9))
    chosen: list[str] = []
    # Stable order: by score, then alphabetically.
    for index in sorted(range(len(terms)), key=lambda i: (-score[i], terms[i])):
        if score[index] <= 0 or len(chosen) >= _N_KEYWORDS:
            break
        term = terms[index]
        if any(term in kept for kept in chosen):
            continue
        chosen.append(term)
    return chosen


def label_of(words: Sequence[str]) -> str:
    """A short Finnish label from the leading keywords: "Hammaslääkäri, jono, aika"."""
    label = ", ".join(words[:_N_LABEL_TERMS])
    return label[:1].upper() + label[1:] if label else "Nimetön teema"


def representatives(
    members: NDArray[np.int64],
    similarity: NDArray[np.float64],
    texts: Sequence[str],
    participants: Sequence[str | None],
    count: int = 5,
) -> list[int]:
    """Up to ``count`` member rows closest to the centroid, with distinct texts
    and, while possible, distinct participants.
    """
    order = sorted(members.tolist(), key=lambda r: (-similarity[r], r))
    chosen: list[int] = []
    seen_texts: set[str] = set()
    seen_people: set[str] = set()
    for strict in (True, False):
        for row in order:
            if len(chosen) >= count:
                return chosen
            text = texts[row].strip().lower()
            person = participants[row]
            if row in chosen or text in seen_texts:
                continue
            if strict and person is not None and person in seen_people:
                continue
            chosen.append(row)
            seen_texts.add(text)
            if person is not None:
                seen_people.add(person)
    return chosen


def _sentences(row: int, text: str, analysis: TextAnalysis) -> list[tuple[int, str]]:
    return [
        (row, text[start:end].strip())
        for start, end in analysis.sentences
        if len(text[start:end].strip()) >= _MIN_SENTENCE_CHARS
    ]


def summarise(
    members: NDArray[np.int64],
    similarity: NDArray[np.float64],
    centroid: Matrix,
    texts: Sequence[str],
    analyses: Sequence[TextAnalysis],
    space: VectorSpace,
    count: int = 3,
) -> list[SummarySentence]:
    """Up to ``count`` sentences from the theme's most central posts that are
    closest to the centroid, one per post and no two saying the same thing.
    """
    top = sorted(members.tolist(), key=lambda r: (-similarity[r], r))[:_SUMMARY_CANDIDATE_POSTS]
    candidates = [s for row in top for s in _sentences(row, texts[row], analyses[row])]
    if not candidates:
        return []
    vectors = space.project([analyze_text(sentence).terms for _, sentence in candidates])
    scores = vectors @ centroid
    ranked = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i][0], i))
    chosen: list[int] = []
    for index in ranked:
        if len(chosen) >= count:
            break
        row = candidates[index][0]
        if any(candidates[c][0] == row for c in chosen):
            continue
        if any(float(vectors[index] @ vectors[c]) > _REDUNDANT for c in chosen):
            continue
        chosen.append(index)
    return [SummarySentence(candidates[i][1], candidates[i][0]) for i in chosen]
