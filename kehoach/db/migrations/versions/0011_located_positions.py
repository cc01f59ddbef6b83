"""located positions: position text, how a site was located, size and dates; unplaced sites

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-30 02:10:00.000000

A summary table names positions in words ("Ngã tư Nguyễn Trãi - Khuất Duy Tiến"). A site
keeps that text, how its geometry was found (``location_source``: coordinates, crossing,
stretch, street, place, drawn, unplaced) and whether a person must confirm it. These live on
the site (the deployment), beside the geometry copy they describe and the history that
records their changes. A row that cannot be located is stored "chưa định vị": its geometry
columns are NULL until staff place it, so the map, coverage and nearest lists skip it.

On SQLite the ``site`` table is rebuilt (batch mode), which drops the triggers of revision
0005; they are created again afterwards, as in revision 0006.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_SITE_TRIGGERS = {
    'site_event_no_delete': """
    CREATE TRIGGER site_event_no_delete BEFORE DELETE ON site_event
    WHEN NOT EXISTS (SELECT 1 FROM site WHERE site.id = OLD.site_id AND site.is_demo)
    BEGIN SELECT RAISE(ABORT, 'site history is append-only: only demo events can be deleted'); END
    """,
    'site_is_demo_fixed': """
    CREATE TRIGGER site_is_demo_fixed BEFORE UPDATE OF is_demo ON site
    WHEN NEW.is_demo IS NOT OLD.is_demo
    BEGIN SELECT RAISE(ABORT, 'site.is_demo cannot change after the site is created'); END
    """,
}
GEOMETRY_COLUMNS = (('geojson', sa.Text()), ('lon', sa.Float()), ('lat', sa.Float()))


def _drop_site_triggers() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in SQLITE_SITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')


def _create_site_triggers() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_SITE_TRIGGERS.values():
            op.execute(statement)


def upgrade() -> None:
    _drop_site_triggers()
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_text', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('location_source', sa.String(length=20), nullable=False,
                                      server_default='coordinates'))
        batch_op.add_column(sa.Column('needs_confirmation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('size', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('install_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('remove_on', sa.Date(), nullable=True))
        for name, type_ in GEOMETRY_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)
        batch_op.create_index(batch_op.f('ix_site_location_source'), ['location_source'],
                              unique=False)
    _create_site_triggers()
    with op.batch_alter_table('position', schema=None) as batch_op:
        for name, type_ in GEOMETRY_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade() -> None:
    unplaced = op.get_bind().execute(sa.text('SELECT count(*) FROM site WHERE geojson IS NULL'))
    if unplaced.scalar():
        raise RuntimeError('place or delete the unplaced sites first: the older schema needs '
                           'a geometry for every site')
    with op.batch_alter_table('position', schema=None) as batch_op:
        for name, type_ in GEOMETRY_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
    _drop_site_triggers()
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_location_source'))
        for name, type_ in GEOMETRY_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        for name in ('remove_on', 'install_on', 'size', 'needs_confirmation',
                     'location_source', 'position_text'):
            batch_op.drop_column(name)
    _create_site_triggers()
