"""Link shorteners and the selling words that, next to a link, make a post spam.

Words are lemmas (Finnish) or lowercase words (English). Strong words count 3,
weak words 1; a post with a link and a score of 3 or more is link spam, so
"voit tilata ilmaisen esitteen" next to a link to the county's pages is not.
"""

from __future__ import annotations

from typing import Final

SHORTENER_DOMAINS: Final = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly",
    "cutt.ly", "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd",
    "bl.ink", "short.io", "shorte.st", "adf.ly", "linktr.ee", "tiny.one", "lnkd.in",
    "qrco.de", "bit.do", "x.co", "soo.gd", "clck.ru",
})

STRONG_SELLING_WORDS: Final = frozenset({
    # fi
    "kasino", "nettikasino", "pikavippi", "vippi", "pikalaina", "kulutusluotto", "bitcoin",
    "kryptovaluutta", "krypto", "viagra", "cialis", "alennuskoodi", "tarjouskoodi",
    "kampanjakoodi", "kasinobonus", "ilmaiskierros", "vedonlyönti", "seksiseura",
    "treffipalvelu", "laihdutuspilleri", "sijoitusvinkki",
    # en
    "casino", "crypto", "forex", "loan", "loans", "discount", "promo", "coupon",
    "porn", "xxx", "dating", "betting", "jackpot",
})
# Common in ordinary posts too ("voit tilata ajan"), so several are needed.
WEAK_SELLING_WORDS: Final = frozenset({
    # fi
    "ostaa", "tilata", "tarjous", "alennus", "ale", "ilmainen", "ilmaiseksi", "klikata",
    "klikkaa", "rekisteröityä", "palkinto", "halpa", "halvalla", "verkkokauppa", "tienata",
    "ansaita", "bonus",
    # en
    "buy", "free", "sale", "cheap", "click", "shop", "deal", "money", "earn", "offer",
    "investment", "win",
})
