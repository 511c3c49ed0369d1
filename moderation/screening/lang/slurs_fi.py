"""Finnish slurs: words that demean people for their origin, ethnicity, sexual
orientation or disability. Lemmas, as in ``profanity_fi``.

Neutral words for the same groups (romani, homo, vammainen, maahanmuuttaja,
kehitysvammainen) are never listed: residents discuss these services by name.
Some slurs are unknown to Voikko ("mamu"); ``INFLECTED_ONLY_BY_SUFFIX`` lists
those, matched on the surface form plus a case ending instead.
"""

from __future__ import annotations

from typing import Final

SLUR_LEMMAS: Final = frozenset({
    "neekeri", "nekru", "mutakuono", "vinosilmä", "ryssä", "hurri", "bamlo",
    "hintti", "hinttari", "homppeli",
    "mongoloidi", "vajakki",
    "mamu", "matu",
})

SLUR_PREFIXES: Final = ("neekeri", "nekru", "ryssä", "hintti", "mutakuono", "vinosilmä")
SLUR_SUFFIXES: Final = ("neekeri", "nekru", "ryssä", "hintti", "mutakuono", "vinosilmä")

# Slurs Voikko does not know, so their inflected forms come back unchanged.
INFLECTED_ONLY_BY_SUFFIX: Final = ("mamu", "matu", "nekru", "bamlo", "hinttari", "homppeli",
                                   "vajakki", "mutakuono", "vinosilmä")
