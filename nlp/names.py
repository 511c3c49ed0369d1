"""What Voikko's lexicon says about a word as a possible person name.

Voikko tags given names (``etunimi``), surnames (``sukunimi``), place names
(``paikannimi``) and other proper nouns (``nimi``) in its analyses, in any case
and any inflection ("virtasen" -> Virtanen). That answers most name questions
in microseconds; spaCy's NER (``nlp.finnish.person_names``) is for the words
Voikko does not know.

The module keeps its own Voikko handle, so name lookups never wait for the
theme analysis holding ``nlp.voikko``'s.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["NameReading", "name_reading"]

_lock = threading.Lock()
_GIVEN = "etunimi"
_SURNAME = "sukunimi"
_PLACE = frozenset({"paikannimi", "nimi"})


@dataclass(frozen=True, slots=True)
class NameReading:
    """One word form's readings, as far as names go.

    ``base`` is the lowercased base form of its person-name reading ("virtasen"
    -> "virtanen"), or of its first reading, or the word itself if Voikko does
    not know it.
    """

    base: str
    known: bool  # Voikko has any reading
    given: bool  # a given name
    surname: bool
    place: bool  # a place or another proper noun (an organisation, "Jumala")
    common: bool  # an ordinary word too: a noun, verb, adjective...

    @property
    def person(self) -> bool:
        return self.given or self.surname


@lru_cache(maxsize=1)
def _voikko() -> Any:
    import libvoikko  # imported lazily: it loads a shared library

    return libvoikko.Voikko("fi")


@lru_cache(maxsize=200_000)
def name_reading(word: str) -> NameReading:
    """The name readings of one word form (cached per process; thread-safe)."""
    with _lock:  # a Voikko handle is not safe to share between threads
        analyses = list(_voikko().analyze(word))
    classes = {a.get("CLASS", "") for a in analyses}
    person = [a for a in analyses if a.get("CLASS") in (_GIVEN, _SURNAME)]
    chosen = person or analyses
    base = chosen[0].get("BASEFORM", word) if chosen else word
    return NameReading(
        base=base.lower(),
        known=bool(analyses),
        given=_GIVEN in classes,
        surname=_SURNAME in classes,
        place=bool(classes & _PLACE),
        common=bool(classes - {_GIVEN, _SURNAME} - _PLACE),
    )
