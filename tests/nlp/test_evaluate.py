"""Evaluation on data the repository ships, and on the public corpus beside
it when present (CI has ``../shared``)."""

from __future__ import annotations

import pytest

from nlp.csv_input import read_table
from nlp.evaluate import SAMPLE, evaluate, k_choices, public_corpora


@pytest.fixture(scope="module")
def sample() -> tuple[list[str], list[str]]:
    table = read_table(str(SAMPLE))
    return table.column("text"), table.column("label")


def test_sample_themes_match_human_labels(sample: tuple[list[str], list[str]]) -> None:
    texts, labels = sample
    figures = evaluate(texts, labels, 9)
    assert figures["raati_nmi"] >= 0.42  # LSA alone: 0.40-0.42
    assert figures["raati_nmi"] > 5 * figures["baseline_nmi"]


def test_automatic_k_finds_about_three_topics(sample: tuple[list[str], list[str]]) -> None:
    texts, labels = sample
    for k in k_choices(texts, labels, 3):
        assert 2 <= k <= 4


def test_automatic_k_finds_about_nine_topics(sample: tuple[list[str], list[str]]) -> None:
    texts, labels = sample
    figures = evaluate(texts, labels)
    assert 7 <= figures["raati_themes"] <= 11
    assert figures["raati_nmi"] >= 0.52  # at least as good as with K given


def test_automatic_k_grows_with_the_topics_of_the_public_corpus() -> None:
    found = dict(public_corpora())
    if "eduskunta_vkk" not in found:
        pytest.skip("../shared/data/eduskunta_vkk_dev.csv not present")
    table = read_table(str(found["eduskunta_vkk"]))
    texts, labels = table.column("text"), table.column("label")
    # Twelve ministries get many themes, not the handful the old rule gave.
    assert all(k >= 8 for k in k_choices(texts, labels, 12))


def test_public_corpus_with_k_given() -> None:
    found = dict(public_corpora())
    if "eduskunta_vkk" not in found:
        pytest.skip("../shared/data/eduskunta_vkk_dev.csv not present")
    table = read_table(str(found["eduskunta_vkk"]))
    figures = evaluate(table.column("text"), table.column("label"), 15)
    assert figures["raati_nmi"] >= 0.16
