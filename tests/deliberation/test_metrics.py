"""Participation metrics per session and per year, and their export."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.feedback import do_give_feedback
from deliberation.metrics import (
    COLUMNS,
    report_csv,
    report_json,
    session_metrics,
    year_of,
    year_report,
)
from deliberation.outcomes import ResponseForm, do_publish_results, do_save_responses
from deliberation.posts import PostingLimits, do_create_post, do_toggle_support
from tests.factories import first_question, join, make_session

NO_NAMES = PostingLimits(detect_names=False)


def test_a_sessions_figures(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db, title="=Kotihoito")
        a, b, lurker = join(db, d), join(db, d), join(db, d)
        qid = first_question(db, d)
        idea = do_create_post(db, d=d, participant=a, question_id=qid, parent_id=None,
                              body="Enemmän aikaa.", limits=NO_NAMES).post
        do_create_post(db, d=d, participant=a, question_id=qid, parent_id=idea.id,
                       body="Ja sama hoitaja.", limits=NO_NAMES)
        do_create_post(db, d=d, participant=a, question_id=qid, parent_id=None,
                       body="Soita 040 123 4567", limits=NO_NAMES)
        do_toggle_support(db, d=d, participant=b, post_id=idea.id)
        do_give_feedback(db, d=d, participant=a, context="first_post", score=4, text="")
        do_give_feedback(db, d=d, participant=lurker, context="closed", score=2, text="")
        assert d.opens_at is not None
        d.closes_at = d.opens_at
        do_save_responses(db, d=d, items=[ResponseForm("Aika", "Lisäämme aikaa."),
                                          ResponseForm("Hoitaja", "")])
        db.commit()
        before = session_metrics(db, d=d)
        assert (before.participants, before.ideas, before.replies, before.supports) == (2, 2, 1, 1)
        assert (before.published, before.held) == (2, 1)
        assert (before.feedback_count, before.feedback_average) == (2, 3.0)
        # Responses count once residents can read them.
        assert (before.themes, before.themes_answered) == (2, 0)
        do_publish_results(db, d=d, role="admin")
        db.commit()
        after = session_metrics(db, d=d)
        assert after.answered_share == 0.5


def test_a_years_report_sums_sessions_and_exports_safely(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db, title="=HYPERLINK(\"http://x\")")
        make_session(db, draft=True, title="Luonnos ei kuulu raporttiin")
        me = join(db, d)
        do_create_post(db, d=d, participant=me, question_id=first_question(db, d),
                       parent_id=None, body="Idea.", limits=NO_NAMES)
        db.commit()
        year = year_of(d)
        assert year is not None
        report = year_report(db, year=year)
        titles = [m.title for m in report.sessions]
        assert d.title in titles and "Luonnos ei kuulu raporttiin" not in titles
        assert report.total.ideas == sum(m.ideas for m in report.sessions)
        rows = list(csv.reader(io.StringIO(report_csv(report))))
        assert tuple(rows[0]) == COLUMNS
        assert ["'" + d.title] in [r[:1] for r in rows]
        assert rows[-1][0] == str(year)
        data = json.loads(report_json(report))
        assert data["total"]["ideas"] == report.total.ideas
        assert "pseudonym" not in report_csv(report)
