"""Screening without name detection: a Finnish corpus of positives and near misses.

Each row is a text and the exact (reason, span text) pairs screening must find.
Spans are given as the text they cover, located with ``str.index``; the tests
check the offsets round-trip, so a wrong offset fails just as a wrong reason does.
"""

from __future__ import annotations

import pytest

from moderation.screening import Finding, Screening, screen
from moderation.screening.detectors.identity_codes import check_mark


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    screening = screen(text, names=False, **kwargs)  # type: ignore[arg-type]
    return [(f.reason, text[f.start:f.end]) for f in screening.findings]


def hetu(ddmmyy: str, sign: str, individual: str) -> str:
    return f"{ddmmyy}{sign}{individual}{check_mark(ddmmyy + individual)}"


# --- henkilötunnus ----------------------------------------------------------------

CENTURY_SIGNS = [
    ("010101", "+"),  # 1801
    ("131052", "-"), ("311299", "Y"), ("150650", "X"), ("290248", "W"), ("010190", "V"),
    ("121212", "U"),
    ("010105", "A"), ("290220", "B"), ("150310", "C"), ("010123", "D"), ("311224", "E"),
    ("060606", "F"),
]


@pytest.mark.parametrize(("ddmmyy", "sign"), CENTURY_SIGNS)
def test_hetu_with_every_century_sign(ddmmyy: str, sign: str) -> None:
    code = hetu(ddmmyy, sign, "308")
    text = f"Naapurini hetu on {code}, eikä hän saa apua."
    assert found(text) == [("personal_id", code)]


@pytest.mark.parametrize(("text", "expected"), [
    # the textbook example
    ("131052-308T", [("personal_id", "131052-308T")]),
    ("Äidin tunnus 131052-308T pitäisi olla kirjattu.", [("personal_id", "131052-308T")]),
    ("hetu: 131052-308t", [("personal_id", "131052-308t")]),  # lowercase check mark
    ("(131052-308T)", [("personal_id", "131052-308T")]),
    # right shape and a real date, wrong check mark: most likely a typo of a real code
    ("131052-308U", [("possible_personal_id", "131052-308U")]),
    ("010203-123K", [("possible_personal_id", "010203-123K")]),
    # not a date: not a hetu, and nothing else either
    ("320152-308T", []),
    ("131352-308T", []),
    ("290223A123X", []),  # 29 Feb 2023 does not exist
    # not the hetu shape (a code written together is a disguise, below)
    ("131052308T", [("personal_id", "131052308T")]),  # no separator: a disguise
    ("131052-30T", []),
    ("131052-308TT", []),
    ("X131052-308T", []),
    ("131052G308T", []),
])
def test_hetu_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_leap_day_hetu() -> None:
    code = hetu("290200", "A", "123")
    assert found(code) == [("personal_id", code)]


# --- phone numbers ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("Soittakaa minulle 040 123 4567 iltaisin.", "040 123 4567"),
    ("numero 0401234567", "0401234567"),
    ("Minut tavoittaa +358 40 123 4567.", "+358 40 123 4567"),
    ("+358401234567", "+358401234567"),
    ("+358 (0)40 123 4567", "+358 (0)40 123 4567"),
    ("00358 40 123 4567", "00358 40 123 4567"),
    ("Toimisto 09-123 4567 vastaa huonosti.", "09-123 4567"),
    ("Toimisto (09) 1234 567 vastaa huonosti.", "(09) 1234 567"),
    ("Tampereelle 03 565 6000.", "03 565 6000"),
    ("050-555 1234", "050-555 1234"),
    ("09/123 4567", "09/123 4567"),
    ("040/1234567", "040/1234567"),
    ("045 123 45 67", "045 123 45 67"),
    ("Ruotsin numero +46 70 123 45 67.", "+46 70 123 45 67"),
    ("puh. 123 4567", "123 4567"),
    ("Puh: 1234567", "1234567"),
    ("soita 555 1234 niin kerron lisää", "555 1234"),
])
def test_phone_numbers(text: str, number: str) -> None:
    assert found(text) == [("phone", number)]


def test_two_phone_numbers() -> None:
    text = "050 1234567 tai 040 7654321"
    assert found(text) == [("phone", "050 1234567"), ("phone", "040 7654321")]


