"""Language data for theme labels and summaries, kept as data (like spaCy's
``spacy/lang/fi/``): the sentence templates in Finnish, Swedish and English,
the words that mark a sentence unfit to quote, redaction markers, and a small
lexicon of positive and negative words for "what do they agree or disagree on".

``nlp`` has no message catalog, so the sentences it writes itself live here;
pages that show them may instead render the same facts through the web
catalog (``web/locale/*/themes.po``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEMONSTRATIVE_OPENERS",
    "LANGUAGES",
    "NEGATIVE_LEMMAS",
    "POSITIVE_LEMMAS",
    "REDACTION_MARKERS",
    "TEMPLATES",
    "UNTOPICAL_NOUNS",
    "Templates",
]

# A sentence opening with one of these points at something said before it
# ("Tämä on ongelma.", "Siksi..."), so it means nothing quoted alone.
_DEMONSTRATIVES_TEXT = """
    tämä tää se tuo toi nämä nää ne nuo noi sen sitä siitä siihen siinä sillä
    tämän tätä tästä tähän tässä tällä tuon tuota tuosta niiden niitä niistä
    näiden näitä näistä siksi sitten samoin sama samaa myös lisäksi kuitenkin
    toisaalta silti näin niin he hän heidän hänen sinne tänne siellä täällä
    täten joten eli mutta ja tai nyt silloin siis myöskin sekin tämäkin
    """
DEMONSTRATIVE_OPENERS: frozenset[str] = frozenset(_DEMONSTRATIVES_TEXT.split())

# Nouns frequent in any feedback that name no topic: never keywords or labels.
_UNTOPICAL_TEXT = """
    päivä viikko kuukausi vuosi minuutti tunti sekunti hetki puoli kerta aika
    asia juttu idea tapa osa kohta ihminen henkilö joku mitään mikään
    """
UNTOPICAL_NOUNS: frozenset[str] = frozenset(_UNTOPICAL_TEXT.split())

# Text put in place of removed personal data, by moderators or screening.
REDACTION_MARKERS: tuple[str, ...] = (
    "[poistettu]",
    "[borttaget]",
    "[removed]",
    "[redacted]",
    "[piilotettu]",
)

_POSITIVE_TEXT = """
    hyvä kiitos kiittää tyytyväinen loistava erinomainen helppo ystävällinen
    ihana mahtava kiva toimiva onnistua auttaa parantua sujua sujuva nopea
    selkeä kätevä upea arvostaa ilahduttaa asiallinen ammattitaitoinen
    """
POSITIVE_LEMMAS: frozenset[str] = frozenset(_POSITIVE_TEXT.split())

_NEGATIVE_TEXT = """
    huono ongelma vaikea hidas jono odottaa odotus puute pettynyt turhauttaa
    kallis ikävä epäselvä riittämätön tyytymätön heikko vaikeus hankala
    sekava puuttua ruuhka kiire vähentää lopettaa sulkea epäkohta vaarallinen
    yksinäinen kurja surkea mahdoton kohtuuton
    """
NEGATIVE_LEMMAS: frozenset[str] = frozenset(_NEGATIVE_TEXT.split())


@dataclass(frozen=True, slots=True)
class Templates:
    """The sentences of a theme overview in one language.

    ``about`` takes {posts} (already a counted phrase) and {topic};
    ``about_people`` also {people}; ``also`` takes {terms}; counted phrases
    are (singular, plural).
    """

    posts: tuple[str, str]
    people: tuple[str, str]
    about: str
    about_people: str
    also: str
    and_word: str
    majority_negative: str
    majority_positive: str
    leaning_negative: str
    leaning_positive: str
    divided: str
    # What they agree or disagree on: lists of {items}, each a word in base
    # form with its counts (no inflection needed).
    agree_problem: str
    agree_good: str
    disagree: str
    item_agree: str
    item_split: str


TEMPLATES: dict[str, Templates] = {
    "fi": Templates(
        posts=("{n} viesti", "{n} viestiä"),
        people=("1 osallistujalta", "{n} osallistujalta"),
        about="{posts} koskee aihetta ”{topic}”.",
        about_people="{posts} ({people}) koskee aihetta ”{topic}”.",
        also="Viesteissä toistuvat myös sanat {terms}.",
        and_word="ja",
        majority_negative="Suurin osa ({negative}/{total}) kertoo ongelmista tai puutteista.",
        majority_positive="Suurin osa ({positive}/{total}) on tyytyväisiä.",
        leaning_negative=(
            "Ongelmista tai puutteista kertoo {negative} viestiä, tyytyväisyydestä {positive}."
        ),
        leaning_positive=(
            "Tyytyväisyydestä kertoo {positive} viestiä, ongelmista tai puutteista {negative}."
        ),
        divided="Kokemukset jakautuvat: {positive} myönteistä ja {negative} kielteistä viestiä.",
        agree_problem="Yhtä mieltä ongelmista: {items}.",
        agree_good="Yhtä mieltä siitä, mikä toimii: {items}.",
        disagree="Mielipiteet jakautuvat: {items}.",
        item_agree="{word} ({count}/{total})",
        item_split="{word} (myönteisiä {positive}, kielteisiä {negative})",
    ),
    "sv": Templates(
        posts=("{n} inlägg", "{n} inlägg"),
        people=("från 1 deltagare", "från {n} deltagare"),
        about="{posts} gäller ämnet ”{topic}”.",
        about_people="{posts} ({people}) gäller ämnet ”{topic}”.",
        also="Orden {terms} återkommer också.",
        and_word="och",
        majority_negative="De flesta ({negative}/{total}) berättar om problem eller brister.",
        majority_positive="De flesta ({positive}/{total}) är nöjda.",
        leaning_negative="{negative} inlägg berättar om problem eller brister, {positive} om nöjdhet.",
        leaning_positive="{positive} inlägg berättar om nöjdhet, {negative} om problem eller brister.",
        divided="Erfarenheterna går isär: {positive} positiva och {negative} negativa inlägg.",
        agree_problem="Eniga om problem: {items}.",
        agree_good="Eniga om vad som fungerar: {items}.",
        disagree="Åsikterna går isär: {items}.",
        item_agree="{word} ({count}/{total})",
        item_split="{word} (positiva: {positive}, negativa: {negative})",
    ),
    "en": Templates(
        posts=("{n} post", "{n} posts"),
        people=("from 1 participant", "from {n} participants"),
        about="{posts} concern “{topic}”.",
        about_people="{posts} ({people}) concern “{topic}”.",
        also="Also recurring: {terms}.",
        and_word="and",
        majority_negative="Most ({negative}/{total}) describe problems or shortcomings.",
        majority_positive="Most ({positive}/{total}) are satisfied.",
        leaning_negative="{negative} posts describe problems or shortcomings, {positive} satisfaction.",
        leaning_positive="{positive} posts express satisfaction, {negative} problems or shortcomings.",
        divided="Experiences differ: {positive} positive and {negative} negative posts.",
        agree_problem="Agree on problems: {items}.",
        agree_good="Agree on what works: {items}.",
        disagree="Opinions differ: {items}.",
        item_agree="{word} ({count}/{total})",
        item_split="{word} (positive: {positive}, negative: {negative})",
    ),
}

LANGUAGES: tuple[str, ...] = tuple(TEMPLATES)
