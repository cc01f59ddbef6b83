"""Create the engine and sessions; the only place that knows each database's peculiarities.

Write transactions are serialised on both engines, so every service sees one writer at a
time: SQLite takes its write lock at ``BEGIN IMMEDIATE``; PostgreSQL takes one transaction-
scoped advisory lock at the start of each write transaction (reads never wait for it, and it
is released at commit or rollback). Services written for SQLite's semantics therefore stay
correct on PostgreSQL (no two writers can compute the same next site code, read-then-write
checks cannot interleave), at the price of write throughput that is far above what people
editing sites produce.

One kind of write is exempt on PostgreSQL: the final transaction of a site import
(``write=IMPORT_WRITE``) only inserts new rows, so it takes a lock of its own that serialises
imports among themselves, and new position codes come from the position id sequence
(``reserve_numbers``), so no other writer can pick one of its codes. Other users' saves
therefore never wait for an import there, however many rows it holds. On SQLite, which
has one writer at a time anyway, it is a write like any other.

A write that still fails transiently (a deadlock, a serialization
failure, SQLite's busy timeout running out behind a long import) can be run again with
``run_in_transaction`` or the ``retry_transient`` decorator.
"""

from __future__ import annotations

import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from kehoach.config import get_settings
from kehoach.domain.errors import DatabaseBusy

SQLITE_BUSY_TIMEOUT_MS = 5000
# Key of PostgreSQL's transaction-scoped advisory lock that serialises write transactions.
PG_WRITE_LOCK_KEY = 7_020_945_451_254  # any constant shared by all app processes
# Key of the advisory lock that serialises the final transactions of site imports.
PG_IMPORT_LOCK_KEY = 7_020_945_451_255
IMPORT_WRITE = "import"  # the ``write`` execution option of an import's final transaction
# SQLSTATEs worth running the whole transaction again for: serialization_failure,
# deadlock_detected, lock_not_available.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
TRANSIENT_RETRIES = 3
RETRY_BASE_DELAY_S = 0.05

P = ParamSpec("P")
T = TypeVar("T")


def make_engine(url: str | None = None, *, pool_size: int | None = None) -> Engine:
    """Create an engine for ``url`` (default: DATABASE_URL) with safe per-dialect settings."""
    url = url or get_settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        options: dict[str, Any] = {"pool_pre_ping": True}
        if pool_size:
            options.update(pool_size=pool_size, max_overflow=pool_size)
        engine = create_engine(url, **options)
        if engine.dialect.name == "postgresql":
            _configure_postgresql(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # Let SQLAlchemy emit BEGIN itself, so writes can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred BEGIN followed by read-then-write cannot wait for the write lock (with
        # two writers about 55 % of them failed even with a 5 s busy timeout);
        # write transactions ask for it at BEGIN IMMEDIATE, which never failed that way.
        if conn.get_execution_options().get("write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The first statement of a write transaction waits for the other writers to finish,
        # so its reads see everything they committed (READ COMMITTED, one snapshot a statement).
        write = conn.get_execution_options().get("write")
        if write == IMPORT_WRITE:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_IMPORT_LOCK_KEY})")
        elif write:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK_KEY})")


def numbers_from_sequence(session: Session | Connection) -> bool:
    """Tell whether new position codes are numbered from a sequence (PostgreSQL)."""
    bind = session.get_bind() if isinstance(session, Session) else session
    return bind.dialect.name == "postgresql"


def reserve_numbers(session: Session | Connection, n: int) -> list[int]:
    """Take ``n`` numbers from the position id sequence (PostgreSQL only).

    A sequence hands each number out once, across transactions and processes, and never
    takes it back (a rolled-back transaction leaves a gap), so numbers reserved here cannot
    collide with those of a concurrent writer, whatever locks either holds.
    """
    rows = session.execute(
        text("SELECT nextval(pg_get_serial_sequence('\"position\"', 'id')) "
             "FROM generate_series(1, :n)"),
        {"n": n},
    )
    return [int(row[0]) for row in rows]


def enable_wal(engine: Engine) -> None:
    """Switch a SQLite database to WAL once, when it is created."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        raw = engine.raw_connection()
        try:
            assert raw.driver_connection is not None  # a checked-out connection has its driver's
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """Open one transaction for one user action that writes; commit or roll back.

    A database still locked by another writer after the busy timeout (or a PostgreSQL lock
    timeout) surfaces as ``DatabaseBusy``, which ``retry_transient`` runs again and the UI
    shows as "try again" with the user's input kept.
    """
    write_engine = engine.execution_options(write=True)
    try:
        with Session(write_engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        if is_transient(exc):
            raise DatabaseBusy(str(exc.orig)) from exc
        raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """Open a read-only unit of work."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def is_transient(exc: BaseException) -> bool:
    """Tell whether a failed transaction may succeed if it is run again from the start."""
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    if getattr(original, "sqlstate", None) == "57014" and "lock timeout" in str(original):
        return True  # canceling statement due to lock timeout
    return isinstance(original, sqlite3.OperationalError) and (
        "database is locked" in str(original) or "database is busy" in str(original)
    )


def retry_transient(
    retries: int = TRANSIENT_RETRIES,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Rerun a function that opens one transaction (up to ``retries`` times) on transient errors."""

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(retries + 1):
                try:
                    return fn(*args, **kwargs)
                except (DBAPIError, DatabaseBusy) as exc:
                    if isinstance(exc, DBAPIError) and not is_transient(exc):
                        raise
                    if attempt == retries:
                        if isinstance(exc, DatabaseBusy):
                            raise
                        raise DatabaseBusy(str(exc.orig)) from exc
                    # Back off with jitter so that the retried writers do not collide again.
                    time.sleep(RETRY_BASE_DELAY_S * (2**attempt) * (0.5 + random.random()))
            raise AssertionError("unreachable")

        return wrapper

    return decorate


def run_in_transaction(
    engine: Engine, work: Callable[[Session], T], retries: int = TRANSIENT_RETRIES
) -> T:
    """Run ``work(session)`` in one write transaction, again from the start on transient errors."""

    @retry_transient(retries)
    def once() -> T:
        with write_session(engine) as session:
            return work(session)

    return once()
