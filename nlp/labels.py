"""Names of themes a Finnish reader accepts: nouns, whole compounds, proper
nouns capitalised.

Clustering scores terms that include compound parts ("hammas" from
"hammaslääkäri"), which helps grouping but makes poor names. Here each
scored term is turned into what a reader should see:

- a part is shown as the full compound that dominates it in the theme
  ("ilmastonmuutos", not "muutos");
- a part never used on its own in the theme, with no dominating compound, is
  a fragment and is dropped ("pää" from "pääkaupunki");
- verbs and nouns that name no topic (units of time, "asia", "idea") are
  dropped; the label itself takes nouns only (adjectives may stay among the
  keywords);
- place and person names are capitalised ("Kela", "Pohjois-Karjala");
- a label noun takes the adjective that usually stands before it in the
  theme, making a noun phrase in base form ("pitkä jono").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from nlp.analysis import TextAnalysis
from nlp.summary_language import UNTOPICAL_NOUNS
from nlp.voikko import analyze_word

__all__ = ["NO_LABEL", "Naming", "frequent_nouns", "name_theme"]

NO_LABEL = "Nimetön teema"
_N_KEYWORDS = 8
_N_LABEL_WORDS = 3
_NOUN = "nimisana"
_VERB = "teonsana"
_ADJECTIVES = frozenset({"laatusana", "nimisana_laatusana"})
# An adjective joins a label noun when it stands before it this often.
_MIN_PHRASE_POSTS = 3
_PHRASE_SHARE = 0.3
_PROPER = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})
_KEYWORD_CLASSES = frozenset({_NOUN, "laatusana", "nimisana_laatusana", "lyhenne"}) | _PROPER
_LABEL_CLASSES = frozenset({_NOUN, "lyhenne"}) | _PROPER


@dataclass(frozen=True, slots=True)
class Naming:
    """A theme's label, the words it is made of, and its keywords as shown.

    ``topic`` is the label as it reads inside a sentence (not capitalised
    unless it starts with a name).
    """

    label: str
    keywords: tuple[str, ...]
    label_words: tuple[str, ...] = ()

    @property
    def topic(self) -> str:
        return _join(self.label_words) or self.label


@dataclass(slots=True)
class _Usage:
    """How the theme's posts use words: whole lemmas, their classes, compounds."""

    whole: Counter[str]
    classes: dict[str, Counter[str]]
    compounds: dict[str, Counter[str]]  # part -> full compounds containing it
    modifiers: dict[str, Counter[str]]  # noun -> adjectives right before it


def _modifiers(analysis: TextAnalysis, into: dict[str, Counter[str]]) -> None:
    """Count adjective + noun pairs ("pitkä jono") that stand next to each other."""
    adjectives = {w.lemma for w in analysis.words if w.word_class in _ADJECTIVES}
    if not adjectives:
        return
    nouns = {w.lemma for w in analysis.words if w.word_class == _NOUN}
    lemmas = analysis.lemmas
    for before, lemma in pairwise(lemmas):
        if before in adjectives and lemma in nouns:
            into.setdefault(lemma, Counter())[before] += 1


def _usage(analyses: Sequence[TextAnalysis]) -> _Usage:
    whole: Counter[str] = Counter()
    classes: dict[str, Counter[str]] = {}
    compounds: dict[str, Counter[str]] = {}
    modifiers: dict[str, Counter[str]] = {}
    for analysis in analyses:
        _modifiers(analysis, modifiers)
        whole.update({word.lemma for word in analysis.words})
        for lemma, word_class, parts in analysis.words:
            found = classes.get(lemma)
            if found is None:
                found = classes[lemma] = Counter()
            found[word_class] += 1
            for part in parts:
                if part != lemma:
                    compounds.setdefault(part, Counter())[lemma] += 1
    return _Usage(whole, classes, compounds, modifiers)


def _display(term: str, usage: _Usage) -> str | None:
    """The word a reader sees for a scored term, or None for a fragment."""
    own = usage.whole.get(term, 0)
    containing = usage.compounds.get(term)
    if containing:
        compound, count = max(containing.items(), key=lambda item: (item[1], item[0]))
        if count >= own:
            return compound
    return term if own else None


def _word_class(lemma: str, usage: _Usage) -> str:
    counts = usage.classes.get(lemma)
    if not counts:
        return ""
    if counts.get(_VERB) or analyze_word(lemma).word_class == _VERB:
        # Participles ("järjestetty", "auttanut") carry the verb's lemma but an
        # adjective's class; a lemma that is a verb read alone is a verb.
        return _VERB
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def _shown(lemma: str, word_class: str) -> str:
    if word_class in _PROPER:
        return "-".join(part.capitalize() for part in lemma.split("-"))
    return lemma


def _phrase(noun: str, usage: _Usage) -> str:
    """The noun with the adjective that usually stands before it in the theme
    ("pitkä jono"), both in base form; the noun alone when none does."""
    found = usage.modifiers.get(noun)
    if not found:
        return noun
    adjective, count = max(found.items(), key=lambda item: (item[1], item[0]))
    usual = count >= _MIN_PHRASE_POSTS and count >= _PHRASE_SHARE * usage.whole.get(noun, 0)
    if not usual or analyze_word(adjective).word_class == _VERB:  # "varattu aika"
        return noun
    return f"{adjective} {noun}"


def _join(words: Sequence[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} ja {words[-1]}"


def name_theme(terms: Sequence[str], analyses: Sequence[TextAnalysis]) -> Naming:
    """Label and keywords from scored ``terms`` (best first) and the theme's posts."""
    usage = _usage(analyses)
    keywords: list[str] = []
    label_words: list[str] = []
    for term in terms:
        lemma = _display(term, usage)
        if lemma is None:
            continue
        word_class = _word_class(lemma, usage)
        if word_class not in _KEYWORD_CLASSES or lemma in UNTOPICAL_NOUNS:
            continue
        shown = _shown(lemma, word_class)
        if shown in keywords or any(shown in kept for kept in keywords):
            continue
        keywords.append(shown)
        if word_class in _LABEL_CLASSES and len(label_words) < _N_LABEL_WORDS:
            label_words.append(_phrase(lemma, usage) if word_class == _NOUN else shown)
        if len(keywords) >= _N_KEYWORDS:
            break
    label_words = label_words or keywords[:_N_LABEL_WORDS]
    label = _join(label_words)
    return Naming(
        label[:1].upper() + label[1:] if label else NO_LABEL, tuple(keywords), tuple(label_words)
    )


def frequent_nouns(analyses: Sequence[TextAnalysis], least: int, limit: int) -> list[tuple[str, str]]:
    """Nouns that at least ``least`` of the posts use, most used first, as
    (lemma, shown) pairs: what a theme's posts talk about, common or not."""
    usage = _usage(analyses)
    found: list[tuple[str, str]] = []
    for lemma, count in sorted(usage.whole.items(), key=lambda item: (-item[1], item[0])):
        if count < least or len(found) >= limit:
            break
        word_class = _word_class(lemma, usage)
        if word_class in _LABEL_CLASSES and lemma not in UNTOPICAL_NOUNS:
            found.append((lemma, _shown(lemma, word_class)))
    return found
