"""Themes: determinism, "Muut", representatives, growth, incremental assign."""

from __future__ import annotations

import csv
import pickle
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nlp.analysis import AnalysisCache
from nlp.exports import to_csv, to_dict, to_markdown
from nlp.themes import PostMeta, ThemeResult, assign, compute_themes

SAMPLE = Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_feedback.csv"


def _sample() -> tuple[list[str], list[str]]:
    with SAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _sample()[0]


@pytest.fixture(scope="module")
def meta(texts: list[str]) -> list[PostMeta]:
    start = datetime(2026, 3, 1, 12)
    return [
        PostMeta(f"p{i}", f"u{i % 50}", i % 4, start + timedelta(hours=7 * i))
        for i in range(len(texts))
    ]


@pytest.fixture(scope="module")
def result(texts: list[str], meta: list[PostMeta]) -> ThemeResult:
    return compute_themes(texts, meta)


def test_same_input_same_themes(
    texts: list[str], result: ThemeResult, meta: list[PostMeta]
) -> None:
    again = compute_themes(texts, meta)
    assert to_dict(again, texts) == to_dict(result, texts)


def test_cache_gives_same_result(texts: list[str], meta: list[PostMeta]) -> None:
    cache: AnalysisCache = {}
    first = compute_themes(texts[:120], meta[:120], cache=cache)
    assert len(cache) == len(set(texts[:120]))
    second = compute_themes(texts[:120], meta[:120], cache=cache)
    assert to_dict(first, texts[:120]) == to_dict(second, texts[:120])


def test_every_row_in_exactly_one_theme_or_muut(result: ThemeResult, texts: list[str]) -> None:
    rows = [r for t in result.themes for r in t.rows] + list(result.other.rows)
    assert sorted(rows) == list(range(len(texts)))
    for theme in result.themes:
        assert all(result.assignments[r] == theme.id for r in theme.rows)
    assert all(result.assignments[r] is None for r in result.other.rows)
    assert result.other.label == "Muut"
    assert result.coverage == pytest.approx(1 - result.other.size / len(texts))


def test_theme_contents(result: ThemeResult, texts: list[str], meta: list[PostMeta]) -> None:
    assert 2 <= len(result.themes) <= 12
    assert [t.id for t in result.themes] == list(range(1, len(result.themes) + 1))
    sizes = [t.size for t in result.themes]
    assert sizes == sorted(sizes, reverse=True)
    for theme in result.themes:
        assert theme.label and theme.keywords
        assert 3 <= len(theme.representatives) <= 5
        assert set(theme.representatives) <= set(theme.rows)
        assert theme.summary
        for sentence in theme.summary:
            assert sentence.row in theme.rows
            assert sentence.text in texts[sentence.row]
        assert theme.support == sum(meta[r].support for r in theme.rows)
        assert theme.participants == len({meta[r].participant_id for r in theme.rows})
        assert sum(count for _, count in theme.growth) == theme.size
        assert [b for b, _ in theme.growth] == list(result.buckets)


def test_forced_k(texts: list[str]) -> None:
    assert compute_themes(texts, k=5).k == 5


def test_dental_posts_share_a_theme(result: ThemeResult, texts: list[str]) -> None:
    dental = [i for i, t in enumerate(texts) if "hammaslääkär" in t.lower()]
    themes = [result.assignments[i] for i in dental]
    top = max(set(themes), key=themes.count)
    assert top is not None and themes.count(top) >= 0.7 * len(themes)


def test_assign_places_new_posts(result: ThemeResult, texts: list[str]) -> None:
    dental_theme = result.assignments[
        next(i for i, t in enumerate(texts) if "hammaslääkär" in t.lower())
    ]
    new = "Hammaslääkärille pääsee vasta puolen vuoden päästä, hammas on kipeä."
    assert assign(result.model, new) == dental_theme
    assert assign(result.model, "Xyzzy qwerty plugh.") is None
    assert assign(result.model, "") is None
    # The model can go to and come back from a worker process.
    assert assign(pickle.loads(pickle.dumps(result.model)), new) == dental_theme


@pytest.mark.parametrize(
    "texts",
    [[], ["Yksi viesti vain."], ["!!!", "???", "..."], ["ja tai", "ja tai", "ei"]],
)
def test_degenerate_inputs_go_to_muut(texts: list[str]) -> None:
    result = compute_themes(texts)
    assert result.themes == ()
    assert result.assignments == (None,) * len(texts)
    assert result.coverage == 0.0
    assert assign(result.model, "Hammaslääkäri") is None
    assert to_markdown(result, texts).startswith("# Teemayhteenveto")


def test_meta_length_must_match() -> None:
    with pytest.raises(ValueError):
        compute_themes(["a", "b"], [PostMeta()])


def test_exports(result: ThemeResult, texts: list[str]) -> None:
    data = to_dict(result, texts)
    assert [a["row"] for a in data["assignments"]] == list(range(len(texts)))
    first = data["themes"][0]
    assert first["representatives"][0]["post_id"] == f"p{first['representatives'][0]['row']}"
    rows = list(csv.DictReader(to_csv(result, texts).splitlines()))
    assert len(rows) == len(texts) and rows[0]["text"] == texts[0]
    markdown = to_markdown(result, texts)
    for heading in ("# Teemayhteenveto", "### Tiivistelmä", "### Edustavia viestejä"):
        assert heading in markdown


def test_themes_per_question(texts: list[str], meta: list[PostMeta]) -> None:
    from dataclasses import replace

    from nlp.themes import compute_session_themes

    questions = ["Mikä toimii?", "Mitä pitäisi parantaa?"]
    asked = [replace(m, question=questions[i % 2]) for i, m in enumerate(meta)]
    session = compute_session_themes(texts, asked)
    assert [q.question for q in session.questions] == questions
    assert session.overall.themes
    for part in session.questions:
        assert len(part.result.assignments) == len(part.rows)
        assert all(asked[r].question == part.question for r in part.rows)


def test_without_word_vectors_themes_still_come(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlp.dense

    monkeypatch.setattr(nlp.dense, "word_vectors", lambda: None)
    result = compute_themes(texts[:120])
    assert result.themes
    assert result.model.space is not None and result.model.space.dense is None
    assert assign(result.model, texts[0]) in {t.id for t in result.themes} | {None}
