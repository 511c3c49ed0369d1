"""Summaries and quotes: what a service developer reads about a theme."""

from __future__ import annotations

import pytest

from nlp.labels import Naming
from nlp.summaries import Stance, overview
from nlp.themes import PostMeta, Theme, ThemeResult, compute_themes

_DENTAL = [
    "Hammaslääkäriin pääsee vasta puolen vuoden päästä.",
    "Hammaslääkärin jonot ovat aivan liian pitkät.",
    "Hammaslääkäriaikaa joutuu odottamaan kuukausia.",
    "Hammashoitolaan ei saa aikaa, jono on pitkä.",
    "Hammaslääkärille pitäisi päästä nopeammin kun hammas on kipeä.",
    "Hammaslääkärin jonot ovat aivan liian pitkät!",
    "Hammaslääkärin jonot ovat aivan liian pitkät.",
    "Numeroni on [poistettu], soittakaa hammaslääkärin jonosta.",
    "Tämä on ihan kestämätöntä hammaslääkärin kanssa.",
    "Hammaslääkäri, jono, puhelin, odotus, aika, kipu.",
]
_TRANSPORT = [
    "Bussi kulkee kylään vain kerran päivässä.",
    "Bussiyhteydet terveysasemalle puuttuvat kokonaan.",
    "Linja-auto ei kulje iltaisin ollenkaan.",
    "Bussilla ei pääse terveyskeskukseen ajoissa.",
    "Bussivuoroja pitäisi lisätä maaseudulle.",
    "Bussipysäkki on kaukana ja bussi kulkee harvoin.",
    "Bussireitti terveysasemalle pitää saada takaisin.",
    "Bussit kulkevat liian harvoin sivukylille.",
]


def _result(held_row: int | None = None) -> ThemeResult:
    texts = _DENTAL + _TRANSPORT
    meta = [PostMeta(post_id=i, held=(i == held_row)) for i in range(len(texts))]
    return compute_themes(texts, meta, k=2)


def _dental_theme(result: ThemeResult) -> Theme:
    return next(t for t in result.themes if 0 in t.rows)


def test_redacted_and_held_posts_are_never_quoted() -> None:
    theme = _dental_theme(_result(held_row=1))
    quoted = set(theme.representatives) | {s.row for s in theme.summary}
    assert 7 not in quoted  # "[poistettu]"
    assert 1 not in quoted  # held for moderation
    assert 7 in theme.rows and 1 in theme.rows  # still counted


def test_near_duplicates_shown_once_with_a_count() -> None:
    theme = _dental_theme(_result())
    twins = {1, 5, 6}
    shown = [q for q in theme.quotes if q.row in twins]
    assert len(shown) == 1
    assert shown[0].similar == 2


def test_summary_never_picks_demonstratives_or_lists() -> None:
    for theme in _result().themes:
        for sentence in theme.summary:
            assert not sentence.text.startswith("Tämä")
            assert sentence.text.count(",") < 4


def test_overview_says_what_and_how_many() -> None:
    theme = _dental_theme(_result())
    assert f"{theme.size} viestiä" in theme.overview
    assert "aihetta" in theme.overview
    assert theme.stance.negative > theme.stance.positive
    assert "ongelmista" in theme.overview.lower()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "12 viestiä (5 osallistujalta)"),
        ("sv", "12 inlägg (från 5 deltagare)"),
        ("en", "12 posts (from 5 participants)"),
    ],
)
def test_overview_in_three_languages(lang: str, expected: str) -> None:
    naming = Naming(
        "Hammaslääkäri ja jono", ("hammaslääkäri", "jono", "kipu"), ("hammaslääkäri", "jono")
    )
    text = overview(naming, 12, 5, Stance(1, 8, 12), lang)
    assert text.startswith(expected)
    assert "kipu" in text


_HOME_CARE = [
    "Hoitajat ovat ystävällisiä ja auttavat aina.",
    "Hoitaja oli todella ystävällinen ja kiva.",
    "Kiitos hoitajille, hoito on hyvä.",
    "Hoitajilla on liian kiire, käynti on lyhyt.",
    "Hoitajat vaihtuvat jatkuvasti ja se on huono asia.",
    "Hoitaja oli hidas ja ohjeet epäselviä.",
    "Kotihoidon puhelinjono on ongelma, hoitajaa ei saa kiinni.",
    "Kotihoidon puhelinjono on hidas ja hoitajan tavoittaminen vaikeaa.",
    "Puhelinjono kotihoitoon on kohtuuton, hoitajat eivät vastaa.",
]


def test_overview_says_what_they_agree_and_disagree_on() -> None:
    theme = compute_themes(_HOME_CARE, k=1).themes[0]
    aspects = {a.word: a for a in theme.stance.aspects}
    assert aspects["hoitaja"].positive >= 2 and aspects["hoitaja"].negative >= 2
    assert "Mielipiteet jakautuvat: hoitaja (myönteisiä" in theme.overview
    agreed = theme.overview.split("Yhtä mieltä ongelmista: ")[1].split(".")[0]
    assert "puhelinjono (3/3)" in agreed
    english = dict(theme.overviews)["en"]
    assert "Opinions differ: hoitaja" in english
    assert "Agree on problems: kotihoito (3/3), puhelinjono (3/3)" in english


def test_summary_adds_to_the_quotes_instead_of_repeating_them() -> None:
    texts = _DENTAL + _TRANSPORT
    for theme in _result().themes:
        quoted = set(theme.representatives)
        assert theme.summary, "a theme of this size has sentences beyond its quotes"
        for sentence in theme.summary:
            assert sentence.row not in quoted
            assert not any(sentence.text in texts[row] for row in quoted)
