"""The audit log: every decision is a row, rows cannot be changed, CSV is safe."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from deliberation.posts import PostingLimits, do_create_post
from moderation.audit import Actor, AuditLogIsAppendOnly, csv_lines, list_actions, safe_cell
from moderation.decisions import do_approve, do_hide, do_reject
from moderation.models import ModerationAction
from moderation.sanctions import do_sanction
from moderation.stats import session_stats
from tests.factories import first_question, join, make_session, session

NO_NAMES = PostingLimits(detect_names=False)


def _post(db, d, who, body):  # type: ignore[no-untyped-def]
    return do_create_post(db, d=d, participant=who, question_id=first_question(db, d),
                          parent_id=None, body=body, limits=NO_NAMES).post


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+358401234567", "'+358401234567"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Tavallinen teksti", "Tavallinen teksti"),
    (None, ""),
    (12, "12"),
])
def test_csv_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_every_decision_is_logged_with_who_what_and_why(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        me = join(db, d)
        mod = Actor(None, "maija.moderaattori")
        a, b = _post(db, d, me, "Ensimmäinen."), _post(db, d, me, "Toinen.")
        do_approve(db, post_id=a.id, actor=mod)
        do_reject(db, post_id=b.id, actor=mod, reason="spam", note="=cmd|' /C calc'!A0")
        do_hide(db, post_id=a.id, actor=mod, reason="offensive")
        do_sanction(db, participant_id=me.id, action="mute", actor=mod)
        db.commit()
        rows = list_actions(db, deliberation_id=d.id)
        assert [(r.action.action, r.action.reason) for r in rows] == [
            ("mute", ""), ("hide", "offensive"), ("reject", "spam"), ("approve", "")]
        assert {r.action.actor_name for r in rows} == {"maija.moderaattori"}
        assert {r.pseudonym for r in rows} == {me.pseudonym}

        parsed = list(csv.reader(io.StringIO(csv_lines(rows))))
        assert parsed[0][:3] == ["time_utc", "session", "action"]
        reject_row = next(r for r in parsed if r[2] == "reject")
        assert reject_row[-1] == "'=cmd|' /C calc'!A0"

        stats = session_stats(db, deliberation_id=d.id)
        assert stats.decisions[("reject", "spam")] == 1
        assert stats.decisions[("hide", "offensive")] == 1
        assert stats.posts_by_status == {"hidden": 1, "rejected": 1}


def test_audit_rows_cannot_be_changed_or_deleted(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db, mode="pre")
        post = _post(db, d, join(db, d), "Teksti.")
        do_approve(db, post_id=post.id, actor=Actor(None, "mod"))
        db.commit()
        row = db.exec(select(ModerationAction)).first()
        assert row is not None
        row.note = "muutettu"
        db.add(row)
        with pytest.raises(AuditLogIsAppendOnly):
            db.flush()
        db.rollback()
    # Below the ORM, the database itself refuses.
    for statement in ("UPDATE moderationaction SET note = 'x'", "DELETE FROM moderationaction"):
        with engine.connect() as conn:
            with pytest.raises(Exception, match="append-only"):
                conn.execute(text(statement))
            conn.rollback()
