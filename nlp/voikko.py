"""The fast Finnish word analyser: Voikko morphology with a word-form cache.

This module owns the choice of one Voikko analysis per word form (Voikko
returns every possible reading; the full spaCy pipeline picks one with a POS
tagger, we pick one with cheap heuristics), the lemma derived from it, and the
compound parts read from Voikko's WORDBASES. The heuristics are tuned so that
the lemmas agree with the full pipeline's (see ``nlp.agreement``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nlp.lemma_exceptions import (
    ADVERB_FORMS,
    DISPREFERRED_LEMMAS,
    LEMMA_EXCEPTIONS,
    spacy_lemma_exceptions,
)

__all__ = ["WordAnalysis", "analyze_word"]

Analysis = Mapping[str, str]

_lock = threading.Lock()
_WORDBASE_RE = re.compile(r"\+([^+(]+)\(([^)]*)\)")
_MINEN_RE = re.compile(r"\b(\w+)\[Tn4\]mi")
_MINEN_FORM_RE = re.compile(r"^(\w*)mi(?:nen|s\w*)$")

_ADVERBIAL = frozenset({"seikkasana", "suhdesana", "sidesana", "kieltosana"})
_PROPER = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})
_NOMINAL = frozenset({"nimisana", "laatusana", "nimisana_laatusana", "lukusana", "lyhenne"})
_POSSESSIVE_SUFFIXES = {"1s": ("ni",), "2s": ("si",), "1p": ("mme",), "2p": ("nne",)}


@dataclass(frozen=True, slots=True)
class WordAnalysis:
    """One word form's chosen reading: its lemma and its compound parts.

    ``parts`` are the base forms of the compound's members (``("terveys",
    "keskus")`` for "terveyskeskukseen"); a simple word has no parts.
    """

    lemma: str
    parts: tuple[str, ...]
    word_class: str


@lru_cache(maxsize=1)
def _voikko() -> Any:
    import libvoikko  # imported lazily: it loads a shared library

    return libvoikko.Voikko("fi")


def _voikko_analyses(word: str) -> list[dict[str, str]]:
    with _lock:  # a Voikko handle is not safe to share between threads
        return list(_voikko().analyze(word))


def _compound_count(analysis: Analysis) -> int:
    return analysis.get("STRUCTURE", "").count("=")


def _reading_rank(word: str, analysis: Analysis, after_negation: bool) -> int:
    """How likely the tagger is to read the form this way, 0 = most likely.

    Adverbs, adpositions and pronouns win over a homonymous inflected noun
    ("ilman", "jälkeen", "siitä"); first-person verbs win over nouns ("soitin",
    "kirjoitin": feedback is written in the first person); other nominal readings
    win over finite verb forms ("päivää", "vuosi") except for an A-infinitive
    identical to the form ("kertoa", "maksaa"); second-person and imperative
    verbs come last, since feedback is rarely addressed to "you".
    """
    word_class = analysis.get("CLASS", "")
    mood = analysis.get("MOOD", "")
    if after_negation and word_class == "teonsana" and analysis.get("NEGATIVE") == "both":
        return -1  # "en muista", "ei pysty": the connegative verb
    if word_class in _ADVERBIAL or word_class == "asemosana":
        return 0
    if word_class == "teonsana":
        return _verb_rank(word, analysis, mood)
    if analysis.get("POSSESSIVE") in {"2s", "2p"}:
        return 6  # "pääsi" is päästä, not "your head"
    if analysis.get("PARTICIPLE") == "agent":
        return 3  # "sairastumista" is sairastuminen, not the agent "sairastuma"
    if (
        analysis.get("PARTICIPLE") == "present_active"
        and analysis.get("NUMBER") == "plural"
        and analysis.get("SIJAMUOTO") == "nimento"
    ):
        return 4  # "tulevat", "asuvat" are nearly always finite verbs
    if word_class in _NOMINAL:
        return 2
    return 5


def _verb_rank(word: str, analysis: Analysis, mood: str) -> int:
    if mood == "A-infinitive" and analysis.get("BASEFORM", "") == word.lower():
        return 0
    if mood == "MA-infinitive" and analysis.get("SIJAMUOTO") != "keinonto":
        return 0  # "hoitamaan", "käyttämättä": the verb, not the agent noun
    if mood == "MINEN-infinitive":
        return 2
    if mood == "imperative" or analysis.get("PERSON") == "2":
        return 6
    if analysis.get("PERSON") == "1" and analysis.get("TENSE") == "past_imperfective":
        return 1  # "soitin", "kirjoitin"; present "ajan", "kauppaan" are nouns
    return 3


def _dispreferred(analysis: Analysis) -> bool:
    """A rare lemma, alone or as the head of a compound ("kuljetuspalvelus")."""
    if analysis.get("BASEFORM", "").lower() in DISPREFERRED_LEMMAS:
        return True
    parts = _compound_parts(analysis)
    return bool(parts) and parts[-1] in DISPREFERRED_LEMMAS


def _score(word: str, analysis: Analysis, after_negation: bool) -> tuple[int, ...]:
    """Sort key for a reading: smaller is more likely what the tagger picks."""
    proper = analysis.get("CLASS", "") in _PROPER
    return (
        # A lowercase word is almost never a name; a capitalised one is usually
        # just the first word of a sentence.
        2 if proper and not word[:1].isupper() else 1 if proper else 0,
        1 if _dispreferred(analysis) else 0,
        # Prefer the simple word: "asemassa" is asema, not ase+massa.
        _compound_count(analysis),
        _reading_rank(word, analysis, after_negation),
    )


def _choose(
    word: str, analyses: list[dict[str, str]], after_negation: bool
) -> dict[str, str] | None:
    if not analyses:
        return None
    return min(analyses, key=lambda a: _score(word, a, after_negation))


def _compound_parts(analysis: Analysis) -> tuple[str, ...]:
    """Base forms of the members of a compound, from Voikko's WORDBASES.

    WORDBASES looks like ``+terve(terve)+ys(+ys)+keskus(keskus)``: a member whose
    base starts with ``+`` is a derivational suffix and is glued to the previous
    member's surface form ("terve" + "ys" = "terveys", "kuljet" + "us" =
    "kuljetus").
    """
    members: list[tuple[str, str]] = []  # (surface, base)
    for surface, base in _WORDBASE_RE.findall(analysis.get("WORDBASES", "")):
        if base.startswith("+") and members:
            derived = members[-1][0] + surface
            members[-1] = (derived, derived)
        elif surface and surface != "-":
            members.append((surface.lower(), (base or surface).lower()))
    return tuple(base.replace("=", "") for _, base in members) if len(members) > 1 else ()


def _minen_lemma(word: str, analysis: Analysis) -> str | None:
    """Lemma of a MINEN-infinitive used as a noun ("hoitamisessa" -> "hoitaminen")."""
    match = _MINEN_FORM_RE.match(word.lower())
    if match:
        return match.group(1) + "minen"
    fst = _MINEN_RE.search(analysis.get("FSTOUTPUT", ""))
    return fst.group(1).lower() + "minen" if fst else None


def _participle_lemma(analysis: Analysis) -> str:
    """The verb behind a participle, as the full pipeline derives it.

    "varattua" has WORDBASES ``+vara(varata)+t+tu(+tu)`` -> "varata";
    "vastaanotettu" ``+vastaanote(vastaan=ottaa)+t+tu(+tu)`` -> "vastaanottaa".
    """
    num_bases = max(analysis.get("STRUCTURE", "").count("="), 1)
    forms: list[str] = []
    for base in re.finditer(r"\+([^+]+)", analysis.get("WORDBASES", "")):
        full_form = base.group(1)
        inner = re.search(r"(.+)\((.+)\)", full_form)
        form = full_form
        if inner:
            covered = inner.group(2).count("=") + 1
            form = inner.group(1) if len(forms) < num_bases - covered else inner.group(2)
        forms.extend(form.split("="))
        if len(forms) >= num_bases:
            break
    return "".join(forms).lower()


def _adverb_lemma(word: str, analysis: Analysis) -> str:
    """Adverbs and adpositions keep their form, less clitics and possessives."""
    lowered = word.lower()
    if "KYSYMYSLIITE" in analysis:
        lowered = lowered[:-2]
    focus = analysis.get("FOCUS", "")
    if focus and lowered.endswith(focus):
        lowered = lowered[: -len(focus)]
    for suffix in _POSSESSIVE_SUFFIXES.get(analysis.get("POSSESSIVE", ""), ()):
        if lowered.endswith(suffix):
            lowered = lowered[: -len(suffix)]
            if suffix.startswith("n") and analysis.get("BASEFORM", "").endswith("n"):
                lowered += "n"  # mukaa+ni -> mukaan
            break
    return lowered


def _lemma_of(word: str, analysis: Analysis) -> str:
    lowered = word.lower()
    word_class = analysis.get("CLASS", "")
    if word_class in {"seikkasana", "suhdesana"}:
        return _adverb_lemma(word, analysis)
    if analysis.get("SIJAMUOTO") in {"kerrontosti", "keinonto"}:
        return lowered  # "nopeasti", "usein", "selkeämmin" are adverbs of their own in UD
    participle = analysis.get("PARTICIPLE")
    if participle == "past_passive" or (
        participle == "past_active" and analysis.get("SIJAMUOTO") in {"nimento", "omanto"}
    ):
        # "on ollut", "varattua aikaa" are verb forms; "uupunutta ihmistä" an adjective.
        return _participle_lemma(analysis)
    if analysis.get("MOOD") == "MINEN-infinitive":
        return _minen_lemma(word, analysis) or lowered
    return analysis.get("BASEFORM", lowered).lower()


def _analyze_uncached(word: str, after_negation: bool) -> WordAnalysis:
    lowered = word.lower()
    exception = LEMMA_EXCEPTIONS.get(lowered) or spacy_lemma_exceptions().get(lowered)
    if exception is None and lowered in ADVERB_FORMS:
        exception = lowered
    head, prefix = word, ""
    if "-" in word.strip("-"):
        # Like the full pipeline, analyse only the head of a hyphenated compound.
        prefix, head = word.rsplit("-", 1)
        prefix += "-"
    if ":" in head:
        # An inflected abbreviation: "EU:ssa" -> "eu".
        base = head.split(":", 1)[0].lower()
        return WordAnalysis(prefix.lower() + base, (), "lyhenne")
    analysis = _choose(head, _voikko_analyses(head), after_negation)
    if analysis is None:
        return WordAnalysis(exception or lowered, (), "")
    lemma_ = exception or prefix.lower() + _lemma_of(head, analysis)
    parts = _compound_parts(analysis)
    if prefix:
        parts = (prefix.strip("-").lower(), *(parts or (_lemma_of(head, analysis),)))
    word_class = "seikkasana" if lowered in ADVERB_FORMS else analysis.get("CLASS", "")
    return WordAnalysis(lemma_, parts, word_class)


@lru_cache(maxsize=500_000)
def analyze_word(word: str, after_negation: bool = False) -> WordAnalysis:
    """The chosen analysis of one word form (cached per process).

    ``after_negation`` says the previous word was a form of the negation verb
    ("en", "ei", "eivät"...), where a verb reading is almost certain.
    """
    return _analyze_uncached(word, after_negation)
