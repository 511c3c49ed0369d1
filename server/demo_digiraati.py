"""The demo digiraatis: "Digiraati: kotihoidon tulevaisuus" with its panel,
an expert and the hearing in progress, and a finished one with a published
statement, votes and the county's response. Everything goes through the domain's
own functions, as a facilitator's clicks would."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from sqlmodel import Session, select

from deliberation.digiraati.hearing import do_add_expert, do_answer, do_ask, do_support_question
from deliberation.digiraati.invitations import do_choose_name, do_invite_panel, do_redeem_invitation
from deliberation.digiraati.panels import do_draw_panel, do_finalise_panel, do_load_volunteers
from deliberation.digiraati.phases import (
    DigiraatiForm,
    do_close_phase,
    do_create_digiraati,
    do_open_phase,
    thread_of_phase,
)
from deliberation.digiraati.publication import do_publish, do_respond
from deliberation.digiraati.statements import do_add_section
from deliberation.digiraati.votes import do_vote
from deliberation.models import Deliberation, Participant, StaffUser, utcnow
from deliberation.participants import do_join
from deliberation.posts import PostingLimits, do_create_post
from server.lottery_runner import solve_in_child

DEMO_SLUG = "digiraati-kotihoito"
DONE_SLUG = "digiraati-liikkuminen"
LIMITS = PostingLimits(per_participant_per_minute=10_000, per_session_per_minute=10_000,
                       detect_names=False)
BACKGROUND = """\
# Mistä on kyse?

Kotihoidon asiakkaita on yhä enemmän, ja hoitajia on vaikea saada. Hyvinvointialue \
haluaa kuulla asukkailta, millainen kotihoito on hyvää ja mistä voi joustaa.

## Taustaa

- Ympärivuorokautisessa kotihoidossa käydään kotona useita kertoja päivässä.
- Etähoiva (videokäynnit) on jo käytössä osalla asiakkaista.
- Omaiset tekevät paljon näkymätöntä työtä.

[Lue lisää kotihoidosta](https://www.example.fi/kotihoito)
"""
AGES, GENDERS, PLACES = ("18-39", "40-64", "65+"), ("nainen", "mies"), ("Keskus", "Reuna")
QUOTAS = ("ikäryhmä, 18-39, 2, 4\nikäryhmä, 40-64, 2, 4\nikäryhmä, 65+, 2, 4\n"
          "sukupuoli, nainen, 50%\nsukupuoli, mies, 50%\nkunta, Keskus, 3, 5\nkunta, Reuna, 3, 5")


def _volunteers(n: int, rng: random.Random) -> str:
    rows = ["etunimi,sähköposti,ikäryhmä,sukupuoli,kunta"]
    for i in range(n):
        rows.append(f"Vapaaehtoinen {i + 1},vapaaehtoinen{i + 1}@example.fi,{rng.choice(AGES)},"
                    f"{GENDERS[i % 2]},{rng.choice(PLACES)}")
    return "\n".join(rows)


def _expert(db: Session, username: str) -> StaffUser:
    user = db.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        # No password anyone knows: an admin sets one with ``raati createuser``.
        user = StaffUser(username=username, password_hash=f"!{secrets.token_hex(16)}",
                         role="expert")
        db.add(user)
        db.flush()
    return user


def _panel(db: Session, d: Deliberation, seed: int) -> list[Participant]:
    """Volunteers loaded, the panel drawn and final, everyone's invitation used."""
    assert d.id is not None
    do_load_volunteers(db, d=d, csv_text=_volunteers(40, random.Random(seed)),
                       quotas_text=QUOTAS)
    do_draw_panel(db, d=d, seed=seed, solve=solve_in_child)
    issued, _ = do_invite_panel(db, d=d)
    do_finalise_panel(db, d=d)
    people = []
    for i, inv in enumerate(issued):
        p = do_join(db, deliberation_id=d.id, token=f"demo-{d.slug}-{i}")
        do_redeem_invitation(db, d=d, participant=p, token=inv.token)
        people.append(p)
    do_choose_name(db, d=d, participant=people[0], name="Aino")
    return people


def _create(db: Session, slug: str, title: str, questions: tuple[str, ...]) -> Deliberation:
    now = utcnow()
    return do_create_digiraati(db, form=DigiraatiForm(
        title=title, slug=slug, background=BACKGROUND, questions=questions,
        introduction="Satunnaisesti valittu asukasraati pohtii kysymystä kolmen viikon ajan "
                     "ja kirjoittaa yhteisen kannanoton hyvinvointialueelle.",
        panel_size=10, opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21),
        public_read=True))


