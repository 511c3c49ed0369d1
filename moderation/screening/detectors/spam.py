"""Spam: link spam, text repeated inside a post, and repeats of the author's recent posts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from moderation.screening.findings import DUPLICATE, LINK_SPAM, REPEATED_TEXT, Finding
from moderation.screening.lang.spam_words import (
    SHORTENER_DOMAINS,
    STRONG_SELLING_WORDS,
    WEAK_SELLING_WORDS,
)
from nlp.finnish import lemma

# http(s) URLs, www. addresses and bare domains with a common top-level domain.
# Bare domains are lowercase only: "hyvä.Se toimii" is a missing space, not a link.
_LINK_RE: Final = re.compile(
    r"(?i:\bhttps?://[^\s<>\"']+|\bwww\.[^\s<>\"']+)|"
    r"(?<![@\w.\-])(?:[a-z0-9\-]+\.)+(?:com|net|org|fi|io|ly|gl|gd|co|at|cc|gy|id|ru|me|info|"
    r"biz|xyz|top|site|online|shop|store|link|click|de|se|eu|uk|us|ee)(?:/[^\s<>\"']*)?"
    r"(?![\w@\-])"
)
_HOST_RE: Final = re.compile(r"^(?:https?://)?(?:www\.)?([^/:?#\s]+)", re.IGNORECASE)
_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

MAX_LINKS: Final = 3  # this many links or more in one post is link spam
_SELLING_SCORE_WITH_LINK: Final = 3

# A unit of 1–8 non-space characters repeated back to back; long enough runs only.
_CHAR_REPEAT_RE: Final = re.compile(r"(\S{1,8}?)\1{4,}")
_MIN_CHAR_REPEAT_CHARS: Final = 30
# A phrase of 1–8 words repeated back to back.
_MAX_PHRASE_WORDS: Final = 8
_MIN_WORD_REPEATS: Final = 5  # "ei ei ei" is speech; five in a row is not
_MIN_PHRASE_REPEATS: Final = 3

_MIN_DUPLICATE_CHARS: Final = 15  # "Kiitos!" twice is not spam
_DUPLICATE_SIMILARITY: Final = 0.85
_SHINGLE: Final = 4


def _host(link: str) -> str:
    m = _HOST_RE.match(link)
    return m.group(1).lower().rstrip(".") if m else ""


def _selling_score(text: str) -> int:
    score = 0
    for m in _WORD_RE.finditer(text):
        word = m.group().lower()
        base = lemma(word) if len(word) > 2 else word
        if word in STRONG_SELLING_WORDS or base in STRONG_SELLING_WORDS:
            score += 3
        elif word in WEAK_SELLING_WORDS or base in WEAK_SELLING_WORDS:
            score += 1
    return score


def find_link_spam(text: str) -> list[Finding]:
    links = [(m.start(), m.end(), m.group().rstrip(".,;:!?)")) for m in _LINK_RE.finditer(text)]
    if not links:
        return []
    spans = [(start, start + len(link)) for start, _, link in links]
    if len(links) >= MAX_LINKS or _selling_score(_LINK_RE.sub(" ", text)) >= (
        _SELLING_SCORE_WITH_LINK
    ):
        return [Finding.of(LINK_SPAM, start, end) for start, end in spans]
    return [
        Finding.of(LINK_SPAM, start, end)
        for (start, end), (_, _, link) in zip(spans, links, strict=True)
        if _host(link) in SHORTENER_DOMAINS
    ]


def _char_repeats(text: str) -> list[tuple[int, int]]:
    return [
        m.span() for m in _CHAR_REPEAT_RE.finditer(text)
        if m.end() - m.start() >= _MIN_CHAR_REPEAT_CHARS
    ]


def _phrase_repeats(text: str) -> list[tuple[int, int]]:
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    keys = [w for w, _, _ in words]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(keys):
        best = 0
        for size in range(1, _MAX_PHRASE_WORDS + 1):
            unit = keys[i:i + size]
            if len(unit) < size:
                break
            repeats = 1
            while keys[i + repeats * size:i + (repeats + 1) * size] == unit:
                repeats += 1
            needed = _MIN_WORD_REPEATS if size == 1 else _MIN_PHRASE_REPEATS
            if repeats >= needed:
                best = max(best, repeats * size)
        if best:
            spans.append((words[i][1], words[i + best - 1][2]))
            i += best
        else:
            i += 1
    return spans


def find_repeated_text(text: str) -> list[Finding]:
    spans = sorted(_char_repeats(text) + _phrase_repeats(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [Finding.of(REPEATED_TEXT, start, end) for start, end in merged]


def _normalise(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower())) or text.strip().lower()


def _shingles(text: str) -> set[str]:
    if len(text) <= _SHINGLE:
        return {text}
    return {text[i:i + _SHINGLE] for i in range(len(text) - _SHINGLE + 1)}


def is_near_duplicate(a: str, b: str) -> bool:
    """Whether two posts say the same thing, ignoring case, punctuation and small edits."""
    na, nb = _normalise(a), _normalise(b)
    if na == nb:
        return True
    shorter, longer = sorted((len(na), len(nb)))
    if shorter < _DUPLICATE_SIMILARITY * longer:
        return False
    sa, sb = _shingles(na), _shingles(nb)
    return len(sa & sb) >= _DUPLICATE_SIMILARITY * len(sa | sb)


def find_duplicate(text: str, recent_texts: Sequence[str]) -> list[Finding]:
    if len(_normalise(text)) < _MIN_DUPLICATE_CHARS:
        return []
    if any(is_near_duplicate(text, old) for old in recent_texts):
        return [Finding.of(DUPLICATE, 0, len(text))]
    return []
