"""flag counts per flag window and site; an append-only history of task statuses

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-30 02:10:00.000000

``flag_count`` holds, per flag window and deployment (site), the flags expected and hung; it
is filled from the inspections that counted flags, each landing in the window its local day
falls in (the last count of a window wins). ``task_event`` keeps every change of a reported
task's status, so a past month's report says what the task's unit had set by then; a task without events has always had its current status.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Asia/Ho_Chi_Minh has had no daylight saving since 1975: a fixed offset is exact here.
LOCAL = timezone(timedelta(hours=7))


def _local_day(at: datetime | str):  # noqa: ANN202 - a migration keeps to plain values
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(LOCAL).date()


def _day(value):  # noqa: ANN001, ANN202
    return datetime.fromisoformat(value).date() if isinstance(value, str) else value


def upgrade() -> None:
    op.create_table(
        'flag_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('expected', sa.Integer(), nullable=False),
        sa.Column('hung', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'hung >= 0 AND expected >= 0 AND hung <= expected',
            name=op.f('ck_flag_count_counts'),
        ),
        sa.ForeignKeyConstraint(
            ['site_id'], ['site.id'], name=op.f('fk_flag_count_site_id_site')
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['app_user.id'], name=op.f('fk_flag_count_updated_by_id_app_user')
        ),
        sa.ForeignKeyConstraint(
            ['window_id'], ['flag_window.id'],
            name=op.f('fk_flag_count_window_id_flag_window'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_count')),
        sa.UniqueConstraint('window_id', 'site_id', name='flag_count_window_site'),
    )
    with op.batch_alter_table('flag_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_count_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_count_window_id'), ['window_id'], unique=False)
    op.create_table(
        'task_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['task_id'], ['task.id'], name=op.f('fk_task_event_task_id_task'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_task_event_user_id_app_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_event')),
    )
    with op.batch_alter_table('task_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_event_task_id'), ['task_id'], unique=False)
    _fill_flag_counts()


def _fill_flag_counts() -> None:
    """Put every counted inspection's figures into the window of its local day."""
    conn = op.get_bind()
    windows = conn.execute(
        sa.text('SELECT id, campaign_id, start_on, end_on FROM flag_window ORDER BY start_on, id')
    ).all()
    counted = conn.execute(
        sa.text(
            'SELECT i.site_id, s.campaign_id, i.at, i.flags_expected, i.flags_hung, i.inspector_id'
            ' FROM inspection i JOIN site s ON s.id = i.site_id'
            ' WHERE i.flags_hung IS NOT NULL AND i.flags_expected IS NOT NULL'
            ' ORDER BY i.at, i.id'
        )
    ).all()
    latest: dict[tuple[int, int], tuple] = {}
    for site_id, campaign_id, at, expected, hung, inspector_id in counted:
        day = _local_day(at)
        for window_id, window_campaign, start_on, end_on in windows:
            if window_campaign == campaign_id and _day(start_on) <= day <= _day(end_on):
                # Counts above expected were never accepted; clamp to keep the rule honest.
                latest[(window_id, site_id)] = (expected, min(hung, expected), at, inspector_id)
                break
    for (window_id, site_id), (expected, hung, at, user_id) in latest.items():
        conn.execute(
            sa.text(
                'INSERT INTO flag_count (window_id, site_id, expected, hung, updated_at,'
                ' updated_by_id) VALUES (:w, :s, :e, :h, :at, :u)'
            ),
            {'w': window_id, 's': site_id, 'e': expected, 'h': hung, 'at': at, 'u': user_id},
        )


def downgrade() -> None:
    with op.batch_alter_table('task_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_event_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_event_at'))
    op.drop_table('task_event')
    with op.batch_alter_table('flag_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_count_window_id'))
        batch_op.drop_index(batch_op.f('ix_flag_count_site_id'))
    op.drop_table('flag_count')
