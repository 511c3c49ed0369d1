"""Finnish given names that are also ordinary words ("Onni on...", "Toivo on...").

Voikko knows many of them only as names. A lone one at the start of a sentence,
or in lowercase, is taken as the ordinary word; in the middle of a sentence and
capitalised ("hoitaja Rauha auttoi") it is still a name.
"""

from __future__ import annotations

from typing import Final

WORD_LIKE_GIVEN_NAMES: Final = frozenset({
    "aamu", "aarre", "aino", "ilo", "ilta", "into", "jalo", "kaino", "kielo", "kukka",
    "lahja", "lempi", "lumi", "marja", "meri", "mielikki", "oiva", "onni", "orvokki",
    "pyry", "rauha", "ruusu", "satu", "sini", "sisko", "sulo", "suvi", "säde", "taimi",
    "tarmo", "toivo", "tuuli", "tyyne", "tähti", "urho", "usko", "valo", "veli", "voitto",
    "helmi", "hilja", "armas", "autuas", "lyydia", "kaste", "kesä", "talvi", "syksy", "kevät",
    "päivä", "aurora", "sointu", "vieno", "hellä", "terho", "uljas", "kauko", "tenho",
    "anna",  # the imperative of antaa: "Anna palautetta"
    "kari", "ilma",
})
