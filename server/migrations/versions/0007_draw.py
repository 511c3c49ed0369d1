"""draw: the digiraati panel is drawn in the background

Revision ID: 0007_draw
Revises: 0006
Create Date: 2026-11-30 17:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007_draw'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('digiraati') as batch:
        batch.add_column(sa.Column('draw_seed', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('draw_alive_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('draw_error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('digiraati') as batch:
        batch.drop_column('draw_error')
        batch.drop_column('draw_alive_at')
        batch.drop_column('draw_seed')