NOT_PHONES = [
    "Sain ajan 12.3.2024 klo 9.30.",
    "Päätös tehtiin 2024-03-12.",
    "Päivystys 01-02-2024 oli täynnä.",
    "Vastaanotto on auki klo 08:00–16:00.",
    "klo 08-16",
    "Vuonna 2019 kaikki oli paremmin, 2020 huonommin.",
    "tilausnumero 12345678",
    "Tilausnumero 0123456789 ei toiminut.",
    "asiakasnumero: 0123456789",
    "viitenumero 01234 56789",
    "Dnro 123/2024",
    "Dnro 0123/2024",
    "Päätös 01/02/2024 ja 1/2/2024.",
    "Dnro 012/2024",
    "Lasku oli 1 250 € ja maksoin 0,50 € lisää.",
    "Maksu 0 123 456 € on liikaa.",
    "Postinumero 00100 Helsinki.",
    "33100 Tampere",
    "Tilinumero FI21 1234 5600 0007 85.",
    "Jonossa oli 120 ihmistä ja odotin 45 minuuttia.",
    "Matkaa oli 0 150 km.",
    "Y-tunnus 0123456-7",
    "https://example.fi/palvelut/0401234567",
    "3,14159265",
    "Versio 0.12.3456",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_not_phone_numbers(text: str) -> None:
    assert found(text) == []


# --- e-mail -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("Laita viestiä matti.virtanen@example.fi heti.", "matti.virtanen@example.fi"),
    ("MATTI@EXAMPLE.COM", "MATTI@EXAMPLE.COM"),
    ("osoite: m.v+raati@posti.example.net.", "m.v+raati@posti.example.net"),
    ("matti at example piste fi", "matti at example piste fi"),
    ("matti(at)example.fi", "matti(at)example.fi"),
    ("matti [at] example [dot] com", "matti [at] example [dot] com"),
    ("matti ät example.fi", "matti ät example.fi"),
])
def test_emails(text: str, address: str) -> None:
    assert found(text) == [("email", address)]


@pytest.mark.parametrize("text", [
    "Look at this, hoitajat ovat at work koko päivän.",
    "Tapasimme at home -palvelun työntekijän.",
    "@Sininen kettu 12 olen samaa mieltä",
    "Palaute piste fi -sivulle.",
])
def test_not_emails(text: str) -> None:
    assert found(text) == []


# --- street addresses -------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("Asun osoitteessa Hämeenkatu 12 A 5 Tampereella.", "Hämeenkatu 12 A 5"),
    ("Kauppakatu 3", "Kauppakatu 3"),
    ("Koivutie 7 B:ssä on ongelma.", "Koivutie 7 B"),
    ("Hän asuu Hämeenkadulla 12 yksin.", "Hämeenkadulla 12"),
    ("Koivutiellä 7 asuu vanhus.", "Koivutiellä 7"),
    ("Kalliorinteellä 3 b 14", "Kalliorinteellä 3 b 14"),
    ("Mäntykuja 4 as. 6", "Mäntykuja 4 as. 6"),
    ("Rantaraitti 15", "Rantaraitti 15"),
    ("Asemapolulla 2", "Asemapolulla 2"),
    ("Satamaväylä 10", "Satamaväylä 10"),
    ("Tuomiokirkonaukio 1", "Tuomiokirkonaukio 1"),
    ("Kirkkorannassa 8", "Kirkkorannassa 8"),
    ("Kaarikaari 5-7", "Kaarikaari 5-7"),
    ("Mannerheimintie 12", "Mannerheimintie 12"),
    ("asun koivutie 7:ssä", "koivutie 7"),
    ("Storgatan 5 B 12", "Storgatan 5 B 12"),
    ("Strandvägen 3", "Strandvägen 3"),
])
def test_addresses(text: str, address: str) -> None:
    assert found(text) == [("address", address)]


NOT_ADDRESSES = [
    "Tie terveyskeskukseen on huonossa kunnossa.",
    "Tietysti tie 12 kilometriä on pitkä.",
    "Valtatie 4 on ruuhkainen ja kantatie 51 samoin.",
    "Hoitopolku 2 toimii paremmin kuin hoitopolku 1.",
    "Opintopolku 2.0",
    "Kotihoidon polku on sekava, 3 eri työntekijää viikossa.",
    "Kauppakatu on kaunis.",
    "Hämeenkadulla oli 12 astetta lämmintä.",
    "Torilla oli 200 ihmistä.",
    "Kauppatori 3 kertaa viikossa",
    "Koivutie 7 km päässä",
    "Kävin Rantatiellä 5 kertaa.",
]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_not_addresses(text: str) -> None:
    assert found(text) == []


