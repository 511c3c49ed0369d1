"""Random Finnish-style pseudonyms such as "Sininen kettu 12".

They are drawn at random, so they say nothing about the person behind them.
The number suffix widens as draws collide: two digits while a session is
small, more once most two-digit names are taken, so a session never runs out.
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
# Collisions allowed at one width before the number gets a digit more. With
# 840 name pairs, two digits give 83k names; a draw that collides three times
# in a row means the space is crowded, and each extra digit makes it 10x larger.
DRAWS_PER_WIDTH = 3
MIN_DIGITS = 2
MAX_DIGITS = 12


def digits_for(attempt: int) -> int:
    """How many digits the number of the ``attempt``-th draw (0-based) may have."""
    return min(MIN_DIGITS + attempt // DRAWS_PER_WIDTH, MAX_DIGITS)


def random_pseudonym(attempt: int = 0) -> str:
    top = 10 ** digits_for(attempt) - 1
    return f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)} {secrets.randbelow(top) + 1}"
