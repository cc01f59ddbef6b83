"""campaigns: campaign and flag_window tables; positions; sites become per-campaign deployments

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 01:19:26.669240

An existing database becomes its first campaign, made from the newest plan (its flag window
becomes the campaign's first flag window); every site gets a lasting position with the same
code and is that position's deployment in the first campaign; monthly reports belong to it.
Nothing is deleted and every count stays the same.

On SQLite the ``site`` table is rebuilt (batch mode), which drops its triggers: the guard
``site_is_demo_fixed`` of revision 0005 is created again afterwards. The rebuild needs
foreign-key enforcement off (``kehoach.db.migrate`` does that); this revision checks the keys
itself before it ends.
"""

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same rule as the app's campaign_dates at the time of writing (copied: a migration must
# not change when the app does).
LEAD_DAYS = 365
TAIL_DAYS = 30
NO_PLAN_DAYS = 90
FLAG_TARGETS = ["agencies", "schools", "households", "streets"]

# Revision 0005's SQLite triggers that name ``site``: a rebuild of ``site`` drops the first and
# cannot rename its new table while the second refers to it, so both go and come back.
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

plan_t = sa.table(
    'plan',
    sa.column('id', sa.Integer), sa.column('title', sa.Text),
    sa.column('issued_on', sa.Date), sa.column('anniversary', sa.Date),
    sa.column('implements', sa.JSON), sa.column('imported_at', sa.DateTime(timezone=True)),
    sa.column('flag_window_start', sa.Date), sa.column('flag_window_end', sa.Date),
)
campaign_t = sa.table(
    'campaign',
    sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('occasion', sa.Text),
    sa.column('plan_id', sa.Integer), sa.column('start_on', sa.Date),
    sa.column('end_on', sa.Date), sa.column('state', sa.String),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
window_t = sa.table(
    'flag_window',
    sa.column('campaign_id', sa.Integer), sa.column('start_on', sa.Date),
    sa.column('end_on', sa.Date), sa.column('applies_to', sa.JSON), sa.column('note', sa.Text),
)
site_t = sa.table('site', sa.column('id', sa.Integer), sa.column('code', sa.String),
                  sa.column('campaign_id', sa.Integer), sa.column('position_id', sa.Integer))
report_t = sa.table('monthly_report', sa.column('campaign_id', sa.Integer))
POSITION_COLUMNS = (
    'code', 'kind', 'name', 'geojson', 'lon', 'lat', 'length_m', 'ward_id', 'street_id',
    'place_id', 'address', 'is_demo', 'created_at', 'created_by_id',
)


def _occasion(title: str) -> str:
    match = re.search(r'(kỷ niệm\s.+?)\s*$', ' '.join((title or '').split()), re.IGNORECASE)
    return 'kỷ niệm' + match.group(1).rstrip(' .;,')[len('kỷ niệm'):] if match else ''


def _name(occasion: str) -> str:
    dates = r'\s*\(\s*\d{1,2}/\d{1,2}/\d{4}\s*[-–]\s*\d{1,2}/\d{1,2}/\d{4}\s*\)\s*'
    text = re.sub(dates, ' ', occasion).strip()
    return (text[0].upper() + text[1:])[:200] if text else 'Đợt trang trí'


def _period(plan: sa.Row | None, today: date) -> tuple[date, date]:
    if plan is None or plan.anniversary is None:
        start = plan.flag_window_start if plan is not None and plan.flag_window_start else today
        end = plan.flag_window_end if plan is not None and plan.flag_window_end else start
        return start, max(end, start + timedelta(days=NO_PLAN_DAYS))
    refs = [date.fromisoformat(str(d['date'])) for d in plan.implements or []
            if isinstance(d, dict) and d.get('date')]
    starts = [d for d in (plan.issued_on, min(refs, default=None), plan.flag_window_start) if d]
    start = min(starts) if starts else plan.anniversary - timedelta(days=LEAD_DAYS)
    ends = [plan.anniversary + timedelta(days=TAIL_DAYS)]
    if plan.flag_window_end:
        ends.append(plan.flag_window_end)
    return start, max(ends)


def _first_campaign() -> None:
    """Make the newest plan (if any data exists) the first campaign and move the data in."""
    bind = op.get_bind()
    plan = bind.execute(
        sa.select(plan_t).order_by(plan_t.c.imported_at.desc(), plan_t.c.id.desc())
    ).first()
    has_sites = bind.execute(sa.text('SELECT count(*) FROM site')).scalar()
    has_reports = bind.execute(sa.text('SELECT count(*) FROM monthly_report')).scalar()
    if plan is None and not has_sites and not has_reports:
        return  # an empty database: `init` creates the first campaign with its plan
    now = datetime.now(UTC)
    start, end = _period(plan, now.date())
    occasion = _occasion(plan.title) if plan is not None else ''
    bind.execute(sa.insert(campaign_t).values(
        name=_name(occasion), occasion=occasion, plan_id=plan.id if plan is not None else None,
        start_on=start, end_on=end, state='running', created_at=now,
    ))
    campaign_id = bind.execute(sa.select(sa.func.max(campaign_t.c.id))).scalar()
    if plan is not None and plan.flag_window_start and plan.flag_window_end:
        bind.execute(sa.insert(window_t).values(
            campaign_id=campaign_id, start_on=plan.flag_window_start,
            end_on=plan.flag_window_end, applies_to=FLAG_TARGETS, note='',
        ))
    columns = ', '.join(POSITION_COLUMNS)
    bind.execute(sa.text(
        f'INSERT INTO position ({columns}) SELECT {columns} FROM site ORDER BY id'
    ))
    bind.execute(sa.text(
        'UPDATE site SET position_id = (SELECT position.id FROM position '
        'WHERE position.code = site.code)'
    ))
    bind.execute(sa.update(site_t).values(campaign_id=campaign_id))
    bind.execute(sa.update(report_t).values(campaign_id=campaign_id))


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('occasion', sa.Text(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('start_on <= end_on', name=op.f('ck_campaign_period')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_campaign_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_campaign_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    op.create_index(op.f('ix_campaign_plan_id'), 'campaign', ['plan_id'], unique=False)
    op.create_index(op.f('ix_campaign_state'), 'campaign', ['state'], unique=False)

    op.create_table('flag_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('applies_to', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('start_on <= end_on', name=op.f('ck_flag_window_period')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_flag_window_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_window'))
    )
    op.create_index(op.f('ix_flag_window_campaign_id'), 'flag_window', ['campaign_id'], unique=False)

    op.create_table('position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('geojson', sa.Text(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('length_m', sa.Float(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('street_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_position_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_position_place_id_place')),
    sa.ForeignKeyConstraint(['street_id'], ['street.id'], name=op.f('fk_position_street_id_street')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_position_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position')),
    sa.UniqueConstraint('code', name=op.f('uq_position_code'))
    )
    op.create_index(op.f('ix_position_street_id'), 'position', ['street_id'], unique=False)
    op.create_index(op.f('ix_position_ward_id'), 'position', ['ward_id'], unique=False)

    # Nullable first (plain ALTER TABLE ADD COLUMN on both engines), filled, then tightened.
    op.add_column('site', sa.Column('campaign_id', sa.Integer(), nullable=True))
    op.add_column('site', sa.Column('position_id', sa.Integer(), nullable=True))
    op.add_column('monthly_report', sa.Column('campaign_id', sa.Integer(), nullable=True))
    _first_campaign()

    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('unit_ward_month', type_='unique')
        batch_op.drop_index('uq_monthly_report_unit_month_no_ward', sqlite_where=sa.text('ward_id IS NULL'), postgresql_where=sa.text('ward_id IS NULL'))
        batch_op.create_index('uq_monthly_report_unit_month_no_ward', ['campaign_id', 'unit_id', 'month'], unique=True, sqlite_where=sa.text('ward_id IS NULL'), postgresql_where=sa.text('ward_id IS NULL'))
        batch_op.create_unique_constraint('campaign_unit_ward_month', ['campaign_id', 'unit_id', 'ward_id', 'month'])
        batch_op.create_index(batch_op.f('ix_monthly_report_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_monthly_report_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'])

    _drop_site_triggers()
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_site_code', type_='unique')
        batch_op.drop_constraint('uq_site_import_key', type_='unique')
        batch_op.create_index(batch_op.f('ix_site_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_position_id'), ['position_id'], unique=False)
        batch_op.create_unique_constraint('site_campaign_code', ['campaign_id', 'code'])
        batch_op.create_unique_constraint('site_campaign_import_key', ['campaign_id', 'import_key'])
        batch_op.create_foreign_key(batch_op.f('fk_site_position_id_position'), 'position', ['position_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_site_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'])

    _create_site_triggers()
    if op.get_bind().dialect.name == 'sqlite':
        broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'foreign keys broken by the campaign migration: {broken[:5]}')


def downgrade() -> None:
    bind = op.get_bind()
    if (bind.execute(sa.text('SELECT count(*) FROM campaign')).scalar() or 0) > 1:
        raise RuntimeError('more than one campaign: a downgrade would merge their sites')
    # The campaign's first flag window goes back to its plan, the one window 0005 knows.
    first = (
        'SELECT fw.{} FROM flag_window fw JOIN campaign c ON fw.campaign_id = c.id '
        'WHERE c.plan_id = plan.id ORDER BY fw.start_on, fw.id LIMIT 1'
    )
    op.execute(
        f'UPDATE plan SET flag_window_start = ({first.format("start_on")}), '
        f'flag_window_end = ({first.format("end_on")}) '
        'WHERE EXISTS (SELECT 1 FROM campaign WHERE campaign.plan_id = plan.id)'
    )
    _drop_site_triggers()
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_site_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_site_position_id_position'), type_='foreignkey')
        batch_op.drop_constraint('site_campaign_import_key', type_='unique')
        batch_op.drop_constraint('site_campaign_code', type_='unique')
        batch_op.drop_index(batch_op.f('ix_site_position_id'))
        batch_op.drop_index(batch_op.f('ix_site_campaign_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_site_import_key'), ['import_key'])
        batch_op.create_unique_constraint(batch_op.f('uq_site_code'), ['code'])
        batch_op.drop_column('position_id')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_monthly_report_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_monthly_report_campaign_id'))
        batch_op.drop_constraint('campaign_unit_ward_month', type_='unique')
        batch_op.drop_index('uq_monthly_report_unit_month_no_ward', sqlite_where=sa.text('ward_id IS NULL'), postgresql_where=sa.text('ward_id IS NULL'))
        batch_op.create_index('uq_monthly_report_unit_month_no_ward', ['unit_id', 'month'], unique=True, sqlite_where=sa.text('ward_id IS NULL'), postgresql_where=sa.text('ward_id IS NULL'))
        batch_op.create_unique_constraint('unit_ward_month', ['unit_id', 'ward_id', 'month'])
        batch_op.drop_column('campaign_id')

    _create_site_triggers()
    op.drop_index(op.f('ix_position_ward_id'), table_name='position')
    op.drop_index(op.f('ix_position_street_id'), table_name='position')
    op.drop_table('position')
    op.drop_index(op.f('ix_flag_window_campaign_id'), table_name='flag_window')
    op.drop_table('flag_window')
    op.drop_index(op.f('ix_campaign_state'), table_name='campaign')
    op.drop_index(op.f('ix_campaign_plan_id'), table_name='campaign')
    op.drop_table('campaign')
