"""The Finnish layer: fast-path lemmas, compound parts, tokens, person names."""

from __future__ import annotations

import pytest

from nlp.finnish import Token, lemma, lemmas, person_names, tokenize
from nlp.voikko import analyze_word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Soita", "soittaa"),
        ("terveyskeskukseen", "terveyskeskus"),
        ("Hammaslääkäriajat", "hammaslääkäriaika"),
        ("asemassa", "asema"),
        ("ajasta", "aika"),
        ("hoitajat", "hoitaja"),
        ("olisi", "olla"),
        ("ollut", "olla"),
        ("varattua", "varata"),
        ("päivää", "päivä"),
        ("vuosi", "vuosi"),
        ("ilman", "ilman"),
        ("jälkeen", "jälkeen"),
        ("nopeasti", "nopeasti"),
        ("usein", "usein"),
        ("meille", "minä"),
        ("hoitamaan", "hoitaa"),
        ("soitin", "soittaa"),
        ("omahoito-ohjelmat", "omahoito-ohjelma"),
        ("EU:ssa", "eu"),
        ("sairastumisen", "sairastuminen"),
        ("Xyzzyqw", "xyzzyqw"),
    ],
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("terveyskeskukseen", ("terveys", "keskus")),
        ("kuljetuspalvelun", ("kuljetus", "palvelu")),
        ("sairaanhoitajat", ("sairas", "hoitaja")),
        ("hammaslääkärille", ("hammas", "lääkäri")),
        ("omahoito-ohjelmat", ("omahoito", "ohjelma")),
        ("lääkäri", ()),
    ],
)
def test_compound_parts(word: str, parts: tuple[str, ...]) -> None:
    assert analyze_word(word).parts == parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("En muista milloin soitin.", ["ei", "muistaa", "milloin", "soittaa"]),
        ("Ei pysty jonottamaan.", ["ei", "pystyä", "jonottaa"]),
        ("Hoitajat kävivät kotona.", ["hoitaja", "käydä", "kotona"]),
    ],
)
def test_lemmas_read_negation_context(text: str, expected: list[str]) -> None:
    assert lemmas(text) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Hei, maailma!", [("Hei", 0, 3), (",", 3, 4), ("maailma", 5, 12), ("!", 12, 13)]),
        ("Soita 040-1234567.", [("Soita", 0, 5), ("040-1234567", 6, 17), (".", 17, 18)]),
        ("EU:ssa 12.5 %", [("EU:ssa", 0, 6), ("12.5", 7, 11), ("%", 12, 13)]),
        ("", []),
    ],
)
def test_tokenize_offsets(text: str, tokens: list[tuple[str, int, int]]) -> None:
    result = tokenize(text)
    assert [(t.text, t.start, t.end) for t in result] == tokens
    assert all(text[t.start : t.end] == t.text for t in result)


def test_token_is_word() -> None:
    assert Token("kissa", 0, 5).is_word
    assert not Token("123", 0, 3).is_word


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Hoitaja Matti Virtanen oli tosi töykeä.", ["Matti Virtanen"]),
        ("Kotihoito toimii hyvin, kiitos.", []),
    ],
)
def test_person_names(text: str, names: list[str]) -> None:
    found = person_names(text)
    assert [name for _, _, name in found] == names
    assert all(text[start:end] == name for start, end, name in found)
