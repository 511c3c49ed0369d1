"""Person names through spaCy's Finnish NER, and the false positives dropped from it.

Loads the spaCy model (a few seconds, once per test session).
"""

from __future__ import annotations

import pytest

from moderation.screening import screen


def names(text: str) -> list[str]:
    return [text[f.start:f.end] for f in screen(text).findings if f.reason == "person_name"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Naapurini Matti Virtanen ei saa apua kotihoidosta.", ["Matti Virtanen"]),
    ("Äitini Aino Mäkinen (85 v) asuu yksin.", ["Aino Mäkinen"]),
    ("Sanna Marin puhui asiasta.", ["Sanna Marin"]),
    ("Hoitaja Liisa oli ihana.", ["Liisa"]),
    ("Soitin ja tohtori Korhonen sanoi ettei aikaa ole.", ["Korhonen"]),
])
def test_person_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    # a participant's pseudonym quoted in a reply
    "Kuten Sininen kettu 12 sanoi, kotihoito on tärkeää.",
    # given names that are ordinary words
    "Onni on, kun hoitaja ehtii jutella.",
    "Toivo on, että palvelut paranevat.",
    # capitalised common nouns at the start of a sentence
    "Jonotuslista kertoisi edes jotain.",
    "Terapiatakuu olisi hyvä asia, mutta mistä terapeutit?",
    "Hammaspoliklinikan odotushuone oli täynnä.",
    # organisations and places
    "Kela ja HUS eivät toimi yhdessä.",
    "Terveyskeskus on Hervannassa ja sinne pääsee bussilla.",
    # all lowercase: never a name for the NER
    "naapurini matti virtanen ei saa apua",
])
def test_not_person_names(text: str) -> None:
    assert names(text) == []


def test_names_off() -> None:
    text = "Naapurini Matti Virtanen ei saa apua."
    assert screen(text, names=False).findings == ()


def test_name_inside_a_longer_finding_is_reported_once() -> None:
    text = "Matti Virtanen, matti.virtanen@example.fi"
    found = [(f.reason, text[f.start:f.end]) for f in screen(text).findings]
    assert ("email", "matti.virtanen@example.fi") in found
    assert sum(reason == "email" for reason, _ in found) == 1
