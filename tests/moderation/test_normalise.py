"""Normalised views map every character back to the original text."""

from __future__ import annotations

import pytest

from moderation.screening.normalise import View, collapse, normalise


def as_text(view: View) -> str:
    return view.text


@pytest.mark.parametrize(("text", "normalised"), [
    ("Kotihoito on tärkeää.", "Kotihoito on tärkeää."),
    ("０４０ １２３ ４５６７", "040 123 4567"),
    ("040\u200b123\u200b4567", "0401234567"),
    ("matti＠example．fi", "matti@example.fi"),
    ("131052\u2013308T", "131052-308T"),
    ("131052\u2212308T", "131052-308T"),
    ("koti\u00adhoito", "kotihoito"),
    ("\u202e4567 321 040\u202c", "4567 321 040"),  # stored order
    ("a\u0308iti", "äiti"),  # a + combining diaeresis
    ("ﬁ", "fi"),
    ("٠٤٠ ١٢٣ ٤٥٦٧", "040 123 4567"),  # Arabic-Indic digits
    ("👍\ufe0f", "👍"),
])
def test_normalise(text: str, normalised: str) -> None:
    assert normalise(text).text == normalised


@pytest.mark.parametrize(("text", "collapsed"), [
    ("Kotihoito on tärkeää, klo 9.30 ja 12.3.2024.", "Kotihoito on tärkeää, klo 9.30 ja 12.3.2024."),
    ("0 4 0 1 2 3 4 5 6 7", "0401234567"),
    ("m a t t i @ e x a m p l e . f i", "matti@example.fi"),
    ("040 - 123 - 4567", "040-123-4567"),
    ("040.123.4567", "040 123 4567"),
    ("01.02.2024", "01.02.2024"),  # a date keeps its dots
    ("a ja b", "a ja b"),
    ("m a t t i  v i r t a n e n", "matti virtanen"),
    ("O4O 123 4567", "040 123 4567"),
    ("131O52-3O8T", "131052-308T"),
    ("Olin lomalla, IO ja lol", "Olin lomalla, IO ja lol"),
    ("FI21 1234", "FI21 1234"),
])
def test_collapse(text: str, collapsed: str) -> None:
    assert collapse(normalise(text)).text == collapsed


@pytest.mark.parametrize("text", [
    "０４０ １２３ ４５６７ soita",
    "s\u200bo\u200bi\u200bt\u200ba 0 4 0 - 1 2 3",
    "a\u0308iti ﬁ 040.123.4567",
])
def test_every_character_maps_back_inside_the_original(text: str) -> None:
    view = collapse(normalise(text))
    for i in range(len(view.text)):
        start, end = view.original_span(i, i + 1)
        assert 0 <= start < end <= len(text)
    assert view.original_span(0, len(view.text))[1] <= len(text)


def test_span_of_a_disguised_number_is_the_whole_disguise() -> None:
    text = "soita ０４０\u200b１２３ heti"
    view = collapse(normalise(text))
    start = view.text.index("040123")
    assert text[slice(*view.original_span(start, start + 6))] == "０４０\u200b１２３"


def test_right_to_left_override_as_displayed() -> None:
    text = "soita \u202e7654 321 040\u202c heti"
    view = normalise(text, as_displayed=True)
    assert view.text == "soita 040 123 4567 heti"
    start = view.text.index("040")
    assert text[slice(*view.original_span(start, start + 12))] == "7654 321 040"


def test_ordinary_text_is_its_own_view() -> None:
    view = normalise("Ihan tavallinen viesti.")
    assert view.starts is None
    assert view.original_span(3, 7) == (3, 7)


PALETTE = ("0123456789 -.@()[]+/aäoöAÄkKtT" "０４＠－\u200b\u200d\u00ad\u202e\u202c\u0308\u2013\n"
           "ﬁ½²")


@pytest.mark.parametrize("seed", range(40))
def test_random_text_spans_stay_inside_the_text(seed: int) -> None:
    import random

    from moderation.screening import screen

    rng = random.Random(seed)
    for _ in range(25):
        text = "".join(rng.choice(PALETTE) for _ in range(rng.randint(0, 60)))
        for f in screen(text, names=False, recent_texts=[text[::-1]]).findings:
            assert 0 <= f.start <= f.end <= len(text)
