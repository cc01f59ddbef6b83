"""inspections carry the id their device gave them (offline packs) and the site version left

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-30 01:55:00.000000

``client_uuid`` is unique: a result sent twice (the same offline results file uploaded again)
is stored once. ``site_version`` is the site's version right after the inspection was
written, so a later result from the same pack is not mistaken for a conflict with its own
earlier result. Plain ``ADD COLUMN`` and a unique index: no table rebuild on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('inspection', sa.Column('client_uuid', sa.String(length=36), nullable=True))
    op.add_column('inspection', sa.Column('site_version', sa.Integer(), nullable=True))
    op.create_index(
        op.f('ix_inspection_client_uuid'), 'inspection', ['client_uuid'], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_inspection_client_uuid'), table_name='inspection')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('site_version')
        batch_op.drop_column('client_uuid')
