"""Migration 0003 back-fills the verdict of posts held before verdicts were
stored: screened once, in the migration, with the author's earlier posts."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from server import db

NOW = "2026-11-01 10:00:00.000000"


def test_held_posts_get_their_verdict_back_filled(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(db.alembic_config(url), "0002")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO deliberation (id, slug, kind, title, introduction, moderation_mode, "
            "last_seq, created_at) VALUES (1, 'vanha', 'brainstorm', 'Vanha', '', 'post', 0, :t)"),
            {"t": NOW})
        conn.execute(sa.text("INSERT INTO question (id, deliberation_id, position, text, active) "
                             "VALUES (1, 1, 0, 'Mitä?', 1)"))
        conn.execute(sa.text(
            "INSERT INTO participant (id, deliberation_id, token_hash, pseudonym, created_at, "
            "muted, banned) VALUES (1, 1, 'h', 'Sininen kettu', :t, 0, 0)"), {"t": NOW})
        for post_id, body, status in [
                (1, "Lisää aikaa kotikäynteihin.", "published"),
                (2, "Lisää aikaa kotikäynteihin.", "held"),  # sent twice
                (3, "Soittakaa numeroon 040 123 4567.", "held")]:
            conn.execute(sa.text(
                "INSERT INTO post (id, deliberation_id, question_id, participant_id, body, "
                "status, support_count, created_at) VALUES (:id, 1, 1, 1, :b, :s, 0, :t)"),
                {"id": post_id, "b": body, "s": status, "t": NOW})
    command.upgrade(db.alembic_config(url), "head")
    with engine.connect() as conn:
        posts = conn.execute(sa.text(
            "SELECT id, verdict, hold_reasons FROM post ORDER BY id")).all()
        findings = conn.execute(sa.text(
            'SELECT post_id, reason, start, "end" FROM postfinding ORDER BY post_id')).all()
    engine.dispose()
    assert [tuple(p) for p in posts] == [(1, "publish", ""), (2, "hold", "duplicate"),
                                        (3, "hold", "phone")]
    assert ("phone", "040 123 4567") in [
        (r, "Soittakaa numeroon 040 123 4567."[s:e]) for p, r, s, e in findings if p == 3]
