"""The word-vector half: related words near each other, new posts placed
as the corpus was, memory bounded."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import vectors
from nlp.dense import fit_dense
from nlp.vectors import word_vectors

pytestmark = pytest.mark.skipif(word_vectors() is None, reason="spaCy Finnish model missing")

DOCS = [
    ["hammaslääkäri", "jono"],
    ["hammas", "särkeä", "kipu"],
    ["bussi", "kulkea", "harvoin"],
    ["linja-auto", "pysäkki"],
    ["taksi", "kyyti"],
    ["hammashoitola", "aika"],
]


def test_posts_on_one_topic_without_shared_words_are_close() -> None:
    fitted = fit_dense(DOCS)
    assert fitted is not None
    _, points = fitted
    similarity = points @ points.T
    # Teeth posts are nearer each other than to a bus post, with no word in common.
    assert similarity[0, 1] > similarity[0, 2]
    assert similarity[2, 3] > similarity[2, 1]


def test_new_post_is_placed_as_the_corpus_was() -> None:
    fitted = fit_dense(DOCS)
    assert fitted is not None
    space, points = fitted
    assert space.component is not None
    again = space.embed(DOCS[:2])
    assert np.allclose(again, points[:2])
    assert not space.embed([[]]).any()


def test_probabilities_mute_frequent_words() -> None:
    model = word_vectors()
    assert model is not None
    common, rare = model.probabilities(["ja", "hammashoitola"])
    assert common > 100 * rare


def test_vector_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    model = word_vectors()
    assert model is not None
    monkeypatch.setattr(vectors, "_CACHE_LIMIT", 3)
    found = model.lookup(["koira", "kissa", "hevonen", "lehmä"])
    assert set(found) == {"koira", "kissa", "hevonen", "lehmä"}
    assert len(model.cache) <= 4
    model.lookup(["kana"])
    assert len(model.cache) <= 3
