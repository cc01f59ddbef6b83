"""task status per executor (the unit, or each ward), monthly deadlines

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-30 02:10:00.000000

- ``task_status``: one row per executor of a task; ``ward_id`` NULL is the unit itself. Every
  task's shared status and evidence (``task.status``, ``task.evidence_note``) is copied into its
  unit row, so nothing is lost; for a wards' task the unit row stands for every ward that has
  not reported yet. The old columns stay (unused) so older code paths and backups still read.
- ``task_event.ward_id``: the history of revision 0010 now says whose row changed (NULL: the
  unit's). No event is written for the copies: a row without later events has had its status
  all along, which is how revision 0010 reads the history.
- ``task.due_day``: the day of a monthly deadline ("hằng tháng trước ngày 20").
- A stored decoration or flag task led by an oversight or advice verb ("Chủ trì đôn đốc, kiểm
  tra ... trang trí", "Tham mưu UBND quận thông báo treo cờ") becomes inspection or reporting,
  as the plan parser now reads it, so its unit can finish it by hand; a task that already has
  sites linked keeps its kind. The rule is frozen here (no import of the parser).
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEAD_RE = re.compile(
    r"^(?:chu tri )?(chi dao|don doc|kiem tra|huong dan|tham muu|thong bao|ban hanh)\b"
)
_ADVICE = ('tham muu', 'thong bao', 'ban hanh')


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize('NFD', text.lower().replace('đ', 'd'))
    plain = ''.join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r'\s+', ' ', re.sub(r'[^a-z0-9 ]+', ' ', plain)).strip()


def _reclassify_oversight_tasks() -> None:
    """Make oversight/advice tasks on decoration or flags hand-kept (unless sites link them)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, text FROM task WHERE kind IN ('decoration', 'flags') "
        "AND NOT EXISTS (SELECT 1 FROM site WHERE site.task_id = task.id)"
    )).all()  # fmt: skip
    for task_id, text in rows:
        lead = _LEAD_RE.match(_fold(text or ''))
        if lead:
            kind = 'reporting' if lead.group(1) in _ADVICE else 'inspection'
            update = sa.text('UPDATE task SET kind = :kind WHERE id = :id')
            bind.execute(update, {'kind': kind, 'id': task_id})


def upgrade() -> None:
    op.add_column('task', sa.Column('due_day', sa.Integer(), nullable=True))
    op.create_table(
        'task_status',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['task_id'], ['task.id'], name=op.f('fk_task_status_task_id_task'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_task_status_ward_id_ward')),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['app_user.id'], name=op.f('fk_task_status_updated_by_id_app_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_status')),
        sa.UniqueConstraint('task_id', 'ward_id', name='task_ward'),
    )
    op.create_index(op.f('ix_task_status_task_id'), 'task_status', ['task_id'], unique=False)
    op.create_index(
        'uq_task_status_unit_row', 'task_status', ['task_id'], unique=True,
        sqlite_where=sa.text('ward_id IS NULL'), postgresql_where=sa.text('ward_id IS NULL'),
    )  # fmt: skip
    op.add_column('task_event', sa.Column('ward_id', sa.Integer(), nullable=True))
    _copy_shared_statuses()
    _reclassify_oversight_tasks()


def _copy_shared_statuses() -> None:
    """Copy each task's shared status and evidence into its unit row."""
    bind = op.get_bind()
    now = datetime.now(UTC)
    state = sa.table(
        'task_status', sa.column('task_id'), sa.column('ward_id'), sa.column('status'),
        sa.column('note'), sa.column('updated_at', sa.DateTime(timezone=True)),
    )  # fmt: skip
    rows = bind.execute(sa.text('SELECT id, status, evidence_note FROM task ORDER BY id')).all()
    states = [
        {'task_id': tid, 'ward_id': None, 'status': status or 'open', 'note': note or '',
         'updated_at': now}
        for tid, status, note in rows
    ]  # fmt: skip
    if states:
        op.bulk_insert(state, states)


def downgrade() -> None:
    with op.batch_alter_table('task_event', schema=None) as batch_op:
        batch_op.drop_column('ward_id')
    op.drop_index('uq_task_status_unit_row', table_name='task_status')
    op.drop_index(op.f('ix_task_status_task_id'), table_name='task_status')
    op.drop_table('task_status')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('due_day')
