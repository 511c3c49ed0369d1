"""Migration 0004: every session gets its own token key; a participant made
before it keeps its pseudonym (the old hash still matches, and is re-keyed on
the next action); old staff accounts stay active."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from deliberation.participants import KEYED_PREFIX, do_join, find_participant
from server import db

NOW = "2026-11-01 10:00:00.000000"


def test_old_participants_keep_their_pseudonym(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(db.alembic_config(url), "0003")
    engine = sa.create_engine(url)
    token = "vanha-selaimen-tunniste"
    with engine.begin() as conn:
        for i in (1, 2):
            conn.execute(sa.text(
                "INSERT INTO deliberation (id, slug, kind, title, introduction, moderation_mode, "
                "last_seq, created_at) VALUES (:i, :s, 'brainstorm', 'Vanha', '', 'post', 0, :t)"),
                {"i": i, "s": f"vanha-{i}", "t": NOW})
        conn.execute(sa.text(
            "INSERT INTO participant (id, deliberation_id, token_hash, pseudonym, created_at, "
            "muted, banned) VALUES (1, 1, :h, 'Sininen kettu 7', :t, 0, 0)"),
            {"h": hashlib.sha256(token.encode()).hexdigest(), "t": NOW})
        conn.execute(sa.text(
            "INSERT INTO staffuser (id, username, password_hash, role, created_at) "
            "VALUES (1, 'vanha-admin', 'x', 'admin', :t)"), {"t": NOW})
    command.upgrade(db.alembic_config(url), "head")
    with engine.connect() as conn:
        keys = [r[0] for r in conn.execute(sa.text("SELECT token_key FROM deliberation"))]
        active = conn.execute(sa.text("SELECT active FROM staffuser")).scalar_one()
    engine.dispose()
    assert len(keys) == 2 and all(len(k) == 64 for k in keys) and keys[0] != keys[1]
    assert active in (1, True)

    eng = db.make_engine(url)
    with db.session(eng) as s:
        me = find_participant(s, deliberation_id=1, token=token)
        assert me is not None and me.pseudonym == "Sininen kettu 7"
        again = do_join(s, deliberation_id=1, token=token)
        s.commit()
        assert again.id == me.id and again.token_hash.startswith(KEYED_PREFIX)
    eng.dispose()
