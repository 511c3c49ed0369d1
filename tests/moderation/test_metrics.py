"""Moderation figures of the participation metrics, counted from what screening
held, what moderators decided and what residents reported."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlalchemy.engine import Engine

from deliberation.metrics import COLUMNS, report_csv, report_json, session_metrics, year_of
from deliberation.models import Post, utcnow
from deliberation.posts import PostingLimits, do_create_post
from moderation.audit import Actor
from moderation.decisions import do_approve, do_hide, do_redact, do_reject, do_restore
from moderation.flags import do_flag_post
from moderation.metrics import moderation_figures, year_report
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)
MOD = Actor(None, "moderaattori")


def _settled(db, d):  # type: ignore[no-untyped-def]
    who = join(db, d)
    who.created_at = utcnow() - timedelta(hours=1)
    db.add(who)
    db.flush()
    return who


def _post(db, d, author, body: str, minutes_ago: int = 0) -> Post:  # type: ignore[no-untyped-def]
    post = do_create_post(db, d=d, participant=author, question_id=first_question(db, d),
                          parent_id=None, body=body, limits=NO_NAMES).post
    if minutes_ago:
        post.created_at = utcnow() - timedelta(minutes=minutes_ago)
        db.add(post)
        db.flush()
    return post


def _world(db):  # type: ignore[no-untyped-def]
    """A session where moderators and residents did a bit of everything, and a
    pre-moderated one where nothing was held by screening."""
    d = make_session(db)
    author = join(db, d)
    held = [_post(db, d, author, f"Soita minulle 040 123 45{n}7", minutes_ago=m)
            for n, m in enumerate((10, 30, 50))]
    assert all(p.status == "held" for p in held)
    do_approve(db, post_id=held[0].id, actor=MOD)
    do_redact(db, post_id=held[1].id, actor=MOD)
    do_reject(db, post_id=held[2].id, actor=MOD, reason="personal_data")
    # Three residents' reports hide a post; a moderator puts it back.
    reported = _post(db, d, author, "Kotihoitoon lisää aikaa.")
    for _ in range(3):
        do_flag_post(db, d=d, participant=_settled(db, d), post_id=reported.id, reason="offensive")
    do_restore(db, post_id=reported.id, actor=MOD)
    # One unfounded report: the moderator keeps the post.
    kept = _post(db, d, author, "Enemmän hoitajia iltaan.")
    do_flag_post(db, d=d, participant=_settled(db, d), post_id=kept.id, reason="spam")
    do_approve(db, post_id=kept.id, actor=MOD)
    # A moderator hides a post nobody reported.
    hidden = _post(db, d, author, "Ruokaa useammin.")
    do_hide(db, post_id=hidden.id, actor=MOD, reason="off_topic")
    pre = make_session(db, mode="pre", title="Ennakkomoderoitu")
    waiting = _post(db, pre, join(db, pre), "Kuljetukset paremmiksi.")
    assert waiting.status == "held"
    do_approve(db, post_id=waiting.id, actor=MOD)
    db.commit()
    return d, pre


def test_a_sessions_moderation_is_counted_from_what_was_done(engine: Engine) -> None:
    with session(engine) as db:
        d, pre = _world(db)
        m = session_metrics(db, d=d, count_moderation=moderation_figures).moderation
        assert m.held_by_screening == 3
        assert (m.approved, m.redacted, m.rejected_by_moderator, m.hidden_by_moderator,
                m.restored) == (2, 1, 1, 1, 1)
        assert (m.reports, m.reported_hidden) == (4, 1)
        # Held 10, 30 and 50 minutes before the decisions: the middle one.
        assert m.median_minutes_to_decision is not None
        assert 30 <= m.median_minutes_to_decision < 31
        other = session_metrics(db, d=pre, count_moderation=moderation_figures).moderation
        assert (other.held_by_screening, other.approved, other.reports) == (0, 1, 0)
        # The post-status figures are still there.
        figures = session_metrics(db, d=d, count_moderation=moderation_figures)
        assert (figures.published, figures.rejected, figures.hidden) == (4, 1, 1)


def test_several_sessions_share_one_median(engine: Engine) -> None:
    with session(engine) as db:
        d, pre = _world(db)
        both = moderation_figures(db, [d.id, pre.id])
        assert (both.held_by_screening, both.approved, both.reports) == (3, 3, 4)
        # Waits of about 0, 10, 30 and 50 minutes: the median is over all four.
        assert both.median_minutes_to_decision is not None
        assert 20 <= both.median_minutes_to_decision < 21
        assert moderation_figures(db, []).median_minutes_to_decision is None


def test_the_years_report_and_exports_carry_the_moderation_figures(engine: Engine) -> None:
    with session(engine) as db:
        d, _ = _world(db)
        year = year_of(d)
        assert year is not None
        report = year_report(db, year=year)
        mine = next(m for m in report.sessions if m.slug == d.slug)
        assert mine.moderation.reports == 4 and mine.moderation.held_by_screening == 3
        assert report.total.moderation.reports == sum(m.moderation.reports for m in report.sessions)
        assert report.total.ideas == sum(m.ideas for m in report.sessions)
        rows = list(csv.DictReader(io.StringIO(report_csv(report))))
        assert tuple(rows[0]) == COLUMNS
        row = next(r for r in rows if r["slug"] == d.slug)
        assert (row["held_by_screening"], row["approved"], row["reported_hidden"]) == ("3", "2", "1")
        assert (row["ideas"], row["published"]) == (str(mine.ideas), "4")
        data = json.loads(report_json(report))
        assert data["total"]["reports"] == report.total.moderation.reports
        as_json = next(s for s in data["sessions"] if s["slug"] == d.slug)
        assert as_json["rejected_by_moderator"] == 1
        assert 30 <= as_json["median_minutes_to_decision"] < 31
