"""county readiness: session lifecycle, language versions, organisation,
theme responses, anonymous feedback

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', _TIME(), nullable=True))
        batch_op.add_column(sa.Column('results_published_at', _TIME(), nullable=True))
        batch_op.add_column(sa.Column('closing_message', sa.Text(), nullable=False,
                                      server_default=''))
    # Sessions made before drafts existed were live at once: keep them published.
    op.execute("UPDATE deliberation SET published_at = created_at")

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_seen_at', _TIME(), nullable=True))
        batch_op.add_column(sa.Column('feedback_given', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    op.create_table(
        'contenttext',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deliberation_id', sa.Integer(), nullable=False),
        sa.Column('field', _TEXT(length=20), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('lang', _TEXT(length=5), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('deliberation_id', 'field', 'ref_id', 'lang'),
    )
    with op.batch_alter_table('contenttext', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contenttext_deliberation_id'), ['deliberation_id'],
                              unique=False)

    op.create_table(
        'organisation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('logo_url', _TEXT(length=500), nullable=False),
        sa.Column('logo_bytes', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', _TEXT(length=20), nullable=False),
        sa.Column('contact_email', _TEXT(length=200), nullable=False),
        sa.Column('contact_phone', _TEXT(length=40), nullable=False),
        sa.Column('website_url', _TEXT(length=500), nullable=False),
        sa.Column('privacy_url', _TEXT(length=500), nullable=False),
        sa.Column('a11y_conformance', _TEXT(length=10), nullable=False),
        sa.Column('a11y_assessed_on', sa.Date(), nullable=True),
        sa.Column('a11y_feedback_email', _TEXT(length=200), nullable=False),
        sa.Column('updated_at', _TIME(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'organisationtext',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('field', _TEXT(length=30), nullable=False),
        sa.Column('lang', _TEXT(length=5), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('field', 'lang'),
    )
    op.create_table(
        'themeresponse',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deliberation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', _TEXT(length=200), nullable=False),
        sa.Column('post_count', sa.Integer(), nullable=False),
        sa.Column('status', _TEXT(length=20), nullable=False),
        sa.Column('response', sa.Text(), nullable=False),
        sa.Column('updated_at', _TIME(), nullable=False),
        sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('themeresponse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themeresponse_deliberation_id'),
                              ['deliberation_id'], unique=False)
    op.create_table(
        'feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deliberation_id', sa.Integer(), nullable=False),
        sa.Column('context', _TEXT(length=12), nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_deliberation_id'), ['deliberation_id'],
                              unique=False)


def downgrade() -> None:
    for table in ('feedback', 'themeresponse', 'contenttext'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_deliberation_id'))
        op.drop_table(table)
    op.drop_table('organisationtext')
    op.drop_table('organisation')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('feedback_given')
        batch_op.drop_column('results_seen_at')
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_column('closing_message')
        batch_op.drop_column('results_published_at')
        batch_op.drop_column('published_at')
