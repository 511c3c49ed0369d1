"""Posting limits decided one post at a time, on SQLite and PostgreSQL:
simultaneous posts cannot slip past a limit, and a flood of fresh identities
cannot use up the whole session's limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError
from deliberation.models import Deliberation, Participant, utcnow
from deliberation.posts import PostingLimits, do_create_post
from tests.concurrency import at_once
from tests.factories import first_question, join, make_session, session

# Twelve different ideas: the same author's near-identical posts would be held
# as duplicates, which is not what these tests are about.
_IDEAS = (
    "Kotihoitoon lisää hoitajia iltaisin.", "Bussi terveysasemalle kulkemaan useammin.",
    "Neuvolan ajanvaraus verkkoon.", "Hammashoitolan jonot lyhyemmiksi.",
    "Omaishoitajille lomapäiviä enemmän.", "Päivystyksen odotusaika näkyviin.",
    "Kuljetuspalvelun laskut selkeämmiksi.", "Mielenterveyspalveluihin matalampi kynnys.",
    "Vammaispalvelun hakemus yksinkertaisemmaksi.", "Kirjastoon terveyspiste lauantaisin.",
    "Ikäihmisille liikuntaryhmä jokaiseen kylään.", "Lapsiperheille kotipalvelua nopeasti.",
)


def _poster(d_id: int, limits: PostingLimits,
            who: Callable[[Session, int], Participant]) -> Callable[[Session, int], object]:
    def post(db: Session, i: int) -> object:
        d = db.get(Deliberation, d_id)
        assert d is not None
        return do_create_post(db, d=d, participant=who(db, i), question_id=first_question(db, d),
                              parent_id=None, body=_IDEAS[i % len(_IDEAS)],
                              limits=limits).status
    return post


def test_simultaneous_posts_from_one_pseudonym_respect_the_limit(engine: Engine) -> None:
    limits = PostingLimits(per_participant_per_minute=5, detect_names=False)
    with session(engine) as db:
        d = make_session(db)
        me = join(db, d)
        db.commit()
        assert d.id is not None and me.id is not None
        d_id, me_id = d.id, me.id

    def me_again(db: Session, i: int) -> Participant:
        p = db.get(Participant, me_id)
        assert p is not None
        return p

    results = at_once(engine, 12, _poster(d_id, limits, me_again))
    assert results.count("published") == 5, results
    assert results.count("rate_limited") == 7, results


def test_session_limit_holds_under_simultaneous_posts(engine: Engine) -> None:
    limits = PostingLimits(per_session_per_minute=4, newcomer_share=1.0, detect_names=False)
    with session(engine) as db:
        d = make_session(db)
        people = [join(db, d).id for _ in range(8)]
        db.commit()
        assert d.id is not None
        d_id = d.id

    def person(db: Session, i: int) -> Participant:
        p = db.get(Participant, people[i])
        assert p is not None
        return p

    results = at_once(engine, 8, _poster(d_id, limits, person))
    assert results.count("published") == 4, results
    assert results.count("session_busy") == 4, results


def test_fresh_identities_cannot_use_up_the_session(engine: Engine) -> None:
    """Ten fresh identities (one script) get half of the session's limit; an
    established resident can still post."""
    limits = PostingLimits(per_participant_per_minute=5, per_session_per_minute=10,
                           detect_names=False)
    with session(engine) as db:
        d = make_session(db)
        qid = first_question(db, d)
        outcomes = []
        for i in range(10):
            try:
                outcomes.append(do_create_post(
                    db, d=d, participant=join(db, d), question_id=qid, parent_id=None,
                    body=f"Roskaa {i}", limits=limits).status)
            except DomainError as exc:
                outcomes.append(exc.code)
        assert outcomes.count("published") == 5
        assert outcomes.count("session_busy") == 5
        resident = join(db, d)
        resident.created_at = utcnow() - timedelta(hours=2)
        out = do_create_post(db, d=d, participant=resident, question_id=qid, parent_id=None,
                             body="Kotihoitoon lisää aikaa.", limits=limits)
        assert out.status == "published"


@pytest.mark.parametrize(("share", "expected"), [(0.5, 300), (0.1, 60), (0.0, 1)])
def test_newcomer_share(share: float, expected: int) -> None:
    assert PostingLimits(newcomer_share=share).newcomers_per_minute == expected
