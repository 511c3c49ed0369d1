"""hardening: per-session token keys, server-side staff sessions, rate indexes

Staff accounts get an 'active' flag: deleting one keeps the row for the audit log.

Revision ID: 0004
Revises: 0003

Existing sessions get a random token key each. Existing participants keep
their unkeyed SHA-256 token hash (no "k1$" prefix): it still matches, and is
re-keyed when their browser next acts in the session (see
deliberation/participants.py). Existing staff cookies (role in the signed
cookie) stop working: staff log in once more.
"""
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_key', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))
    conn = op.get_bind()
    deliberation = sa.table('deliberation', sa.column('id', sa.Integer),
                            sa.column('token_key', sa.String))
    for (row_id,) in conn.execute(sa.select(deliberation.c.id)).all():
        conn.execute(deliberation.update().where(deliberation.c.id == row_id)
                     .values(token_key=secrets.token_hex(32)))

    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))

    op.create_table(
        'staffsession',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('id_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staffuser.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('id_hash'),
    )
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffsession_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_participant_created', ['participant_id', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_post_deliberation_created', ['deliberation_id', 'created_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_deliberation_created')
        batch_op.drop_index('ix_post_participant_created')
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffsession_staff_id'))
    op.drop_table('staffsession')
    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_column('token_key')
