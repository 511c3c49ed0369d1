"""Finnish profanity, as lemmas (base forms from Voikko).

Matched on lemmas, so "vitun", "vittuun" and "paskaa" match. Strong swear words
and vulgar insults only. Mild exclamations (hitto, hemmetti, helkkari, perhana,
pahus, kehveli, hitsi, jukra) and everyday put-downs (tyhmä, idiootti, ääliö,
urpo) are left out on purpose: they are common in heated but fair discussion,
and holding them would delay ordinary posts for nothing.
"""

from __future__ import annotations

from typing import Final

PROFANITY_LEMMAS: Final = frozenset({
    "vittu", "vituttaa", "vittuilla", "vittuilu", "vittumainen", "vittupää",
    "paska", "paskainen", "paskiainen", "paskantaa", "paskoa", "paskamainen",
    "perse", "perseillä", "perseily", "perseennuolija", "persreikä", "persereikä",
    "perkele", "perkeleellinen", "saatana", "saatanallinen", "jumalauta", "helvetti",
    "kusipää",
    "kyrpä", "kyrpiintyä", "mulkku", "mulkero", "kulli", "pillu", "tussu",
    "huora", "huorata", "lutka", "horo",
    "runkata", "runkkari", "nussia", "nussija",
})

# First or last parts of compounds that make the whole word profane
# ("paskahallinto", "koiranpaska", "hevonvittu"). Only distinctive stems: "kusi"
# and "pillu" would also hit ordinary words.
PROFANE_PREFIXES: Final = (
    "vittu", "vitu", "paska", "perse", "perkele", "saatana", "jumalauta", "helvet",
    "kusipää", "kyrpä", "mulkku", "huora", "lutka", "runkkari",
)
PROFANE_SUFFIXES: Final = (
    "vittu", "paska", "perse", "kusipää", "kyrpä", "mulkku", "huora", "lutka", "runkkari",
)

# Beginnings of lemmas that look like a profanity but are not one. Prefixes, because
# Voikko does not know some of them and leaves their inflected forms as they are
# ("Vittulassa", the village in Mikael Niemi's novel).
NOT_PROFANE_PREFIXES: Final = (
    "vittula", "vitus", "vituri", "helvetia", "perseveranssi", "perseus",
)

# Endings of ordinary lemmas that look like a profane last part ("sovittu" = agreed).
NOT_PROFANE_SUFFIXES: Final = ("sovittu", "ovittu")
