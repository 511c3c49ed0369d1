"""How far the fast path's lemmas agree with the full spaCy pipeline's.

Method: run the full pipeline on the texts; for every spaCy token containing a
letter, compute the fast path's lemma of the same token text (reading negation
context from the previous token, as the fast path does in bulk) and compare
both lemmas lowercased (the fast path lowercases proper names). Agreement is
the share of equal lemmas. Tokens come from spaCy's tokenizer so both sides
judge exactly the same strings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlp.finnish import NEGATION_FORMS, full_pipeline
from nlp.voikko import analyze_word

__all__ = ["Agreement", "measure_agreement"]


@dataclass(frozen=True, slots=True)
class Agreement:
    tokens: int
    agreeing: int
    disagreements: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.agreeing / self.tokens if self.tokens else 1.0


def measure_agreement(texts: Sequence[str]) -> Agreement:
    """Compare lemmas on the word tokens of ``texts``; disagreements count
    (word form, spaCy lemma, fast lemma)."""
    tokens = agreeing = 0
    wrong: Counter[tuple[str, str, str]] = Counter()
    for doc in full_pipeline().pipe(texts):
        previous = ""
        for token in doc:
            text = token.text
            if not any(ch.isalpha() for ch in text):
                previous = ""
                continue
            fast = analyze_word(text, previous in NEGATION_FORMS).lemma
            full = token.lemma_.lower()
            previous = text.lower()
            tokens += 1
            if fast == full:
                agreeing += 1
            else:
                wrong[(text.lower(), full, fast)] += 1
    return Agreement(tokens, agreeing, wrong)
