"""What a theme says: its scored terms, its representative posts (quotes),
an extractive summary made of sentences taken verbatim from its posts, and
an overview written from templates (``nlp.summary_language``): what the theme
is about, how many said it, whether they agree, and on which of its keywords
they agree (as a problem, or as what works) or disagree, judged from the
leaning of the posts that use each of its frequent nouns.

Every summary sentence keeps the row of the post it came from, so each claim
can be traced back to what a resident actually wrote. Held and redacted posts
are never quoted; near-duplicates are quoted once, with a count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from nlp.analysis import TextAnalysis, analyze_text
from nlp.clustering import Matrix, VectorSpace
from nlp.finnish import NEGATION_FORMS
from nlp.labels import Naming
from nlp.summary_language import (
    DEMONSTRATIVE_OPENERS,
    NEGATIVE_LEMMAS,
    POSITIVE_LEMMAS,
    REDACTION_MARKERS,
    TEMPLATES,
)

__all__ = [
    "Aspect",
    "Quote",
    "Stance",
    "SummarySentence",
    "keywords",
    "overview",
    "quotable",
    "quotes",
    "stance",
    "summarise",
]

_N_KEYWORDS = 20
# Share of shared lemmas (Jaccard) above which two posts say the same thing.
_NEAR_DUPLICATE = 0.7
_LIST_COMMAS = 4
# Fewer posts taking a side than this say nothing about agreement.
_MIN_STANCE_POSTS = 3
# A noun's posts agree when this share of those taking a side take one side.
_AGREED_SHARE = 0.75
_MAX_ASPECTS = 3
_LIST_RE = re.compile(r"^\s*(?:[-*•–]|\d+[.)]\s)")
_SUMMARY_CANDIDATE_POSTS = 30
_REDUNDANT = 0.7  # cosine above which a sentence repeats one already chosen
_MIN_SENTENCE_CHARS = 15


@dataclass(frozen=True, slots=True)
class Quote:
    """A representative post and how many near-duplicates of it were folded in
    (shown as "N samankaltaista")."""

    row: int
    similar: int = 0


@dataclass(frozen=True, slots=True)
class Aspect:
    """A noun a theme's posts use often, and how the posts that use it lean."""

    word: str
    positive: int
    negative: int

    @property
    def sided(self) -> int:
        return self.positive + self.negative


