"""Store a checked import while holding the write lock only briefly.

Storing 20,000 rows one ``place_site`` at a time held the write lock for about 28 s, and
every other user's save waited behind it and failed. Here the slow part (each row's checks,
geometry, ward and street) runs first, in read transactions that never block a writer, for
every row: a row that fails stops the import before anything is stored. Then the rows are
stored ``CHUNK_ROWS`` at a time, each chunk one short write transaction that re-checks that
nobody stored the same rows meanwhile, allocates codes and inserts positions, sites and their
'created' events with multi-row statements; other writers wait for one chunk at most.

Limit: while the chunks are stored (a few seconds for 20,000 rows) readers see the rows
appear chunk by chunk, and a database failure in that window leaves the stored chunks (the
import keys make a re-run store the rest). One all-at-once transaction held the lock for
about 4.7 s on SQLite, which is why the chunks exist.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, retry_transient, write_session
from kehoach.db.models import Position, Site, SiteEvent, User, utcnow
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.services.campaigns import open_campaign_in
from kehoach.services.geography import spatial_index
from kehoach.services.site_validation import PlannedRow
from kehoach.services.sites import new_site_values

CHUNK_ROWS = 500
# Between two chunks the import lets go of the lock long enough for a writer that waits in
# SQLite's busy handler (which sleeps up to 100 ms between tries) to take it.
CHUNK_PAUSE_S = 0.12
POSITION_FIELDS = ("kind", "name", "geojson", "lon", "lat", "length_m", "ward_id",
                   "street_id", "place_id", "address", "created_by_id")  # fmt: skip


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


def _taken_keys(session: Session, keys: list[str], campaign_id: int) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(keys), CHUNK_ROWS):
        query = select(Site.import_key).where(
            Site.import_key.in_(keys[start:start + CHUNK_ROWS]), Site.campaign_id == campaign_id
        )
        taken |= {key for key in session.scalars(query) if key}
    return taken


def _codes(session: Session, n: int) -> list[str]:
    """Return ``n`` position codes not used yet, numbered as ``sites._next_code`` numbers."""
    start = max(
        session.scalar(select(Position.id).order_by(Position.id.desc()).limit(1)) or 0,
        session.scalar(select(Site.id).order_by(Site.id.desc()).limit(1)) or 0,
    )
    used = set(session.scalars(select(Position.code).where(Position.code.like("TX-%"))))
    codes: list[str] = []
    number = start
    while len(codes) < n:
        number += 1
        code = f"TX-{number:05d}"
        if code not in used:
            codes.append(code)
    return codes


def _insert_ids(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    """Insert ``rows`` with ids taken after the highest one, by plain multi-row statements."""
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)")
        ids = list(session.scalars(query, {"seq": f"{table.name}_id_seq", "n": len(rows)}))
    else:
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
    for start in range(0, len(rows), CHUNK_ROWS):
        batch = [{**row, "id": i} for row, i in zip(rows[start:start + CHUNK_ROWS],
                                                     ids[start:start + CHUNK_ROWS], strict=True)]
        session.execute(table.insert(), batch)
    return ids


def publish_rows(
    engine: Engine, actor: Actor, prepared: list[dict[str, object]], source: ChangeSource
) -> tuple[int, int]:
    """Insert checked rows, ``CHUNK_ROWS`` per short write transaction; return (added, skipped).

    Every check already ran in ``prepare_rows``, so a chunk fails only with the database
    itself (then ``DatabaseBusy`` after the retries); rows stored before that carry their
    import keys, and running the same import again stores the rest and skips those.
    """
    added = 0
    for start in range(0, len(prepared), CHUNK_ROWS):
        if start:
            time.sleep(CHUNK_PAUSE_S)
        added += _publish_chunk(engine, actor, prepared[start:start + CHUNK_ROWS], source)
    return added, len(prepared) - added


@retry_transient()
def _publish_chunk(
    engine: Engine, actor: Actor, prepared: list[dict[str, object]], source: ChangeSource
) -> int:
    with write_session(engine) as session:
        campaign = open_campaign_in(session, int(str(prepared[0]["campaign_id"])))
        keys = [str(v["import_key"]) for v in prepared if v.get("import_key")]
        taken = _taken_keys(session, keys, campaign.id)
        todo = [v for v in prepared if v.get("import_key") not in taken or not v["import_key"]]
        codes = _codes(session, len(todo))
        positions = [{"code": code, "is_demo": False, **{k: v[k] for k in POSITION_FIELDS}}
                     for code, v in zip(codes, todo, strict=True)]  # fmt: skip
        position_ids = _insert_ids(session, Position, positions)
        sites = [{**v, "code": code, "position_id": pid, "is_demo": False, "version": 1}
                 for v, code, pid in zip(todo, codes, position_ids, strict=True)]  # fmt: skip
        site_ids = _insert_ids(session, Site, sites)
        user = session.get(User, actor.id) if actor.id is not None else None
        now = utcnow()
        event = {"at": now, "user_id": user.id if user else None, "action": "created",
                 "username": user.username if user else source.value, "field": None,
                 "old_value": None, "new_value": None, "source": source.value}  # fmt: skip
        events = [{**event, "site_id": site_id} for site_id in site_ids]
        for start in range(0, len(events), CHUNK_ROWS):
            session.execute(insert(SiteEvent), events[start:start + CHUNK_ROWS])
    return len(todo)
