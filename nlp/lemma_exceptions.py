"""Lemma exceptions for the fast path, as data.

Two sources: the exception tables shipped inside the spaCy Finnish model's
lemmatizer (pronouns such as "meille" -> "minä", focus-particle adverbs such as
"vieläkin"), read straight from the package's ``lookups.bin`` without loading
spaCy; and a small table of our own for word forms whose most likely reading
the heuristics in ``nlp.voikko`` get wrong.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ADVERB_FORMS", "DISPREFERRED_LEMMAS", "LEMMA_EXCEPTIONS", "spacy_lemma_exceptions"]

_MODEL_PACKAGE = "spacy_fi_experimental_web_md"
_LOOKUPS = "fi_experimental_web_md-*/lemmatizer/lookups/lookups.bin"

# Word form (lowercase) -> lemma the full pipeline gives it in ordinary text.
LEMMA_EXCEPTIONS: dict[str, str] = {
    "soitin": "soittaa",  # "I called", far likelier in feedback than "instrument"
    "soitimme": "soittaa",
    "tukea": "tuki",
    "alusta": "alku",
    "vuotta": "vuosi",
    "vuoden": "vuosi",
    "vuodessa": "vuosi",
    "vuosia": "vuosi",
    "vuosien": "vuosi",
    "miksi": "miksi",
    "kerroin": "kertoa",
    "masentunut": "masentunut",
    "oleva": "olla",
    "olevan": "olla",
    "olevat": "olla",
    # "vanhemmat" are parents far more often than "older ones".
    "vanhemmat": "vanhempi",
    "vanhempien": "vanhempi",
    "vanhempia": "vanhempi",
    "vanhemmille": "vanhempi",
    "vanhempi": "vanhempi",
    "vanhempana": "vanhempi",
}

# Adverbs that Voikko reads only as inflected nouns or adjectives ("kotona",
# "paljon", "liian"); the tagger calls them ADV and keeps the form as lemma.
_ADVERB_FORMS_TEXT = """
    aina alas alussa edes edelleen eilen enimmäkseen eniten enää etukäteen hetkessä
    huomenna hyvin ilmaiseksi iltaisin jälkikäteen huolimatta riippumatta sisälle
    sisällä väliin vastassa perään pitkään seuraavaksi ensin lopuksi joskus jopa jälkeenpäin kerran
    kokonaan kotona kotoa kunnolla kuitenkin liian liikaa lisää lopulta melkein
    muualla muualle muualta myöhässä myöhemmin nopeammin paljon parhaillaan
    pian pois puolestaan päivisin rauhassa samalla sisään suoraan sitten
    takaisin tarpeeksi todella tosissaan turhaan tänään täynnä täysin usein
    useammin vähemmän vähän viikoittain viimein vihdoin väärin yhdessä yhtä
    yksin yleensä ylös öisin aamuisin viikonloppuisin ajoissa kaukana
    oikeasti jatkuvasti helposti selkeästi nopeasti hitaasti esimerkiksi välillä
    päällä päälle päässä välin ikään lopuksi helpommin mahdollisimman pääosin
    nopsaan huonommin
    """
ADVERB_FORMS: frozenset[str] = frozenset(_ADVERB_FORMS_TEXT.split())

# Rare lemmas Voikko offers for common forms ("vuosi" as vuo, "Soita" as suo);
# a reading with one of these loses to any other reading of the same form.
_DISPREFERRED_LEMMAS_TEXT = """
    vuo suo kerto kuu alunen alus juuria pieniä viestiä päivätä omata siittää
    vihtoa vihta taata koto kota joki päivä_ omia hienostaa karsi maksa häntä
    paikata tosi paljo liika usea jälki vasta sisä myöhä etukäsi voi olka para
    ohja tuli jää toimi pysty halu kerroin kesti kuultaa päättö joutuisa
    palvelus
    """
DISPREFERRED_LEMMAS: frozenset[str] = frozenset(_DISPREFERRED_LEMMAS_TEXT.split())


def _lookups_file() -> Path | None:
    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).glob(_LOOKUPS)):
            return path
    return None


@lru_cache(maxsize=1)
def spacy_lemma_exceptions() -> dict[str, str]:
    """The spaCy model's lemma exceptions of every POS, merged (empty if absent)."""
    path = _lookups_file()
    if path is None:
        return {}
    import srsly

    data: Any = srsly.msgpack_loads(path.read_bytes())
    tables: Any = data.get("lemma_exc", {}) if isinstance(data, dict) else {}
    if isinstance(tables, bytes):
        tables = srsly.msgpack_loads(tables)
    merged: dict[str, str] = {}
    for table in tables.values() if isinstance(tables, dict) else []:
        if isinstance(table, dict):
            merged.update({str(k): str(v) for k, v in table.items()})
    return merged
