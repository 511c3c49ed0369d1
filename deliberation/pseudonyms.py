"""Random Finnish-style pseudonyms such as "Sininen kettu 12".

They are drawn at random, so they say nothing about the person behind them.
"""

from __future__ import annotations

import secrets

ADJECTIVES = (
    "Sininen", "Punainen", "Vihreä", "Keltainen", "Valkoinen", "Musta", "Harmaa",
    "Oranssi", "Violetti", "Ruskea", "Hopeinen", "Kultainen", "Turkoosi", "Vaaleanpunainen",
    "Iloinen", "Rauhallinen", "Reipas", "Utelias", "Viisas", "Ystävällinen", "Rohkea",
    "Nopea", "Hiljainen", "Lempeä", "Sitkeä", "Tarkka", "Pirteä", "Aurinkoinen",
)
ANIMALS = (
    "kettu", "karhu", "ilves", "susi", "jänis", "orava", "siili", "hirvi", "poro",
    "saukko", "majava", "näätä", "kärppä", "pöllö", "korppi", "joutsen", "kurki",
    "tikka", "varis", "harakka", "peippo", "tiainen", "lohi", "hauki", "ahven",
    "sammakko", "perhonen", "mehiläinen", "muurahainen", "hylje",
)


def random_pseudonym() -> str:
    return (
        f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)} "
        f"{secrets.randbelow(99) + 1}"
    )
