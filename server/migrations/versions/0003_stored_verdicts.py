"""stored verdicts: a post's decision, reasons and findings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 14:00:00

Held posts from before this revision are screened once, here, so that the
moderators' queue and the author's page can show why they wait without ever
screening again.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# How many of the author's earlier posts count for "sent twice" (as when posting).
_RECENT = 5


def upgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default='publish'))
        batch_op.add_column(sa.Column('hold_reasons', sqlmodel.sql.sqltypes.AutoString(length=400),
                                      nullable=False, server_default=''))
    op.create_table(
        'postfinding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('postfinding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postfinding_post_id'), ['post_id'], unique=False)
    _backfill_held_posts()


def _backfill_held_posts() -> None:
    conn = op.get_bind()
    held = conn.execute(sa.text(
        "SELECT post.id, post.body, post.participant_id, participant.muted, "
        "deliberation.moderation_mode FROM post "
        "JOIN participant ON participant.id = post.participant_id "
        "JOIN deliberation ON deliberation.id = post.deliberation_id "
        "WHERE post.status = 'held' ORDER BY post.id")).all()
    if not held:
        return  # a new database: nothing to screen (and no language model to load)
    from moderation.screening import screen

    for post_id, body, participant_id, muted, mode in held:
        recent = [r[0] for r in conn.execute(sa.text(
            "SELECT body FROM post WHERE participant_id = :p AND id < :id "
            "ORDER BY id DESC LIMIT :n"), {"p": participant_id, "id": post_id, "n": _RECENT})]
        screening = screen(body, names=True, recent_texts=recent)
        reasons = list(screening.reasons)
        if muted:
            reasons.append("muted")
        elif not reasons and mode == "pre":
            reasons.append("premoderation")
        conn.execute(sa.text("UPDATE post SET verdict = 'hold', hold_reasons = :r WHERE id = :id"),
                     {"r": " ".join(reasons), "id": post_id})
        for f in screening.findings:
            conn.execute(sa.text(
                'INSERT INTO postfinding (post_id, kind, start, "end", reason) '
                "VALUES (:post_id, :kind, :start, :end, :reason)"),
                {"post_id": post_id, "kind": f.kind, "start": f.start, "end": f.end,
                 "reason": f.reason})


def downgrade() -> None:
    with op.batch_alter_table('postfinding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postfinding_post_id'))
    op.drop_table('postfinding')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('hold_reasons')
        batch_op.drop_column('verdict')
