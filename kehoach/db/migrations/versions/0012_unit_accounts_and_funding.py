"""unit accounts and funding: a user bound to a plan unit by name; site funding and spend

Revision ID: 0012
Revises: 0015
Create Date: 2026-11-30 02:05:00.000000

``app_user.unit_name`` binds an account to a unit of the plan by the unit's name, not by the
row id: unit rows belong to one plan, and a new campaign's plan has new rows, so the binding
is looked up by name in the current campaign at each sign-in. An existing ``unit_id`` binding
is copied to the name. ``unit.invited`` marks the bodies the plan only invites ("Đề nghị ...");
the words leave the unit's name. ``site.funding_source`` and ``site.actual_cost`` record where
an item's money comes from and what was spent once it is done.

Only columns are added (no table rebuild), so the SQLite triggers on ``site`` stay in place.
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INVITED_WORDS = 'đề nghị'


def upgrade() -> None:
    op.add_column('app_user', sa.Column('unit_name', sa.Text(), nullable=True))
    op.add_column(
        'unit', sa.Column('invited', sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column('site', sa.Column('funding_source', sa.String(length=20), nullable=True))
    op.add_column('site', sa.Column('actual_cost', sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            'UPDATE app_user SET unit_name = (SELECT unit.name FROM unit '
            'WHERE unit.id = app_user.unit_id) WHERE unit_id IS NOT NULL'
        )
    )
    units = bind.execute(sa.text('SELECT id, name FROM unit')).all()
    for unit_id, name in units:
        text = unicodedata.normalize('NFC', name).strip()
        if text.casefold().startswith(INVITED_WORDS + ' '):
            bind.execute(
                sa.text('UPDATE unit SET name = :name, invited = :yes WHERE id = :id'),
                {'name': text[len(INVITED_WORDS):].strip(), 'yes': True, 'id': unit_id},
            )


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text("UPDATE unit SET name = 'Đề nghị ' || name WHERE invited")
    )
    with op.batch_alter_table('unit') as batch_op:
        batch_op.drop_column('invited')
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_column('unit_name')
    # Dropping site columns on SQLite rebuilds ``site``: its triggers are dropped before and
    # created again after, as revision 0006 does.
    _drop_site_triggers()
    with op.batch_alter_table('site') as batch_op:
        batch_op.drop_column('actual_cost')
        batch_op.drop_column('funding_source')
    _create_site_triggers()


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


def _drop_site_triggers() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in SQLITE_SITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')


def _create_site_triggers() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_SITE_TRIGGERS.values():
            op.execute(statement)
