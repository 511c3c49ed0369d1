"""held amendments and comments: moderation state and stored verdicts

Revision ID: 0008_amend
Revises: 0007_draw
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_amend'
down_revision: str | None = '0007_draw'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _verdict_columns(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column('verdict', sa.String(length=10), nullable=False,
                                   server_default='publish'))
        batch.add_column(sa.Column('hold_reasons', sa.String(length=400), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('findings', sa.Text(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('rejection_reason', sa.String(length=40), nullable=False,
                                   server_default=''))


def upgrade() -> None:
    with op.batch_alter_table('amendment') as batch:
        # Every amendment stored so far was published (held ones were refused).
        batch.add_column(sa.Column('moderation', sa.String(length=12), nullable=False,
                                   server_default='published'))
    _verdict_columns('amendment')
    _verdict_columns('amendmentcomment')


def downgrade() -> None:
    for table in ('amendmentcomment', 'amendment'):
        with op.batch_alter_table(table) as batch:
            for name in ('rejection_reason', 'findings', 'hold_reasons', 'verdict'):
                batch.drop_column(name)
    with op.batch_alter_table('amendment') as batch:
        batch.drop_column('moderation')