def seed_digiraati_demo(db: Session) -> None:
    if db.exec(select(Deliberation).where(Deliberation.slug == DEMO_SLUG)).first() is None:
        _seed_hearing(db)
    if db.exec(select(Deliberation).where(Deliberation.slug == DONE_SLUG)).first() is None:
        _seed_published(db)
    db.commit()


def _seed_hearing(db: Session) -> None:
    d = _create(db, DEMO_SLUG, "Digiraati: kotihoidon tulevaisuus",
                ("Mikä kotihoidossa on tärkeintä?", "Mistä voisi joustaa?"))
    people = _panel(db, d, seed=2026)
    user = _expert(db, "asiantuntija")
    do_add_expert(db, d=d, user=user, display_name="Kotihoidon johtaja")
    do_open_phase(db, d=d, name="orientation")
    intro = thread_of_phase(db, d, "orientation")
    for p, text in zip(people[:3], ("Hei! Hoidan äitiäni kotona.", "Olen eläkkeellä oleva "
                                    "sairaanhoitaja.", "Minulla on kotihoidon asiakkaana isä."),
                       strict=True):
        do_create_post(db, d=d, participant=p, question_id=intro, parent_id=None, body=text,
                       limits=LIMITS)
    do_open_phase(db, d=d, name="hearing")
    asked = [do_ask(db, d=d, participant=p, body=q, limits=LIMITS).post for p, q in zip(
        people[:3], ("Miksi hoitaja vaihtuu joka käynnillä?",
                     "Voiko etähoivaa käyttää, jos ei osaa käyttää tablettia?",
                     "Miten omaishoitajan jaksamista tuetaan?"), strict=True)]
    for fan in people[3:8]:
        do_support_question(db, d=d, participant=fan, post_id=asked[1].id)
    for fan in people[4:6]:
        do_support_question(db, d=d, participant=fan, post_id=asked[2].id)
    do_answer(db, d=d, staff_user_id=user.id, post_id=asked[1].id,
              body="Kyllä: laite on valmiiksi asennettu, ja käynti alkaa itsestään.")


def _seed_published(db: Session) -> None:
    d = _create(db, DONE_SLUG, "Digiraati: ikäihmisten liikkuminen",
                ("Miten ikäihmisten liikkumista voisi tukea?",))
    people = _panel(db, d, seed=2025)
    do_open_phase(db, d=d, name="drafting")
    sections = [do_add_section(db, d=d, title=t, text=x, author="Fasilitaattori")[0] for t, x in (
        ("Kuljetukset", "Asiointiliikennettä lisätään myös iltaisin ja viikonloppuisin."),
        ("Liikuntaryhmät", "Jokaisessa kunnassa on matalan kynnyksen liikuntaryhmä."))]
    do_open_phase(db, d=d, name="voting")
    for i, p in enumerate(people):
        do_vote(db, d=d, participant=p, section_id=sections[0].id,
                choice=("agree", "agree", "accept")[i % 3])
        do_vote(db, d=d, participant=p, section_id=sections[1].id,
                choice=("agree", "disagree")[i % 2])
    do_close_phase(db, d=d, name="voting")
    do_publish(db, d=d)
    do_respond(db, d=d, section_id=sections[0].id, status="partly",
               reasons="Iltavuorot lisätään kahteen kuntaan vuoden 2027 alusta.",
               responded_on=date(2026, 11, 20))
