"""The demo session "Tulevaisuuden kotihoito", modelled on Pirkanmaa's open web
brainstorm on round-the-clock home care (12.-25.9.2022)."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from deliberation.models import Deliberation, Post, utcnow
from deliberation.participants import do_join
from deliberation.posts import PostingLimits, do_create_post, do_toggle_support
from deliberation.sessions import SessionForm, do_create_deliberation, questions_of

DEMO_SLUG = "tulevaisuuden-kotihoito"
SAMPLE = Path(__file__).resolve().parent.parent / "nlp" / "data" / "sample_feedback.csv"
DEMO_LABELS = {"kotihoito", "kuljetus", "digipalvelut", "ajanvaraus"}

INTRODUCTION = """\
Tervetuloa verkkoaivoriiheen! Kehitämme ympärivuorokautista kotihoitoa yhdessä \
asukkaiden, asiakkaiden, omaisten ja työntekijöiden kanssa.

Voit osallistua nimettömänä: saat satunnaisen nimimerkin, eikä sinusta tallenneta \
tunnistetietoja. Kirjoita ajatuksesi kysymysten alle, vastaa muiden ideoihin ja \
kannata niitä, jotka ovat mielestäsi tärkeitä.

Älä kirjoita viesteihin henkilötietoja, kuten nimiä, henkilötunnuksia tai \
puhelinnumeroita. Moderaattori tarkistaa viestit, joissa sellaisia näyttää olevan.

Kaikki ideat kootaan teemoiksi, ja kotihoidon kehittäjät käyvät ne läpi. Kerromme \
tällä sivulla, mitä ideoille tehtiin."""

QUESTIONS = (
    "Millaista on hyvä kotihoito tulevaisuudessa?",
    "Mikä kotihoidossa toimii nyt hyvin, ja mitä pitäisi muuttaa?",
    "Miten omaiset ja läheiset voisivat olla mukana kotihoidossa?",
)


def seed_demo(db: Session, *, with_posts: bool = False) -> Deliberation:
    """Create the demo session unless it exists: opened two days ago, closing in
    four weeks; ``with_posts`` adds residents' posts so the page and the theme
    report have something to show."""
    existing = db.exec(select(Deliberation).where(Deliberation.slug == DEMO_SLUG)).first()
    if existing is not None:
        return existing
    now = utcnow()
    form = SessionForm(
        title="Tulevaisuuden kotihoito", slug=DEMO_SLUG, introduction=INTRODUCTION,
        questions=QUESTIONS, opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(weeks=4), moderation_mode="post",
    )
    d = do_create_deliberation(db, form=form)
    db.commit()
    if with_posts:
        _seed_posts(db, d)
        from server.demo_digiraati import seed_digiraati_demo

        seed_digiraati_demo(db)
    return d


def _seed_posts(db: Session, d: Deliberation) -> None:
    """Posts from the shipped feedback sample, by a dozen pseudonymous residents,
    spread over the last two days, with a few replies and supports."""
    assert d.id is not None
    rng = random.Random(2022)
    with SAMPLE.open(encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f) if r["label"] in DEMO_LABELS]
    people = [do_join(db, deliberation_id=d.id, token=f"demo-{i}") for i in range(12)]
    questions = questions_of(db, deliberation_id=d.id)
    limits = PostingLimits(per_participant_per_minute=10_000, per_session_per_minute=10_000,
                           detect_names=False)
    now = utcnow()
    ideas: list[Post] = []
    for i, text in enumerate(rows[:45]):
        when = now - timedelta(minutes=(45 - i) * 60)
        parent = rng.choice(ideas) if ideas and i % 5 == 4 else None
        out = do_create_post(
            db, d=d, participant=people[i % len(people)],
            question_id=parent.question_id if parent else questions[i % len(questions)].id,
            parent_id=parent.id if parent else None, body=text, limits=limits, now=when)
        if out.status == "published" and parent is None:
            ideas.append(out.post)
    for idea in ideas[::2]:
        for fan in rng.sample(people, 3):
            if fan.id != idea.participant_id:
                do_toggle_support(db, d=d, participant=fan, post_id=idea.id, now=now)
    db.commit()
