"""Votes: once per panellist and section, changeable, hidden until closed,
and one row even when one panellist's requests arrive at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from deliberation.digiraati.models import Vote
from deliberation.digiraati.phases import do_close_phase
from deliberation.digiraati.statements import do_add_section
from deliberation.digiraati.votes import do_vote, my_votes, results
from deliberation.errors import DomainError
from tests.deliberation.digiraati.factories import join, make_panel, open_phase
from tests.factories import session


def test_vote_changes_until_close_then_results_show(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=3)
        d, (a, b, c) = panel.d, panel.members
        section, _ = do_add_section(db, d=d, title="Osio", text="Teksti.", author="F")
        with pytest.raises(DomainError) as err:
            do_vote(db, d=d, participant=a, section_id=section.id, choice="agree")
        assert err.value.code == "phase_not_open"
        open_phase(db, d, "voting")
        event = do_vote(db, d=d, participant=a, section_id=section.id, choice="disagree")
        assert event.audience == f"participant:{a.id}"
        do_vote(db, d=d, participant=a, section_id=section.id, choice="agree")
        do_vote(db, d=d, participant=b, section_id=section.id, choice="accept")
        db.commit()
        assert my_votes(db, d, a) == {section.id: "agree"}
        with pytest.raises(DomainError) as err:
            results(db, d)
        assert err.value.code == "results_hidden"
        for who, choice, code in ((join(db, d), "agree", "not_panellist"),
                                  (c, "maybe", "vote_choice_invalid")):
            with pytest.raises(DomainError) as err:
                do_vote(db, d=d, participant=who, section_id=section.id, choice=choice)
            assert err.value.code == code
        do_close_phase(db, d=d, name="voting")
        db.commit()
        (result,) = results(db, d)
        assert result.counts == {"agree": 1, "accept": 1, "disagree": 0} and result.total == 2
        assert result.share("agree") == 0.5
        with pytest.raises(DomainError) as err:
            do_vote(db, d=d, participant=c, section_id=section.id, choice="agree")
        assert err.value.code == "phase_not_open"


def test_simultaneous_votes_of_one_panellist_make_one_vote(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        section, _ = do_add_section(db, d=d, title="Osio", text="Teksti.", author="F")
        open_phase(db, d, "voting")
        sid = section.id
    barrier = threading.Barrier(6)
    errors: list[str] = []

    def vote(choice: str) -> None:
        with session(engine) as db2:
            barrier.wait()
            for _ in range(20):  # SQLite's single writer may say "busy": the client retries
                try:
                    do_vote(db2, d=d, participant=a, section_id=sid, choice=choice)
                    db2.commit()
                    return
                except Exception as exc:  # pragma: no cover - depends on scheduling
                    db2.rollback()
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        errors.append(repr(exc))
                        return
            errors.append("gave up")

    threads = [threading.Thread(target=vote, args=(c,))
               for c in ("agree", "accept", "disagree") * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session(engine) as db:
        count = db.exec(select(func.count()).select_from(Vote).where(Vote.section_id == sid)).one()
        assert count == 1
