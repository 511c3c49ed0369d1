"""The word lists as data: every listed lemma is caught, in base and inflected form."""

from __future__ import annotations

import pytest

from moderation.screening.detectors.offensive import classify_word
from moderation.screening.lang.profanity_fi import PROFANITY_LEMMAS
from moderation.screening.lang.slurs_fi import SLUR_LEMMAS


@pytest.mark.parametrize("word", sorted(PROFANITY_LEMMAS))
def test_every_profanity_lemma_is_caught(word: str) -> None:
    assert classify_word(word) == "profanity"
    assert classify_word(word.capitalize()) == "profanity"


@pytest.mark.parametrize("word", sorted(SLUR_LEMMAS))
def test_every_slur_lemma_is_caught(word: str) -> None:
    assert classify_word(word) == "slur"


@pytest.mark.parametrize(("word", "reason"), [
    ("vittuja", "profanity"), ("vitulla", "profanity"), ("paskojen", "profanity"),
    ("perseelle", "profanity"), ("saatanoita", "profanity"), ("helvetissä", "profanity"),
    ("huorien", "profanity"), ("kusipäille", "profanity"), ("mulkut", "profanity"),
    ("paskahallinnolle", "profanity"), ("vittumaisia", "profanity"),
    ("neekereitä", "slur"), ("ryssille", "slur"), ("hintit", "slur"), ("mamuille", "slur"),
    ("mongoloidit", "slur"),
])
def test_inflected_forms(word: str, reason: str) -> None:
    assert classify_word(word) == reason
