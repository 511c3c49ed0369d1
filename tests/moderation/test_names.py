"""Person names: Voikko's name classes and the gazetteer, the NER for the rest, and
the ordinary words, places and organisations that are not names.

The NER cases load the spaCy model (a few seconds, once per test session).
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
    # any case: lowercase and capitals
    ("naapurini matti virtanen ei saa apua", ["matti virtanen"]),
    ("NAAPURINI MATTI VIRTANEN EI SAA APUA", ["MATTI VIRTANEN"]),
    ("hoitaja liisa korhonen oli töykeä", ["liisa korhonen"]),
    ("Hoitaja LIISA KORHONEN oli töykeä.", ["LIISA KORHONEN"]),
    ("kysykää pekka niemiseltä", ["pekka niemiseltä"]),
    ("soittakaa liisalle", ["liisalle"]),
    ("terveisiä korhoselle", ["korhoselle"]),
    ("LIISA OLI TODELLA IHANA HOITAJA", ["LIISA"]),
    # inflected
    ("Puhuin Matti Virtasen kanssa.", ["Matti Virtasen"]),
    ("Annoin paperit Liisalle eilen.", ["Liisalle"]),
    ("Kävin tohtori Korhosella kahdesti.", ["Korhosella"]),
    ("Virtasen Matti soitti minulle.", ["Virtasen Matti"]),
    # three words, hyphenated given names
    ("Anna Maria Virtanen hoiti asian.", ["Anna Maria Virtanen"]),
    ("Kiitos Anna-Liisa Mäkiselle avusta.", ["Anna-Liisa Mäkiselle"]),
    ("Jukka-Pekka oli vuorossa.", ["Jukka-Pekka"]),
    # a surname that is also a word, capitalised inside a sentence
    ("Hoitaja Aalto ei ehtinyt käydä.", ["Aalto"]),
    ("Kysyin asiaa Laineelta.", ["Laineelta"]),
    ("hoitaja Rauha auttoi paljon", ["Rauha"]),
    # a given name at the start of a sentence
    ("Liisa oli ihana hoitaja.", ["Liisa"]),
    ("Pekka ei vastannut puhelimeen.", ["Pekka"]),
    ("Kotihoito toimii. Timo käy joka aamu.", ["Timo"]),
    # foreign names
    ("Hoitaja Mohammed oli tosi ystävällinen.", ["Mohammed"]),
    ("Naapurini Ahmed Ali tarvitsee tulkin.", ["Ahmed Ali"]),
    ("Lääkäri Jennifer Smith kirjoitti lähetteen.", ["Jennifer Smith"]),
    # spaced-out letters, two spaces between words
    ("Hoitaja M a t t i  V i r t a n e n oli töykeä.", ["M a t t i  V i r t a n e n"]),
    ("hoitaja l i i s a  k o r h o n e n", ["l i i s a  k o r h o n e n"]),
    # zero-width characters do not hide a name
    ("Hoitaja Lii\u200bsa Korho\u200bnen oli töykeä.", ["Lii\u200bsa Korho\u200bnen"]),
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
    # ordinary words that are also names, lowercase or first in a sentence
    "anna palautetta kotihoidosta",
    "Anna palautetta kotihoidosta.",
    "Usko ja toivo ovat tärkeitä.",
    "Kari ja kallio rannalla.",
    "toivo on aina olemassa",
    "onni on pienissä asioissa",
    "Koivu kaatui pihalle.",
    "Laine löi rantaan.",
    "Aalto-yliopisto ja Kela-siirrot ovat eri asioita.",
    "Mäkinen maasto on vaikea rollaattorille.",
    "Kivi on kengässä.",
    "matti on shakissa voitto",
    # places and organisations
    "Asun Lahdessa ja kävin Salossa.",
    "Saimaan rannalla on hyvä asua.",
    "Turkkiin lähti moni eläkeläinen.",
    "Posti ei tuonut lääkkeitä ajoissa.",
    "Valvira ja Fimea valvovat.",
    "Kelan ja Pirhan palvelut eivät toimi.",
    "Tampereella ja Helsingissä on jonoja.",
    "Suomen Punainen Risti auttoi.",
    "OmaOlo ja WhatsApp ovat käteviä.",
    # capitalised ordinary words
    "Kotihoito, Neuvola ja Terveyskeskus ovat tärkeitä.",
    "KOTIHOITO EI TOIMI LAINKAAN TÄSSÄ KUNNASSA",
    "Palliatiivisen hoidon yksikkö on hyvä.",
    # English words that Voikko knows as names
    "will you help, mark my words",
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
