"""Publication, the county's response, figures and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.hearing import do_answer, do_ask
from deliberation.digiraati.panels import volunteers_of
from deliberation.digiraati.phases import do_close_phase
from deliberation.digiraati.publication import (
    do_publish,
    do_respond,
    do_tick,
    statement,
    to_csv,
    to_markdown,
)
from deliberation.digiraati.statements import do_add_section
from deliberation.digiraati.votes import do_vote
from deliberation.errors import DomainError
from deliberation.models import utcnow
from deliberation.posts import PostingLimits
from tests.deliberation.digiraati.factories import make_expert, make_panel, open_phase
from tests.factories import session


def test_published_statement_has_votes_composition_figures_and_response(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=3)
        d, (a, b, _) = panel.d, panel.members
        expert = make_expert(db, d)
        open_phase(db, d, "hearing")
        q = do_ask(db, d=d, participant=a, body="Riittääkö raha?",
                   limits=PostingLimits(detect_names=False)).post
        do_answer(db, d=d, staff_user_id=expert.id, post_id=q.id, body="Ei ilman muutoksia.")
        section, _ = do_add_section(db, d=d, title="Rahoitus", text="Rahaa kotihoitoon.",
                                    author="F")
        with pytest.raises(DomainError) as err:
            do_publish(db, d=d)
        assert err.value.code == "voting_not_closed"
        open_phase(db, d, "voting")
        do_vote(db, d=d, participant=a, section_id=section.id, choice="agree")
        do_vote(db, d=d, participant=b, section_id=section.id, choice="agree")
        do_close_phase(db, d=d, name="voting")
        with pytest.raises(DomainError) as err:
            do_respond(db, d=d, section_id=section.id, status="accepted", reasons="x",
                       responded_on=date(2027, 1, 15))
        assert err.value.code == "not_published"
        events = do_publish(db, d=d)
        assert events[-1].kind == "statement_published"
        do_respond(db, d=d, section_id=section.id, status="partly",
                   reasons="Lisärahaa vuodelle 2027.", responded_on=date(2027, 1, 15))
        with pytest.raises(DomainError) as err:
            do_respond(db, d=d, section_id=section.id, status="maybe", reasons="x",
                       responded_on=date(2027, 1, 15))
        assert err.value.code == "county_response_status_invalid"
        db.commit()
        data = statement(db, d)
        (s,) = data["sections"]
        assert s["votes"]["counts"] == {"agree": 2, "accept": 0, "disagree": 0}
        assert s["response"] == {"status": "partly", "reasons": "Lisärahaa vuodelle 2027.",
                                 "responded_on": "2027-01-15"}
        assert data["participation"] == {"invited": 6, "panellists": 3, "took_part": 2,
                                         "posts": 1, "questions_answered": 1}
        assert {r["category"] for r in data["composition"]} == {"ikäryhmä", "sukupuoli", "kunta"}
        text = json.dumps(data, ensure_ascii=False) + to_markdown(data) + to_csv(data)
        assert "@example.fi" not in text and "Henkilö" not in text  # no contacts, no names
        assert "## Rahoitus" in to_markdown(data)
        row = next(csv.DictReader(io.StringIO(to_csv(data))))
        assert (row["agree"], row["response_status"]) == ("2", "partly")


def test_contacts_are_deleted_when_the_digiraati_closes(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=0)
        d = panel.d
        assert any(v.contact for v in volunteers_of(db, d))
        assert all(e.kind != "panel_contacts_deleted" for e in do_tick(db, d=d))
        events = do_tick(db, d=d, now=utcnow() + timedelta(days=31))
        db.commit()
        assert "panel_contacts_deleted" in [e.kind for e in events]
        assert all(v.contact is None for v in volunteers_of(db, d))