@dataclass(frozen=True, slots=True)
class Stance:
    """How many of a theme's posts read as positive or negative, overall and
    for each frequent noun that enough posts take a side on."""

    positive: int
    negative: int
    total: int
    aspects: tuple[Aspect, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a summary and the row of the post it was taken from."""

    text: str
    row: int


def keywords(tfidf: csr_matrix, members: NDArray[np.int64], terms: Sequence[str]) -> list[str]:
    """The terms most typical of ``members`` against all posts (class-based TF-IDF).

    These are scoring terms (compound parts included); ``nlp.labels`` turns
    them into what a reader sees.
    """
    inside = np.asarray(tfidf[members].mean(axis=0)).ravel()
    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    score = inside * np.log1p(inside / (overall + 1e-9))
    chosen: list[str] = []
    # Stable order: by score, then alphabetically.
    for index in sorted(range(len(terms)), key=lambda i: (-score[i], terms[i])):
        if score[index] <= 0 or len(chosen) >= _N_KEYWORDS:
            break
        chosen.append(terms[index])
    return chosen


def _is_hidden(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in REDACTION_MARKERS)


def quotable(texts: Sequence[str], held: Sequence[bool]) -> list[bool]:
    """Which rows may be quoted: not held for moderation, nothing redacted."""
    return [not h and not _is_hidden(t) for t, h in zip(texts, held, strict=True)]


def _near_duplicates(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= _NEAR_DUPLICATE


def quotes(
    members: NDArray[np.int64],
    similarity: NDArray[np.float64],
    analyses: Sequence[TextAnalysis],
    participants: Sequence[str | None],
    allowed: Sequence[bool],
    count: int = 5,
) -> list[Quote]:
    """Up to ``count`` quotable member posts closest to the centroid, each shown
    once with the number of near-duplicates it stands for; distinct
    participants while possible.
    """
    order = sorted(members.tolist(), key=lambda r: (-similarity[r], r))
    bags = {r: frozenset(analyses[r].lemmas) for r in order}
    chosen: list[int] = []
    seen_people: set[str] = set()
    for strict in (True, False):
        for row in order:
            if len(chosen) >= count:
                break
            person = participants[row]
            if row in chosen or not allowed[row]:
                continue
            if any(_near_duplicates(bags[row], bags[c]) for c in chosen):
                continue
            if strict and person is not None and person in seen_people:
                continue
            chosen.append(row)
            if person is not None:
                seen_people.add(person)
    similar = dict.fromkeys(chosen, 0)
    for row in order:
        if row in similar:
            continue
        twin = next((c for c in chosen if _near_duplicates(bags[row], bags[c])), None)
        if twin is not None:
            similar[twin] += 1
    return [Quote(row, similar[row]) for row in chosen]


def _fit_to_quote(sentence: str) -> bool:
    """Not a fragment, a list, or a sentence pointing at what came before it."""
    if len(sentence) < _MIN_SENTENCE_CHARS:
        return False
    first = sentence.split(maxsplit=1)[0].strip("\"'“”(").lower()
    if first in DEMONSTRATIVE_OPENERS:
        return False
    is_list = _LIST_RE.match(sentence) or sentence.count(",") >= _LIST_COMMAS
    return not (is_list or ";" in sentence)


def _sentences(row: int, text: str, analysis: TextAnalysis) -> list[tuple[int, str]]:
    spans = (text[start:end].strip() for start, end in analysis.sentences)
    return [(row, sentence) for sentence in spans if _fit_to_quote(sentence)]


def summarise(
    members: NDArray[np.int64],
    similarity: NDArray[np.float64],
    centroid: Matrix,
    texts: Sequence[str],
    analyses: Sequence[TextAnalysis],
    space: VectorSpace,
    allowed: Sequence[bool],
    quoted: Sequence[int] = (),
    count: int = 3,
) -> list[SummarySentence]:
    """Up to ``count`` sentences from the theme's most central quotable posts
    that are closest to the centroid, one per post and no two saying the same
    thing; lists and sentences opening with a demonstrative are never picked.
    Posts already ``quoted`` (and their near-duplicates) are left out, so the
    summary adds to the quotes instead of repeating them.
    """
    shown = [frozenset(analyses[r].lemmas) for r in quoted]
    ordered = sorted(members.tolist(), key=lambda r: (-similarity[r], r))
    top = [
        r
        for r in ordered
        if allowed[r]
        and r not in quoted
        and not any(_near_duplicates(frozenset(analyses[r].lemmas), bag) for bag in shown)
    ][:_SUMMARY_CANDIDATE_POSTS]
    candidates = [s for row in top for s in _sentences(row, texts[row], analyses[row])]
    if not candidates:
        return []
    vectors = space.project([analyze_text(sentence) for _, sentence in candidates])
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


def _post_polarity(analysis: TextAnalysis) -> int:
    """+1, -1 or 0: positive words less negative ones, a negation flipping the next."""
    score = 0
    negated = False
    for lemma in analysis.lemmas:
        if lemma in NEGATION_FORMS or lemma == "ei":
            negated = True
            continue
        sign = 1 if lemma in POSITIVE_LEMMAS else -1 if lemma in NEGATIVE_LEMMAS else 0
        score += -sign if negated else sign
        negated = False
    return (score > 0) - (score < 0)


def stance(
    members: Sequence[int],
    analyses: Sequence[TextAnalysis],
    nouns: Sequence[tuple[str, str]] = (),
) -> Stance:
    """Counts of positive and negative posts among ``members``, and for each of
    ``nouns`` (lemma, shown) those of the posts that use it."""
    polarity = {r: _post_polarity(analyses[r]) for r in members}
    aspects = []
    for lemma, shown in nouns:
        sides = [
            polarity[r] for r in members if any(w.lemma == lemma for w in analyses[r].words)
        ]
        aspect = Aspect(shown, sides.count(1), sides.count(-1))
        if aspect.sided >= _MIN_STANCE_POSTS:
            aspects.append(aspect)
    values = list(polarity.values())
    return Stance(values.count(1), values.count(-1), len(values), tuple(aspects))


def _agreement(view: Stance, lang: str) -> str:
    """A sentence on whether the posts agree; nothing when too few take a side."""
    t = TEMPLATES[lang]
    pos, neg = view.positive, view.negative
    if pos + neg < _MIN_STANCE_POSTS:
        return ""
    facts = {"positive": pos, "negative": neg, "total": view.total}
    if 2 * neg > view.total:
        return t.majority_negative.format(**facts)
    if 2 * pos > view.total:
        return t.majority_positive.format(**facts)
    if neg >= 2 * pos:
        return t.leaning_negative.format(**facts)
    if pos >= 2 * neg:
        return t.leaning_positive.format(**facts)
    return t.divided.format(**facts)


def _agreed(aspect: Aspect, side: int) -> bool:
    count = aspect.positive if side > 0 else aspect.negative
    return count >= _AGREED_SHARE * aspect.sided


def _divided(aspect: Aspect) -> bool:
    fewer = min(aspect.positive, aspect.negative)
    return fewer >= 2 and 3 * fewer >= aspect.sided


def _aspects(view: Stance, lang: str) -> list[str]:
    """Sentences naming the nouns posts agree on (as a problem, or as what
    works) and those they disagree on, each with its counts."""
    t = TEMPLATES[lang]
    problems = [a for a in view.aspects if _agreed(a, -1)][:_MAX_ASPECTS]
    good = [a for a in view.aspects if _agreed(a, +1)][:_MAX_ASPECTS]
    split = [a for a in view.aspects if _divided(a)][:_MAX_ASPECTS]
    sentences = []
    if problems:
        items = [
            t.item_agree.format(word=a.word, count=a.negative, total=a.sided) for a in problems
        ]
        sentences.append(t.agree_problem.format(items=", ".join(items)))
    if good:
        items = [t.item_agree.format(word=a.word, count=a.positive, total=a.sided) for a in good]
        sentences.append(t.agree_good.format(items=", ".join(items)))
    if split:
        items = [
            t.item_split.format(word=a.word, positive=a.positive, negative=a.negative)
            for a in split
        ]
        sentences.append(t.disagree.format(items=", ".join(items)))
    return sentences


def overview(
    naming: Naming,
    size: int,
    participants: int | None,
    view: Stance,
    lang: str = "fi",
) -> str:
    """Plain sentences: what the theme is about and by how many, its other
    recurring words, and whether they agree. ``lang`` is fi, sv or en."""
    t = TEMPLATES.get(lang, TEMPLATES["fi"])
    facts = {"posts": t.posts[size != 1].format(n=size), "topic": naming.topic}
    if participants is not None:
        facts["people"] = t.people[participants != 1].format(n=participants)
        about = t.about_people.format(**facts)
    else:
        about = t.about.format(**facts)
    sentences = [about[:1].upper() + about[1:]]
    others = [w for w in naming.keywords if w not in naming.label_words][:4]
    if others:
        listed = (
            others[0]
            if len(others) == 1
            else (f"{', '.join(others[:-1])} {t.and_word} {others[-1]}")
        )
        sentences.append(t.also.format(terms=listed))
    sentences.append(_agreement(view, lang))
    sentences.extend(_aspects(view, lang))
    return " ".join(s for s in sentences if s)
