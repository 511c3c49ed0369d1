"""The demo session "Tulevaisuuden kotihoito", modelled on Pirkanmaa's open web
brainstorm on round-the-clock home care (12.-25.9.2022), run by a fictional
county, Järvimaa (its addresses and numbers are made up)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from deliberation.lifecycle import do_publish
from deliberation.models import Deliberation, Post, utcnow
from deliberation.organisation import OrganisationForm, do_save_organisation, organisation
from deliberation.participants import do_join
from deliberation.posts import PostingLimits, do_create_post, do_toggle_support
from deliberation.sessions import LanguageVersion, SessionForm, do_create_deliberation, questions_of

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
SWEDISH = LanguageVersion(
    title="Framtidens hemvård",
    introduction="""\
Välkommen till en brainstorming på webben! Vi utvecklar hemvården dygnet runt \
tillsammans med invånare, klienter, anhöriga och anställda.

Du kan delta anonymt: du får en slumpmässig pseudonym och inga \
identifieringsuppgifter sparas. Skriv dina tankar under frågorna, svara på andras \
idéer och stöd dem som du tycker är viktiga.

Skriv inte personuppgifter, som namn, personbeteckningar eller telefonnummer. \
Moderatorn granskar meddelanden som verkar innehålla sådana.

Alla idéer sammanställs i teman som hemvårdens utvecklare går igenom. Vi berättar \
på den här sidan vad som gjordes med idéerna.""",
    questions=("Hurdan är en god hemvård i framtiden?",
               "Vad fungerar bra i hemvården nu, och vad borde ändras?",
               "Hur kunde anhöriga och närstående vara med i hemvården?"),
    closing="Tack för att du deltog! Vi berättar här vad som gjordes med idéerna.",
)
CLOSING = "Kiitos osallistumisesta! Kerromme tällä sivulla, mitä ideoille tehtiin."

# A fictional county for the demo: every address and number is made up.
DEMO_ORGANISATION = OrganisationForm(
    texts={
        ("name", "fi"): "Järvimaan hyvinvointialue",
        ("name", "sv"): "Järvimaa välfärdsområde",
        ("name", "en"): "Järvimaa Wellbeing Services County",
        ("contact", "fi"): "Osallisuuspalvelut, Rantakatu 1, 99999 Järvimaa",
        ("contact", "sv"): "Delaktighetstjänster, Strandgatan 1, 99999 Järvimaa",
        ("contact", "en"): "Participation services, Rantakatu 1, 99999 Järvimaa",
        ("privacy_notice", "fi"): (
            "Rekisterinpitäjä on Järvimaan hyvinvointialue. Raatiin osallistutaan nimettömästi: "
            "emme tallenna nimeä, IP-osoitetta tai muita tunnistetietoja. Selaimeesi tallennetaan "
            "satunnainen tunniste, jotta nimimerkkisi pysyy samana.\n\n"
            "Jos viestissä on henkilötietoja, se jää moderaattorin tarkistettavaksi eikä sitä "
            "julkaista sellaisenaan. Viestejä käytetään palvelujen kehittämiseen.\n\n"
            "Voit kysyä tietosuojasta tietosuojavastaavaltamme: tietosuoja@jarvimaa.example."),
        ("privacy_notice", "sv"): (
            "Personuppgiftsansvarig är Järvimaa välfärdsområde. Man deltar i Raati anonymt: vi "
            "sparar inte namn, IP-adress eller andra identifieringsuppgifter. En slumpmässig "
            "kod sparas i din webbläsare så att din pseudonym förblir densamma.\n\n"
            "Om ett meddelande innehåller personuppgifter granskas det av en moderator och "
            "publiceras inte som sådant. Meddelandena används för att utveckla tjänsterna.\n\n"
            "Frågor om dataskydd: tietosuoja@jarvimaa.example."),
        ("rules", "fi"): (
            "Kirjoita omista kokemuksistasi ja ideoistasi. Kunnioita muita, vaikka olisit eri "
            "mieltä.\n\nÄlä kirjoita nimiä, puhelinnumeroita tai muita henkilötietoja – "
            "omiasi tai muiden.\n\nModeraattori poistaa loukkaavat viestit, mainokset ja "
            "henkilötiedot. Voit ilmoittaa asiattomasta viestistä sen Ilmoita-painikkeella."),
        ("rules", "sv"): (
            "Skriv om dina egna erfarenheter och idéer. Respektera andra, även om du tycker "
            "annorlunda.\n\nSkriv inte namn, telefonnummer eller andra personuppgifter – "
            "dina egna eller andras.\n\nModeratorn tar bort kränkande meddelanden, reklam och "
            "personuppgifter. Du kan anmäla ett olämpligt meddelande med knappen Anmäl."),
        ("a11y_known_issues", "fi"): (
            "Teemaraportin kaaviot ovat kuvia; samat luvut ovat kaavion alla taulukossa."),
    },
    contact_email="osallisuus@jarvimaa.example", contact_phone="+358 99 123 4567",
    website_url="https://jarvimaa.example", a11y_conformance="partial",
    a11y_assessed_on=date(2026, 11, 30), a11y_feedback_email="saavutettavuus@jarvimaa.example",
)



def seed_organisation(db: Session) -> None:
    """The fictional county, unless an admin has already saved real settings."""
    if organisation(db).texts.get("name"):
        return
    do_save_organisation(db, form=DEMO_ORGANISATION, role="admin")
    db.commit()


def seed_demo(db: Session, *, with_posts: bool = False) -> Deliberation:
    """Create the demo session unless it exists: opened two days ago, closing in
    four weeks; ``with_posts`` adds residents' posts so the page and the theme
    report have something to show. The fictional county comes with it."""
    seed_organisation(db)
    existing = db.exec(select(Deliberation).where(Deliberation.slug == DEMO_SLUG)).first()
    if existing is not None:
        return existing
    now = utcnow()
    form = SessionForm(
        title="Tulevaisuuden kotihoito", slug=DEMO_SLUG, introduction=INTRODUCTION,
        questions=QUESTIONS, opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(weeks=4), moderation_mode="post",
        closing_message=CLOSING, versions={"sv": SWEDISH},
    )
    d = do_create_deliberation(db, form=form)
    do_publish(db, d=d, role="admin", now=now - timedelta(days=3))
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
