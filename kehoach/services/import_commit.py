"""Store a checked import all or nothing, while holding the write lock only briefly.

Storing 20,000 rows one ``place_site`` at a time held the write lock for about 28 s, and
every other user's save waited behind it and failed; storing them in short chunks kept the
saves fast but let a crash leave part of an import, and readers saw it appear chunk by chunk.

Here the import works in three steps on one database connection:

1. ``prepare_rows``: each row's checks, geometry, ward and street, in short read transactions
   that never block a writer. A row that fails stops the import before anything is stored.
2. Staging: the checked values go into a TEMPORARY table of that connection, in short
   transactions. A temporary table is private to its connection and lives outside the shared
   database (SQLite keeps it in a separate file, PostgreSQL in the session's own schema), so
   staging takes no write lock, no reader ever sees it, and a crash leaves nothing behind:
   the table dies with the connection. There is nothing to clean up after a killed import.
3. One short write transaction moves the staged rows into the real tables with set-based
   ``INSERT … SELECT`` statements: positions, sites and their 'created' events, after
   re-checking the campaign is open and skipping rows whose import key the campaign already
   holds. Everything appears at once, or (on any failure) nothing does.

Who waits for that last step differs by database. SQLite has one writer at a time, so other
saves wait for it (about 0.2 s for 20,000 rows). On PostgreSQL it only inserts rows nobody
else can see or pick: it holds the campaign rows (a close waits for it) and a lock that
serialises imports, not the write lock every other save takes, and its codes were reserved
from the position id sequence while staging. Saves there do not wait for it at all.
``tools/bench.py`` measures the longest save during a 20,000-row import on both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    text,
)
from sqlalchemy.orm import Session

from kehoach.db.engine import (
    IMPORT_WRITE,
    numbers_from_sequence,
    read_session,
    reserve_numbers,
    retry_transient,
)
from kehoach.db.models import Campaign, Position, Site, SiteEvent, User, UTCDateTime, utcnow
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.services.campaigns import open_campaign_in
from kehoach.services.geography import spatial_index
from kehoach.services.positions import code_of
from kehoach.services.site_validation import PlannedRow
from kehoach.services.sites import new_site_values

CHUNK_ROWS = 500
POSITION_FIELDS = ("kind", "name", "geojson", "lon", "lat", "length_m", "ward_id",
                   "street_id", "place_id", "address", "created_by_id")  # fmt: skip
# The values ``new_site_values`` returns, staged as they are.
SITE_FIELDS = ("campaign_id", "name", "kind", "status", "approval", "geojson", "lon", "lat",
               "length_m", "ward_id", "street_id", "place_id", "unit_id", "task_id", "address",
               "content", "note", "quantity", "flags_expected", "flags_hung", "planned_on",
               "is_new", "estimated_cost", "import_key", "created_by_id",
               "updated_by_id", "position_text", "location_source", "needs_confirmation",
               "size", "install_on", "remove_on")  # fmt: skip

# Temporary tables: never created by migrations, only on the importing connection.
_stage_metadata = MetaData()
STAGED = Table(
    "import_staged",
    _stage_metadata,
    Column("seq", Integer, primary_key=True),
    *(Column(name, Site.__table__.c[name].type) for name in SITE_FIELDS),
    prefixes=["TEMPORARY"],
)
STAGED_CODES = Table(
    "import_staged_code",
    _stage_metadata,
    Column("seq", Integer, primary_key=True),
    Column("code", String(40), nullable=False),
    prefixes=["TEMPORARY"],
)


class RowFailed(Exception):
    """A planned row failed its checks at commit time; ``row`` is its number in the file."""

    def __init__(self, row: int, error: DomainError) -> None:
        super().__init__(f"row {row}: {error}")
        self.row = row
        self.error = error


def _chunks(rows: Sequence[PlannedRow]) -> Iterator[Sequence[PlannedRow]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start:start + CHUNK_ROWS]


def prepare_rows(
    engine: Engine, actor: Actor, rows: Sequence[PlannedRow]
) -> list[dict[str, object]]:
    """Check every row as ``place_site`` would, in short read transactions; raise RowFailed."""
    index = spatial_index(engine)
    prepared: list[dict[str, object]] = []
    for chunk in _chunks(rows):
        with read_session(engine) as session:
            for row in chunk:
                try:
                    campaign = open_campaign_in(session, row.new.campaign_id)
                    prepared.append(new_site_values(session, index, actor, row.new, campaign))
                except DomainError as exc:
                    raise RowFailed(row.row_number, exc) from exc
    return prepared


def publish_rows(
    engine: Engine, actor: Actor, prepared: list[dict[str, object]], source: ChangeSource
) -> tuple[int, int]:
    """Store checked rows all or nothing in one short write; return (added, skipped).

    Rows whose import key their campaign already holds (someone stored the same rows since
    the file was checked) are skipped, not stored twice.
    """
    if not prepared:
        return 0, 0
    with engine.connect() as conn:
        try:
            _stage(conn, prepared)
            added = _move_staged(conn, actor, source)
        finally:
            _drop_stage(conn)
    return added, len(prepared) - added


def _drop_stage(conn: Connection) -> None:
    # A pooled connection outlives the import: leave no staged rows on it.
    conn.rollback()
    for table in (STAGED_CODES, STAGED):
        conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
    conn.commit()


def _stage(conn: Connection, prepared: list[dict[str, object]]) -> None:
    _drop_stage(conn)
    STAGED.create(conn)
    STAGED_CODES.create(conn)
    conn.commit()
    for start in range(0, len(prepared), CHUNK_ROWS):
        batch = [{"seq": start + i, **{k: values[k] for k in SITE_FIELDS}}
                 for i, values in enumerate(prepared[start:start + CHUNK_ROWS])]  # fmt: skip
        conn.execute(insert(STAGED), batch)
        conn.commit()  # short transactions: a long one would pin SQLite's WAL snapshot
    _stage_codes(conn)
    conn.commit()
    if conn.dialect.name == "postgresql":
        for table in (STAGED, STAGED_CODES):  # temporary tables get no autovacuum
            conn.execute(text(f"ANALYZE {table.name}"))
        conn.commit()


def _stage_codes(conn: Connection) -> None:
    """Pick a free code for every staged row (the final step checks they are still free)."""
    conn.execute(delete(STAGED_CODES))
    seqs = conn.scalars(select(STAGED.c.seq).order_by(STAGED.c.seq)).all()
    with Session(bind=conn) as session:
        codes = _codes(session, len(seqs))
    for start in range(0, len(seqs), CHUNK_ROWS):
        conn.execute(insert(STAGED_CODES), [
            {"seq": s, "code": c} for s, c in zip(seqs[start:start + CHUNK_ROWS],
                                                  codes[start:start + CHUNK_ROWS], strict=True)
        ])  # fmt: skip


def _codes(session: Session, n: int) -> list[str]:
    """Return ``n`` position codes not used yet, numbered as ``positions.next_code`` numbers."""
    if numbers_from_sequence(session):
        codes: list[str] = []
        while len(codes) < n:  # reserved numbers whose code is taken are skipped
            wanted = [code_of(k) for k in reserve_numbers(session, n - len(codes))]
            taken = set(session.scalars(select(Position.code).where(Position.code.in_(wanted))))
            codes += [code for code in wanted if code not in taken]
        return codes
    start = max(
        session.scalar(select(Position.id).order_by(Position.id.desc()).limit(1)) or 0,
        session.scalar(select(Site.id).order_by(Site.id.desc()).limit(1)) or 0,
    )
    used = set(session.scalars(select(Position.code).where(Position.code.like("TX-%"))))
    numbered: list[str] = []
    number = start
    while len(numbered) < n:
        number += 1
        code = code_of(number)
        if code not in used:
            numbered.append(code)
    return numbered


@retry_transient()
def _move_staged(conn: Connection, actor: Actor, source: ChangeSource) -> int:
    """Move the staged rows into positions, sites and events in one write transaction."""
    conn.execution_options(write=IMPORT_WRITE)  # BEGIN IMMEDIATE / PostgreSQL's import lock
    try:
        with conn.begin(), Session(bind=conn) as session:
            return _insert_staged(conn, session, actor, source)
    finally:
        conn.execution_options(write=False)


def _insert_staged(conn: Connection, session: Session, actor: Actor,
                   source: ChangeSource) -> int:
    campaign_ids = conn.scalars(select(STAGED.c.campaign_id).distinct()).all()
    # Hold the campaigns until commit: closing one waits for this import (PostgreSQL; the
    # clause is left out on SQLite, whose write lock already keeps every other writer out).
    session.execute(select(Campaign.id).where(Campaign.id.in_(campaign_ids))
                    .with_for_update(read=True))  # fmt: skip
    for campaign_id in campaign_ids:
        open_campaign_in(session, campaign_id)  # it may have closed since the check
    stored = exists().where(Site.campaign_id == STAGED.c.campaign_id,
                            Site.import_key == STAGED.c.import_key)  # fmt: skip
    conn.execute(delete(STAGED).where(STAGED.c.import_key.is_not(None), stored))
    added = conn.scalar(select(func.count()).select_from(STAGED))
    if not added:
        return 0
    if conn.scalar(select(exists().where(Position.code == STAGED_CODES.c.code))):
        _stage_codes(conn)  # someone took one of the codes since: pick them again
    now = literal(utcnow(), UTCDateTime())
    staged = STAGED.join(STAGED_CODES, STAGED_CODES.c.seq == STAGED.c.seq)
    conn.execute(insert(Position).from_select(
        ["code", *POSITION_FIELDS, "is_demo", "created_at"],
        select(STAGED_CODES.c.code, *(STAGED.c[f] for f in POSITION_FIELDS), literal(False),
               now).select_from(staged).order_by(STAGED.c.seq),
    ))  # fmt: skip
    conn.execute(insert(Site).from_select(
        [*SITE_FIELDS, "code", "position_id", "is_demo", "version", "created_at", "updated_at"],
        select(*(STAGED.c[f] for f in SITE_FIELDS), STAGED_CODES.c.code, Position.id,
               literal(False), literal(1), now, now)
        .select_from(staged.join(Position, Position.code == STAGED_CODES.c.code))
        .order_by(STAGED.c.seq),
    ))  # fmt: skip
    user = session.get(User, actor.id) if actor.id is not None else None
    new_sites = staged.join(Site, and_(Site.campaign_id == STAGED.c.campaign_id,
                                       Site.code == STAGED_CODES.c.code))  # fmt: skip
    conn.execute(insert(SiteEvent).from_select(
        ["site_id", "at", "user_id", "username", "action", "field", "old_value", "new_value",
         "source"],
        select(Site.id, now, literal(user.id) if user else null(),
               literal(user.username if user else source.value), literal("created"),
               null(), null(), null(), literal(source.value))
        .select_from(new_sites).order_by(Site.id),
    ))  # fmt: skip
    return int(added)
