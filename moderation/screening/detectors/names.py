"""Person names: Voikko's name classes and a gazetteer first, spaCy's NER only for
the few capitalised words neither can place.

Each word is looked up once per process (``nlp.names.name_reading``: given name,
surname, place, ordinary word) and in the gazetteer of common Finnish names
(``moderation.screening.lang.person_names_fi``). Then:

- a given name next to a surname is a name in any case: "Matti Virtanen",
  "matti virtanen", "MATTI VIRTANEN", "Virtasen Matti"; in lowercase or capitals,
  where case tells nothing, one of the two must be a name and nothing else;
- a capitalised name inside a sentence is a name ("hoitaja Rauha auttoi",
  "tohtori Korhonen"): Finnish writes ordinary words in lowercase there;
- at the start of a sentence, in capitals or in lowercase, a lone word counts
  only if it is a name and not an ordinary word too ("Liisa oli ihana", but not
  "Onni on, kun..." or "Ilman häntä"), or a listed given name ("Matti sanoi");
- a capitalised word inside a sentence that Voikko does not know at all
  ("Jaroslav", a brand, a typo) goes to the NER, which reads its sentence only.

A participant's pseudonym quoted in a reply ("Sininen kettu 12") is never a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from moderation.screening.findings import PERSON_NAME, Finding
from moderation.screening.lang.given_names_fi import WORD_LIKE_GIVEN_NAMES
from moderation.screening.lang.person_names_fi import GIVEN_NAMES, ROLE_WORDS, SURNAMES
from nlp.finnish import person_names
from nlp.names import name_reading

_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PSEUDONYM_RE: Final = re.compile(r"[A-ZÅÄÖ][a-zåäö]+ [a-zåäö]+ \d{1,3}\b")
_SENTENCE_END_RE: Final = re.compile(r"(?:^|[.!?:;\n\"»”(\-–…]\s*)$")
_SENTENCE_RE: Final = re.compile(r"[^.!?\n]+[.!?]*")
_PREVIOUS_WORD_RE: Final = re.compile(r"(\w+)\W{1,3}$")
_BETWEEN_NAMES_RE: Final = re.compile(r"[ \u00a0]{1,2}")
_LETTER_RE: Final = re.compile(r"[^\W\d_]")
_UPPER_RE: Final = re.compile(r"[A-ZÅÄÖÜÉ]")
_MIN_LETTERS: Final = 3
_NER_CONTEXT: Final = 80  # characters of context either side of a word the NER reads
_MAX_NER_CHARS: Final = 600
_SHOUTING_SHARE: Final = 0.7
_MIN_SHOUTING_LETTERS: Final = 8


@dataclass(frozen=True, slots=True)
class _Facts:
    """What a word form can be, as far as names go (cached per form)."""

    shape: str  # "title" | "upper" | "lower" | "mixed"
    known: bool  # Voikko knows it
    common: bool  # an ordinary word too
    given: bool  # a given name (Voikko or the gazetteer)
    named: bool  # a given name or a surname (Voikko or the gazetteer)
    listed: bool  # in the gazetteer
    listed_given: bool  # in the gazetteer's given names
    person: bool  # named, and not a place unless a listed given name
    only_a_name: bool  # a person's name and never an ordinary word
    word_like: bool  # a given name that is also an ordinary word ("Onni", "Anna")

    @property
    def relevant(self) -> bool:
        """Whether the word can take part in a name at all."""
        return self.named or self.shape in ("title", "upper")


@lru_cache(maxsize=200_000)
def _facts(word: str) -> _Facts:
    reading = name_reading(word)
    forms = (word.lower(), reading.base)
    listed_given = any(form in GIVEN_NAMES for form in forms)
    listed = listed_given or any(form in SURNAMES for form in forms)
    named = reading.person or listed
    # "Saimaan" is the lake, not Saima's; "Turkkiin" the country; "Lahdessa" the town.
    person = listed_given or (named and not reading.place)
    word_like = any(form in WORD_LIKE_GIVEN_NAMES for form in forms)
    return _Facts(
        shape=_shape(word), known=reading.known, common=reading.common,
        given=reading.given or listed_given, named=named, listed=listed,
        listed_given=listed_given, person=person,
        only_a_name=person and not reading.common and not word_like, word_like=word_like,
    )


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int
    facts: _Facts
    sentence_start: bool


def _shape(word: str) -> str:
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if all(part[:1].isupper() and (len(part) == 1 or part[1:].islower())
           for part in re.split(r"[-'’]", word)):
        return "title"  # "Anna-Liisa" too
    # "WhatsApp", "Kela-siirrosta", "Aalto-yliopisto": brands and compounds, not people
    return "mixed"


def _words(text: str) -> list[_Word]:
    """The words that can take part in a name; most lowercase words cannot."""
    words: list[_Word] = []
    for m in _WORD_RE.finditer(text):
        facts = _facts(m.group())
        if facts.relevant:
            starts = _SENTENCE_END_RE.search(text, max(0, m.start() - 3), m.start()) is not None
            words.append(_Word(m.group(), m.start(), m.end(), facts, starts))
    return words


@lru_cache(maxsize=64)  # asked once per capitalised word, answered once per text
def _is_shouting(text: str) -> bool:
    letters = len(_LETTER_RE.findall(text))
    upper = len(_UPPER_RE.findall(text))
    return letters >= _MIN_SHOUTING_LETTERS and upper >= _SHOUTING_SHARE * letters


def _pair(a: _Word, b: _Word) -> bool:
    """Whether two adjacent words are a given name and a surname (either order)."""
    fa, fb = a.facts, b.facts
    both_title = fa.shape == fb.shape == "title"
    if both_title and fa.given and not fa.common and not fb.known:
        return len(b.text) >= _MIN_LETTERS  # "Sanna Xyzyx": a rare or foreign surname
    # Next to a given name, a surname reading wins over a place: "Teemu Malmin".
    if not ((fa.given and fb.named) or (fa.named and fb.given)):
        return False
    if both_title:
        return True
    same_case = fa.shape == fb.shape and fa.shape in ("lower", "upper")
    return same_case and (fa.only_a_name or fb.only_a_name)


def _single(word: _Word, text: str) -> bool | None:
    """True: a name; False: not one; None: ask the NER."""
    facts = word.facts
    if len(word.text) < _MIN_LETTERS or facts.shape == "mixed":
        return False
    if facts.shape == "title" and not word.sentence_start and not _is_shouting(text):
        if facts.person and (facts.listed or not facts.common):
            return True
        # "Posti" is a surname and the postal company: let the NER read the sentence.
        return None if facts.person or not facts.known else False
    if facts.shape == "title" and word.sentence_start:
        # First in a sentence, a word that is also ordinary ("Ilman", "Onni") is
        # the ordinary word, unless it is a common given name ("Matti", "Pekka").
        return facts.only_a_name or (facts.listed_given and not facts.word_like)
    # lowercase or capitals: the case says nothing, so only listed sure names count
    return facts.only_a_name and facts.listed


def _adjacent(text: str, a: _Word, b: _Word) -> bool:
    return _BETWEEN_NAMES_RE.fullmatch(text, a.end, b.start) is not None


def _name_runs(text: str, words: list[_Word]) -> tuple[list[tuple[int, int]], set[int]]:
    """Spans of given name + surname runs ("Anna Maria Virtanen"), and the words in them."""
    spans: list[tuple[int, int]] = []
    used: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while (j + 1 < len(words) and _adjacent(text, words[j], words[j + 1])
               and _pair(words[j], words[j + 1])):
            j += 1
        if j > i:
            spans.append((words[i].start, words[j].end))
            used.update(range(i, j + 1))
        i = j + 1
    return spans, used


def _after_role_word(text: str, start: int) -> bool:
    m = _PREVIOUS_WORD_RE.search(text, max(0, start - 40), start)
    return m is not None and m.group(1).lower().startswith(ROLE_WORDS)


def _ner_names(text: str, candidates: Iterable[_Word]) -> list[tuple[int, int]]:
    """NER person spans covering the candidates, reading only a window of their
    sentence around them (at most ``_MAX_NER_CHARS`` a post, so a long post of
    capitalised nonsense costs no more than a short one).

    The NER calls many unknown capitalised words persons ("Valvira", "Keva",
    "Palliatiivisen"); a one-word hit counts only after a word such as "hoitaja"
    or "naapurini", where a name is what comes next.
    """
    wanted = list(candidates)
    spans: list[tuple[int, int]] = []
    budget = _MAX_NER_CHARS
    for lo, hi in _ner_windows(text, wanted):
        if budget <= 0:
            break
        hi = min(hi, lo + budget)
        budget -= hi - lo
        for start, end, _ in person_names(text[lo:hi]):
            start, end = start + lo, end + lo
            one_word = not any(ch.isspace() for ch in text[start:end])
            if any(start <= w.start < end for w in wanted) and (
                not one_word or _after_role_word(text, start)
            ):
                spans.append((start, end))
    return spans


def _ner_windows(text: str, words: list[_Word]) -> list[tuple[int, int]]:
    """Merged windows of ``_NER_CONTEXT`` characters around each word, inside its
    sentence and cut at spaces."""
    windows: list[tuple[int, int]] = []
    sentences = [m.span() for m in _SENTENCE_RE.finditer(text)]
    for w in words:
        s_lo, s_hi = next(((a, b) for a, b in sentences if a <= w.start < b), (0, len(text)))
        lo, hi = max(s_lo, w.start - _NER_CONTEXT), min(s_hi, w.end + _NER_CONTEXT)
        if lo > s_lo:
            lo = text.find(" ", lo, w.start) + 1 or w.start
        if hi < s_hi:
            hi = text.rfind(" ", w.end, hi) if text.rfind(" ", w.end, hi) > 0 else w.end
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def _next_to_capitalised(text: str, words: list[_Word], i: int) -> bool:
    """Whether the word has a capitalised neighbour: a name of several words."""
    neighbours = [(words[i - 1], words[i])] if i > 0 else []
    neighbours += [(words[i], words[i + 1])] if i + 1 < len(words) else []
    return any(_adjacent(text, a, b) and a.facts.shape == b.facts.shape == "title"
               for a, b in neighbours)


def find_person_names(text: str) -> list[Finding]:
    words = _words(text)
    spans, used = _name_runs(text, words)
    ambiguous: list[_Word] = []
    for i, word in enumerate(words):
        if i in used:
            continue
        verdict = _single(word, text)
        if verdict:
            spans.append((word.start, word.end))
        elif verdict is None and (_after_role_word(text, word.start)
                                  or _next_to_capitalised(text, words, i)):
            # Only these can pass _ner_names' test; skip the NER for the rest.
            ambiguous.append(word)
    if ambiguous:
        spans += _ner_names(text, ambiguous)
    return [Finding.of(PERSON_NAME, start, end) for start, end in _merged(spans)
            if _PSEUDONYM_RE.match(text, start) is None]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
