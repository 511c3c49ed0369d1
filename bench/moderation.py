"""Screening throughput: ``python -m bench.moderation`` (a benchmark, not a test).

Screens a corpus of realistic Finnish posts (``nlp/data/sample_feedback.csv``
when present, otherwise a built-in one) with a share of posts carrying personal
data, spam or profanity mixed in, on one core, with person-name detection
(Voikko and a gazetteer, the NER for the few words they cannot place) and
without. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

from moderation.screening import screen

SAMPLE = Path(__file__).resolve().parent.parent / "nlp" / "data" / "sample_feedback.csv"

FALLBACK_POSTS = [
    "Kotihoidon käyntejä pitäisi olla useammin ja samoilla hoitajilla.",
    "Terveyskeskukseen on vaikea saada aikaa, puhelinjonossa menee tunti.",
    "Omaishoitajien vapaapäiviä pitäisi lisätä ja sijaishoito järjestää paremmin.",
    "Neuvolan palvelut ovat toimineet hyvin, kiitos henkilökunnalle.",
    "Mielenterveyspalveluihin pääsee liian hitaasti, nuoret jäävät tyhjän päälle.",
    "Sain ajan 12.3.2024 klo 9.30, mutta lääkäri oli sairaana eikä kukaan ilmoittanut.",
    "Palvelusetelillä saisi hoitoa nopeammin yksityiseltä, se pitäisi tehdä helpommaksi.",
    "Vanhusten ympärivuorokautisessa hoidossa tarvitaan lisää hoitajia öisin.",
]

# Posts with something to find, mixed into the corpus (about one in ten).
RISKY_POSTS = [
    "Naapurini Matti Virtanen, 131052-308T, ei saa mitään apua kotihoidosta!",
    "Soittakaa minulle 040 123 4567, kerron lisää äitini hoidosta.",
    "Asun Hämeenkatu 12 A 5 ja kotihoito käy vain kerran päivässä.",
    "Laittakaa viestiä matti.virtanen@example.fi niin kerron koko tarinan.",
    "Tämä on ihan vitun paskahallintoa, kukaan ei välitä vanhuksista.",
    "Halpoja lääkkeitä ilman reseptiä, osta heti https://bit.ly/3abcDEF",
    "Hoitaja Liisa Korhonen Kalevan terveysasemalta kohteli äitiäni huonosti.",
    "lisää hoitajia lisää hoitajia lisää hoitajia lisää hoitajia lisää hoitajia",
]


def load_posts() -> list[str]:
    if SAMPLE.exists():
        with SAMPLE.open(encoding="utf-8", newline="") as f:
            posts = [row["text"] for row in csv.DictReader(f) if row.get("text")]
        if posts:
            return posts
    return FALLBACK_POSTS


def corpus(size: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    base = load_posts()
    return [
        rng.choice(RISKY_POSTS) if rng.random() < 0.1 else rng.choice(base)
        for _ in range(size)
    ]


def throughput(posts: Sequence[str], *, names: bool) -> tuple[float, int]:
    """Posts per second and how many were held. Each post is compared with five
    earlier posts, newest first, as the server compares it with the author's latest
    five; a post identical to the new one is left out so duplicates by chance do
    not count."""
    held = 0
    started = time.perf_counter()
    for i, text in enumerate(posts):
        recent = [p for p in reversed(posts[max(0, i - 5):i]) if p != text]  # newest first
        held += screen(text, names=names, recent_texts=recent).decision == "hold"
    return len(posts) / (time.perf_counter() - started), held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=5000, help="posts screened without names")
    parser.add_argument("--posts-with-names", type=int, default=5000,
                        help="posts screened with name detection (the product default)")
    args = parser.parse_args()

    posts = corpus(args.posts)
    # Warm up: lemma and name caches and the spaCy model load are start-up costs,
    # not throughput.
    screen("Hoitaja Jaroslav auttoi.", names=True)
    for text in load_posts() + RISKY_POSTS:
        screen(text, names=True)

    without_names, held = throughput(posts, names=False)
    print(f"without names: {without_names:,.0f} posts/s, {held}/{len(posts)} held")
    with_names, held_with_names = throughput(corpus(args.posts_with_names), names=True)
    print(f"with names:    {with_names:,.0f} posts/s, "
          f"{held_with_names}/{args.posts_with_names} held")
    print(json.dumps({
        "posts": len(posts),
        "posts_per_s_without_names": round(without_names, 1),
        "posts_per_s_with_names": round(with_names, 1),
        "held_share": round(held / len(posts), 3),
        "held_share_with_names": round(held_with_names / args.posts_with_names, 3),
    }))


if __name__ == "__main__":
    main()
