"""unit reports get sections, attachments, a review and a history; the district report draft

Revision ID: 0015
Revises: 0009
Create Date: 2026-11-30 02:30:00.000000

Plain ``ADD COLUMN`` on ``monthly_report`` (nullable: rows submitted before keep their
plain text body) and one new table; no table rebuild on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('monthly_report', sa.Column('sections', sa.JSON(), nullable=True))
    op.add_column('monthly_report', sa.Column('attachments', sa.JSON(), nullable=True))
    op.add_column(
        'monthly_report', sa.Column('review_status', sa.String(length=16), nullable=True)
    )
    op.add_column('monthly_report', sa.Column('review_comment', sa.Text(), nullable=True))
    op.add_column('monthly_report', sa.Column('history', sa.JSON(), nullable=True))
    op.create_table(
        'district_report_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('assessment', sa.Text(), nullable=False),
        sa.Column('difficulties', sa.Text(), nullable=False),
        sa.Column('next_tasks', sa.Text(), nullable=False),
        sa.Column('recommendations', sa.Text(), nullable=False),
        sa.Column('doc_number', sa.String(length=40), nullable=False),
        sa.Column('doc_date', sa.Date(), nullable=True),
        sa.Column('signer_name', sa.String(length=120), nullable=False),
        sa.Column('signer_title', sa.String(length=120), nullable=False),
        sa.Column('sign_mode', sa.String(length=4), nullable=False),
        sa.Column('issuer', sa.String(length=16), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['campaign_id'], ['campaign.id'],
            name=op.f('fk_district_report_draft_campaign_id_campaign'),
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['app_user.id'],
            name=op.f('fk_district_report_draft_updated_by_id_app_user'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_district_report_draft')),
        sa.UniqueConstraint(
            'campaign_id', 'month', name='district_report_draft_campaign_month'
        ),
    )
    with op.batch_alter_table('district_report_draft', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_district_report_draft_campaign_id'), ['campaign_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('district_report_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_report_draft_campaign_id'))
    op.drop_table('district_report_draft')
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        for column in ('history', 'review_comment', 'review_status', 'attachments', 'sections'):
            batch_op.drop_column(column)
