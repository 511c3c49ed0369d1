"""The demo session "Tulevaisuuden kotihoito", modelled on Pirkanmaa's open web
brainstorm on round-the-clock home care (12.-25.9.2022)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from deliberation.models import Deliberation, utcnow
from deliberation.sessions import SessionForm, do_create_deliberation

DEMO_SLUG = "tulevaisuuden-kotihoito"

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


def seed_demo(db: Session) -> Deliberation:
    """Create the demo session unless it exists; open now, closing in four weeks."""
    existing = db.exec(select(Deliberation).where(Deliberation.slug == DEMO_SLUG)).first()
    if existing is not None:
        return existing
    now = utcnow()
    form = SessionForm(
        title="Tulevaisuuden kotihoito", slug=DEMO_SLUG, introduction=INTRODUCTION,
        questions=QUESTIONS, opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(weeks=4), moderation_mode="post",
    )
    d = do_create_deliberation(db, form=form)
    db.commit()
    return d