# --- profanity and slurs ------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Vittu mikä jono!", [("profanity", "Vittu")]),
    ("Tämä on vitun huono systeemi.", [("profanity", "vitun")]),
    ("Haista vittuun.", [("profanity", "vittuun")]),
    ("VITTU", [("profanity", "VITTU")]),
    ("Koko homma on paskaa.", [("profanity", "paskaa")]),
    ("Paskahallinto ei välitä.", [("profanity", "Paskahallinto")]),
    ("paskahallinnon päätös", [("profanity", "paskahallinnon")]),
    ("Puistossa on koiranpaskaa.", [("profanity", "koiranpaskaa")]),
    ("paskamainen kohtelu", [("profanity", "paskamainen")]),
    ("paska-asia", [("profanity", "paska-asia")]),
    ("Mikä paskiainen!", [("profanity", "paskiainen")]),
    ("Perkeleen byrokraatit", [("profanity", "Perkeleen")]),
    ("saatanan jonot", [("profanity", "saatanan")]),
    ("Se on helvetin kallista.", [("profanity", "helvetin")]),
    ("Jumalauta sentään.", [("profanity", "Jumalauta")]),
    ("kusipäät päättäjät", [("profanity", "kusipäät")]),
    ("vituttaa tämä", [("profanity", "vituttaa")]),
    ("Neekerit pois.", [("slur", "Neekerit")]),
    ("ryssät ja hurrit", [("slur", "ryssät"), ("slur", "hurrit")]),
    ("mamuja ja matuja", [("slur", "mamuja"), ("slur", "matuja")]),
    ("hintti", [("slur", "hintti")]),
    ("ryssänvihaaja", [("slur", "ryssänvihaaja")]),
])
def test_offensive_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


NOT_OFFENSIVE = [
    # mild on purpose
    "Hitto, taas jonoa.",
    "Hemmetti sentään, perhana ja pahus.",
    "Päättäjät ovat tyhmiä, idioottimaista.",
    # substrings and look-alikes
    "Kuljetus tuli sovittuun aikaan.",
    "Sovittu aika peruttiin.",
    "Luin Populäärimusiikkia Vittulajänkältä, Vittulassa asui Matti.",
    "Kusiaiset ovat pihalla.",
    "Perseus on tähdistö.",
    "Helvetia on Sveitsin latinankielinen nimi.",
    "Opiskelin Pascalia.",
    # neutral words for groups of people
    "Romanit, homot ja vammaiset tarvitsevat palveluja.",
    "Vammaispalvelut ja kehitysvammaisten asuminen.",
    "Maahanmuuttajat tarvitsevat tulkkeja.",
    "Saamelaiset ja ruotsinkieliset palvelut",
    # ordinary words
    "Tie terveyskeskukseen on pitkä.",
    "Kotihoito vastaa aina.",
]


@pytest.mark.parametrize("text", NOT_OFFENSIVE)
def test_not_offensive(text: str) -> None:
    assert found(text) == []


# --- link spam ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "links"), [
    ("Katso https://bit.ly/3abcDEF", ["https://bit.ly/3abcDEF"]),
    ("lisää tinyurl.com/xyz123 täältä", ["tinyurl.com/xyz123"]),
    ("www.a.fi ja www.b.fi ja www.c.fi", ["www.a.fi", "www.b.fi", "www.c.fi"]),
    ("Paras nettikasino! Ilmaiskierrokset: https://casino.example.com/fi",
     ["https://casino.example.com/fi"]),
    ("Osta halvalla, ilmainen toimitus, tilaa nyt https://kauppa.example.com.",
     ["https://kauppa.example.com"]),
    ("Pikavippi heti tilille: www.example.com", ["www.example.com"]),
])
def test_link_spam(text: str, links: list[str]) -> None:
    assert found(text) == [("link_spam", link) for link in links]


@pytest.mark.parametrize("text", [
    "Lisätietoa https://www.pirha.fi/palvelut ja https://www.thl.fi.",
    "Voit tilata ilmaisen esitteen osoitteesta https://www.pirha.fi/esite.",
    "Kiitos.Se toimi hyvin.Me olimme tyytyväisiä.Se oli hyvä.",
    "Omakanta.fi on hyvä palvelu.",
])
def test_not_link_spam(text: str) -> None:
    assert found(text) == []


