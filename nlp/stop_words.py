"""Finnish stop words for theme clustering, as lemmas.

The fast path lemmatises before filtering, so one lemma ("olla") covers all its
forms ("olisi", "ollut"). Besides function words the list holds verbs and
adverbs that carry no topic in feedback ("voida", "pitää", "todella") and a few
feedback-wide words ("asia", "kerta"). Kept as data, like spaCy's
``spacy/lang/fi/stop_words.py``.
"""

from __future__ import annotations

__all__ = ["STOP_WORDS"]

_STOP_WORDS_TEXT = """
    aina aika ainakaan ainakin aivan alla alle asti asia edelleen edes ehkä ei eikä
    eli ellei enemmän eniten ennen enää esimerkiksi että he hieman hyvin hän ihan
    ilman itse ja jo joka jokin joku jolloin jopa jos joskus jotta juuri jälkeen
    kaikki kanssa kautta kerta kertaa koko kokonaan kuin kuinka kuitenkin kuka kukaan
    kun kuten kyllä liian lisäksi lisää lähes me melko mikä mikään miksi milloin minä
    miten moni muu mutta myös mitä ne niin noin nyt näin oikein olla ollut oma paljon
    pian se sekä siellä silloin sinä sitten siis tai taas te todella tosi tuo tämä
    täällä usein vaan vai vain vaikka varmaan vasta vielä voida yhä yli ym
    esim mm jne tms eikä vaikkei ettei jottei mut
    tulla saada pitää tehdä mennä antaa ottaa käydä tarvita haluta joutua
    tuntua tietää sanoa ymmärtää nähdä alkaa jäädä päästä kokea
    hyvä huono iso pieni uusi suuri ainoa eri sama muu toinen jokainen
    kiitos kiva ok okei joo hei
    yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan yhdeksän kymmenen
    """
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())
