"""Theme labels: whole nouns, dominating compounds, names capitalised."""

from __future__ import annotations

import pytest

from nlp.analysis import analyze_text
from nlp.labels import NO_LABEL, name_theme


def _name(terms: list[str], texts: list[str]) -> tuple[str, tuple[str, ...]]:
    naming = name_theme(terms, [analyze_text(t) for t in texts])
    return naming.label, naming.keywords


def test_compound_part_shown_as_its_dominating_compound() -> None:
    texts = [
        "Ilmastonmuutos huolestuttaa minua.",
        "Ilmastonmuutoksen hillintä on tärkeää.",
        "Ilmastonmuutos pitää ottaa huomioon.",
    ]
    label, words = _name(["muutos", "ilmasto"], texts)
    assert label == "Ilmastonmuutos"
    assert "muutos" not in words and "ilmasto" not in words


def test_fragments_and_verbs_never_name_a_theme() -> None:
    texts = ["Kävin pääkaupungissa.", "Pääkaupunki on kaukana.", "Matkustin pääkaupunkiin."]
    label, words = _name(["pää", "matkustaa", "pääkaupunki"], texts)
    assert "pää" not in words and "matkustaa" not in words
    assert label == "Pääkaupunki"


def test_proper_nouns_capitalised_and_nouns_joined_in_finnish() -> None:
    texts = [
        "Tampereen jono on pitkä.",
        "Tampereella jono ei liiku.",
        "Jono Tampereelle kestää.",
    ]
    label, words = _name(["jono", "tampere", "pitkä"], texts)
    assert label == "Jono ja Tampere"
    assert "Tampere" in words


@pytest.mark.parametrize("texts", [[], ["!!!"]])
def test_no_words_gives_a_placeholder(texts: list[str]) -> None:
    assert _name([], texts)[0] == NO_LABEL


def test_participles_count_as_verbs() -> None:
    texts = [
        "Kyytiä ei ole järjestetty.",
        "Kyyti pitää järjestää.",
        "Kyytiä ei järjestetty ajoissa.",
    ]
    _, words = _name(["järjestää", "kyyti"], texts)
    assert words == ("kyyti",)


def test_a_usual_adjective_makes_a_noun_phrase() -> None:
    texts = [
        "Puhelinjonossa on pitkä jono.",
        "Pitkä jono terveysasemalle.",
        "Jouduin pitkään jonoon taas.",
        "Pitkät jonot ovat ongelma.",
    ]
    label, words = _name(["jono", "terveysasema"], texts)
    assert label == "Pitkä jono ja terveysasema"
    assert words[0] == "jono"  # keywords stay single words
