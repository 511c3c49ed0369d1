"""Migration 0005 keeps sessions made before drafts existed published (they
were live already) and adds nothing a resident could lose."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from server import db


def test_existing_sessions_stay_published(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(db.alembic_config(url), "0003")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO deliberation (id, slug, kind, title, introduction, moderation_mode, "
            "last_seq, created_at) VALUES (1, 'vanha', 'brainstorm', 'Vanha', '', 'post', 0, "
            "'2026-11-01 10:00:00.000000')"))
    command.upgrade(db.alembic_config(url), "head")
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT published_at, results_published_at, closing_message FROM deliberation")).one()
    assert row[0] is not None and row[1] is None and row[2] == ""
    command.downgrade(db.alembic_config(url), "0003")
    engine.dispose()