# --- repeated text and duplicates ---------------------------------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("Apua" + "!" * 31, "!" * 31),
    ("a" * 40, "a" * 40),
    ("Hyvä " + "ha" * 20 + " idea", "ha" * 20),
    ("Lisää hoitajia lisää hoitajia lisää hoitajia lisää hoitajia",
     "Lisää hoitajia lisää hoitajia lisää hoitajia lisää hoitajia"),
    ("Ei ei ei ei ei ei käy!", "Ei ei ei ei ei ei"),
    ("Hyvä idea. SPAM SPAM SPAM SPAM SPAM", "SPAM SPAM SPAM SPAM SPAM"),
])
def test_repeated_text(text: str, span: str) -> None:
    assert found(text) == [("repeated_text", span)]


@pytest.mark.parametrize("text", [
    "Ei ei ei, ei näin.",
    "Kiitos kiitos kiitos!",
    "Hahahaha, hyvä vitsi.",
    "Jooo, niin on.",
    "Hoitajia tarvitaan. Hoitajia tarvitaan myös yöllä.",
])
def test_not_repeated_text(text: str) -> None:
    assert found(text) == []


RECENT = [
    "Kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajilla.",
    "Kiitos!",
]


@pytest.mark.parametrize("text", [
    "Kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajilla.",
    "kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajilla!!",
    "Kotihoidon käyntejä pitäisi olla useammin, ja samoilla hoitajilla...",
    "Kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajilla .",
    "Kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajillaa.",
])
def test_duplicate_of_recent_post(text: str) -> None:
    assert found(text, recent_texts=RECENT) == [("duplicate", text)]


@pytest.mark.parametrize("text", [
    "Kiitos!",  # short replies may repeat
    "Kotihoidon käyntejä pitäisi olla harvemmin ja eri hoitajilla joka kerta.",
    "Omaishoitajien vapaapäiviä pitäisi olla useammin.",
])
def test_not_duplicate(text: str) -> None:
    assert found(text, recent_texts=RECENT) == []


# --- the whole post -----------------------------------------------------------------

def test_clean_post_is_published() -> None:
    screening = screen("Kotihoidon pitää olla joustavaa ja inhimillistä.", names=False)
    assert screening == Screening(())
    assert screening.decision == "publish"
    assert not screening.has_personal_data


def test_post_with_many_findings() -> None:
    code = "131052-308T"
    text = f"Naapuri {code}, puh 040 123 4567, asuu Kauppakatu 3. Vitun kunta!"
    screening = screen(text, names=False)
    assert [(f.kind, f.reason, text[f.start:f.end]) for f in screening.findings] == [
        ("personal_data", "personal_id", code),
        ("personal_data", "phone", "040 123 4567"),
        ("personal_data", "address", "Kauppakatu 3"),
        ("offensive", "profanity", "Vitun"),
    ]
    assert screening.decision == "hold"
    assert screening.has_personal_data
    assert screening.reasons == ("address", "personal_id", "phone", "profanity")


def test_hetu_is_not_also_a_phone_number() -> None:
    text = "010190-123K 040 123 4567"
    assert [f.reason for f in screen(text, names=False).findings] == [
        "possible_personal_id", "phone",
    ]


def test_findings_are_personal_data_or_not() -> None:
    assert Finding.of("phone", 0, 3).is_personal_data
    assert Finding.of("possible_personal_id", 0, 3).is_personal_data
    assert not Finding.of("profanity", 0, 3).is_personal_data
    assert not Finding.of("duplicate", 0, 3).is_personal_data


def test_finding_kind_must_match_reason() -> None:
    with pytest.raises(ValueError):
        Finding("spam", 0, 3, "phone")
    with pytest.raises(KeyError):
        Finding.of("no_such_reason", 0, 3)


@pytest.mark.parametrize("text", ["", " ", "\n\n", "👍", "?!"])
def test_empty_and_odd_posts(text: str) -> None:
    assert screen(text, names=False).decision == "publish"


def test_long_post_is_screened_whole() -> None:
    text = "Kotihoito on tärkeää. " * 90 + "Soita 040 123 4567."
    reasons = [f.reason for f in screen(text, names=False).findings]
    assert "phone" in reasons
