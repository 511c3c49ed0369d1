"""Voikko's name readings of single words."""

from __future__ import annotations

import pytest

from nlp.names import name_reading


@pytest.mark.parametrize(("word", "base", "given", "surname", "place", "common"), [
    ("Liisa", "liisa", True, False, False, False),
    ("liisa", "liisa", True, False, False, False),
    ("LIISA", "liisa", True, False, False, False),
    ("Virtasen", "virtanen", False, True, False, False),
    ("Onni", "onni", True, False, False, True),
    ("Aalto", "aalto", False, True, False, True),
    ("Tampereella", "tampere", False, False, True, False),
    ("kotihoito", "kotihoito", False, False, False, True),
])
def test_name_reading(word: str, base: str, given: bool, surname: bool, place: bool,
                      common: bool) -> None:
    reading = name_reading(word)
    assert (reading.base, reading.given, reading.surname, reading.place, reading.common) == (
        base, given, surname, place, common)
    assert reading.known
    assert reading.person == (given or surname)


def test_unknown_word() -> None:
    reading = name_reading("Xyzzyqw")
    assert not reading.known
    assert not reading.person
    assert reading.base == "xyzzyqw"
