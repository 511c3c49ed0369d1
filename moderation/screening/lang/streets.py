"""Street-name endings (Finnish and Swedish) and look-alikes that are not streets.

Each ending maps to the stems its inflected forms use: "katu" → "kadulla",
"rinne" → "rinteellä". A street is a word ending in one of them followed by a
house number, so "tie" in ordinary text never counts.
"""

from __future__ import annotations

from typing import Final

# base ending -> stems seen in inflected forms (the base form itself included)
STREET_ENDINGS: Final[dict[str, tuple[str, ...]]] = {
    "katu": ("katu", "kadu"),
    "tie": ("tie",),
    "kuja": ("kuja",),
    "polku": ("polku", "polu"),
    "väylä": ("väylä",),
    "raitti": ("raitti", "raiti"),
    "kaari": ("kaari", "kaare"),
    "kaarre": ("kaarre", "kaartee"),
    "rinne": ("rinne", "rintee"),
    "piha": ("piha",),
    "ranta": ("ranta", "ranna"),
    "tori": ("tori",),
    "aukio": ("aukio",),
    "puistikko": ("puistikko", "puistiko"),
    "puistotie": ("puistotie",),
    "bulevardi": ("bulevardi",),
    "esplanadi": ("esplanadi",),
    "penger": ("penger", "pengere"),
    "laituri": ("laituri",),
    "linja": ("linja",),
    # Swedish
    "gatan": ("gatan",),
    "vägen": ("vägen",),
    "gränd": ("gränd",),
    "stigen": ("stigen",),
    "backen": ("backen",),
    "torget": ("torget",),
    "kajen": ("kajen",),
    "allén": ("allén",),
}

# Case endings a street name takes before its number ("Hämeenkadulla 12").
CASE_ENDINGS: Final = ("", "n", "lla", "llä", "lle", "lta", "ltä", "ssa", "ssä", "sta", "stä",
                       "a", "ä", "ksi", "en", "lla", "lläkin", "llakin")

# Words with a street ending that name something else, in their base form
# ("valtatie 4" is a highway, "hoitopolku 2" a care pathway).
NOT_STREETS: Final = frozenset({
    "valtatie", "kantatie", "seututie", "maantie", "moottoritie", "yhdystie", "paikallistie",
    "kehätie", "metsätie", "yksityistie",
    "hoitopolku", "palvelupolku", "asiakaspolku", "opintopolku", "elämänpolku",
    "kuntoutuspolku", "hoitoketju", "elämäntie", "sateenkaari", "hoitolinja", "puhelinlinja",
    "linja", "etulinja", "päälinja", "bussilinja", "raitiolinja", "metrolinja",
    "tie", "katu", "kuja", "polku", "piha", "ranta", "tori", "aukio", "rinne", "kaari",
    "laituri", "väylä", "raitti", "penger", "kotipiha", "koulupiha", "takapiha", "etupiha",
    "kauppatori", "sivutie", "pikatie", "kiertotie", "oikotie", "läpikulkutie",
    "hiihtorinne", "laskettelurinne", "uimaranta", "merenranta", "järvenranta",
})
