"""64-bit place.osm_id and site costs (OSM ids and costs in đồng exceed PostgreSQL's INTEGER)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.alter_column(
            'osm_id', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True
        )
    with op.batch_alter_table('site', schema=None) as batch_op:
        for column in ('estimated_cost', 'approved_cost'):
            batch_op.alter_column(
                column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True
            )


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        for column in ('estimated_cost', 'approved_cost'):
            batch_op.alter_column(
                column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True
            )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.alter_column(
            'osm_id', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True
        )
