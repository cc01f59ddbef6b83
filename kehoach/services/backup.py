"""Back up and restore the database: online and consistent, verified before anything is replaced.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies one consistent
snapshot while the app keeps writing (WAL readers never block writers) — never a file copy,
which would miss what is still in the ``-wal`` file or catch a half-written page.
PostgreSQL: ``pg_dump`` in custom format (one snapshot taken when it starts) and
``pg_restore --clean --single-transaction`` (all or nothing).

Every backup is checked after it is written and every restore checks its file first: SQLite's
``PRAGMA integrity_check`` (or, for a dump, ``pg_restore`` reading the whole archive) and the
presence of the ``alembic_version`` table with a revision this code knows. A corrupted or
truncated file is refused with a Vietnamese reason and the target is left untouched.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, table, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from kehoach.adapters import heartbeat
from kehoach.adapters.backup_signature import (
    SignatureMismatch,
    SignatureMissing,
    check_signature,
    signature_path,
    write_signature,
)
from kehoach.config import get_settings
from kehoach.db.engine import make_engine
from kehoach.db.migrate import MIGRATIONS_DIR, upgrade_database
from kehoach.db.models import UserSession, utcnow
from kehoach.db.schema_snapshot import reference_schema, schema_differences, schema_of_file
from kehoach.domain.errors import DomainError
from kehoach.i18n import t
from kehoach.services.geography import clear_geography

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_TIMEOUT_S = 30.0
PG_TOOL_TIMEOUT_S = 3600
# Tables whose rows are people's work: a target holding any of them is not overwritten
# without --force (wards, streets and the plan come from `init` and can be loaded again).
WORK_TABLES = ("site", "site_event", "app_user", "inspection", "photo", "monthly_report",
               "ward_route", "flag_count", "task_event")  # fmt: skip


class BackupError(DomainError):
    """A backup or restore the app refuses; ``reason`` says why in Vietnamese."""

    code = "error.backup"


def _refuse(key: str, **params: object) -> BackupError:
    return BackupError(key, reason=t(key, **params))


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote: where, how big, which engine and schema revision."""

    path: Path
    size_bytes: int
    backend: str
    revision: str


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: from which file, into which engine, at which revision."""

    path: Path
    backend: str
    revision: str
    upgraded: bool
    safety_copy: Path | None = None


def backup_database(url: str, out: Path) -> BackupReport:
    """Write a verified backup of the database at ``url`` to ``out`` (replaced atomically)."""
    parsed = make_url(url)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(parsed), partial)
            revision = verify_sqlite_backup(partial)
        elif parsed.get_backend_name() == "postgresql":
            _pg_tool("pg_dump", "--format=custom", f"--file={partial}", url=parsed)
            revision = verify_pg_backup(partial)
        else:
            raise _refuse("error.backup.unsupported", backend=parsed.get_backend_name())
        _fsync(partial)
        signature = write_signature(partial, signature_path(out).with_suffix(".sig.part"))
        os.replace(partial, out)
        os.replace(signature, signature_path(out))
    finally:
        partial.unlink(missing_ok=True)
        signature_path(out).with_suffix(".sig.part").unlink(missing_ok=True)
    return BackupReport(out, out.stat().st_size, parsed.get_backend_name(), revision)


def restore_database(url: str, backup: Path, force: bool = False) -> RestoreReport:
    """Restore ``backup`` into ``url`` after checking file, signature, schema and target.

    Nothing in the file is trusted: its keyed signature is checked before it is read, its
    schema must be exactly what our migrations build, the app must not be serving, and the
    current data is backed up first (the report says where). Every browser session in the
    restored data is revoked, so everybody signs in again.
    """
    parsed = make_url(url)
    backup = Path(backup)
    kind = _backup_kind(backup)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise _refuse("error.backup.unsupported", backend=backend)
    if kind != backend:
        raise _refuse("error.backup.wrong_kind", path=backup, found=kind, target=backend)
    _check_signature(backup)
    revision = verify_sqlite_backup(backup) if kind == "sqlite" else verify_pg_backup(backup)
    if kind == "sqlite":
        _check_sqlite_schema(backup, revision)
    else:
        _check_pg_schema(backup, revision, parsed)
    _refuse_while_serving()
    target = make_engine(url)
    try:
        rows = rows_of_work(target)
        if rows and not force:
            raise _refuse("error.backup.target_has_data", n=rows)
        initialised = inspect(target).has_table("alembic_version")
    finally:
        target.dispose()
    safety_copy = _safety_copy(url, kind) if initialised else None
    if kind == "sqlite":
        _sqlite_restore(backup, _sqlite_path(parsed))
    else:
        _pg_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", str(backup), url=parsed,
        )  # fmt: skip
    engine = make_engine(url)
    try:
        upgraded = _current_revision(engine) != _head_revision()
        if upgraded:
            upgrade_database(engine)
        _revoke_all_sessions(engine)
    finally:
        engine.dispose()
    clear_geography()
    return RestoreReport(backup, backend, revision, upgraded, safety_copy)


def _check_signature(backup: Path) -> None:
    try:
        check_signature(backup)
    except SignatureMissing as exc:
        signature = signature_path(backup).name
        raise _refuse("error.backup.unsigned", path=backup, signature=signature) from exc
    except SignatureMismatch as exc:
        key_file = get_settings().backup_key_file
        raise _refuse("error.backup.tampered", path=backup, key_file=key_file) from exc


def _check_sqlite_schema(backup: Path, revision: str) -> None:
    """Refuse a backup whose tables, columns, indexes, triggers or views are not ours."""
    differences = schema_differences(schema_of_file(backup), reference_schema(revision))
    if differences:
        detail = ", ".join(differences[:5]) + (" …" if len(differences) > 5 else "")
        raise _refuse("error.backup.schema_mismatch", path=backup, detail=detail)
    uri = f"file:{backup.resolve()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        broken = conn.execute("PRAGMA foreign_key_check").fetchmany(3)
    if broken:
        detail = "foreign keys: " + ", ".join(f"{row[0]} rowid {row[1]}" for row in broken)
        raise _refuse("error.backup.schema_mismatch", path=backup, detail=detail)


# pg_restore --list entries that carry data or privileges (not applied: --no-privileges).
PG_NON_SCHEMA = ("TABLE DATA ", "SEQUENCE SET ", "BLOB", "LARGE OBJECT", "ACL ", "DEFAULT ACL ")


def _pg_schema_entries(listing: str) -> frozenset[str]:
    """Return a dump's schema objects as "TYPE schema [table] name" (no ids, no owner)."""
    entries = set()
    for line in listing.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        words = line.split()[3:-1]  # drop "id;", catalog id, object id ... and the owner
        entry = " ".join(words)
        if entry and not entry.startswith(PG_NON_SCHEMA):
            entries.add(entry)
    return frozenset(entries)


def _check_pg_schema(backup: Path, revision: str, url: URL) -> None:
    """Refuse a dump with objects (tables, indexes, triggers, functions...) we do not build."""
    found = _pg_schema_entries(_run_tool("pg_restore", "--list", str(backup), failure_path=backup))
    expected = _pg_reference_entries(url, revision)
    differences = sorted(f"+{e}" for e in found - expected) + sorted(
        f"-{e}" for e in expected - found
    )
    if differences:
        detail = ", ".join(differences[:5]) + (" …" if len(differences) > 5 else "")
        raise _refuse("error.backup.schema_mismatch", path=backup, detail=detail)


def _pg_reference_entries(url: URL, revision: str) -> frozenset[str]:
    """Build our schema at ``revision`` in a scratch database on the same server; list it."""
    import secrets
    import tempfile

    from alembic import command
    from sqlalchemy import create_engine

    from kehoach.db.migrate import alembic_config

    name = f"kehoach_reference_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = url.set(database=name)
        try:
            engine = make_engine(scratch.render_as_string(hide_password=False))
            try:
                cfg = alembic_config(engine)
                with engine.begin() as connection:
                    cfg.attributes["connection"] = connection
                    command.upgrade(cfg, revision)
            finally:
                engine.dispose()
            with tempfile.TemporaryDirectory(prefix="kehoach-ref-") as folder:
                dump = Path(folder) / "reference.dump"
                _pg_tool("pg_dump", "--schema-only", "--format=custom", f"--file={dump}",
                         url=scratch)  # fmt: skip
                return _pg_schema_entries(_run_tool("pg_restore", "--list", str(dump)))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except DBAPIError as exc:
        reason = (str(exc.orig).splitlines() or [""])[0]
        raise _refuse("error.backup.reference_schema", reason=reason) from exc
    finally:
        admin.dispose()


def _refuse_while_serving() -> None:
    path = get_settings().heartbeat_file
    beat = heartbeat.live_beat(path)
    if beat is not None:
        raise _refuse("error.backup.app_running", pid=beat.pid, host=beat.host, path=path)


def _safety_copy(url: str, kind: str) -> Path:
    """Back up the current data before it is replaced; refuse the restore if that fails."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = "sqlite" if kind == "sqlite" else "dump"
    out = get_settings().backup_dir / f"before-restore-{stamp}.{suffix}"
    try:
        return backup_database(url, out).path
    except (BackupError, OSError) as exc:
        reason = exc.params.get("reason", exc) if isinstance(exc, BackupError) else exc
        raise _refuse("error.backup.safety_copy", reason=reason) from exc


def rows_of_work(engine: Engine) -> int:
    """Count the rows of people's work (sites, history, users, inspections...) in a database."""
    present = set(inspect(engine).get_table_names())
    total = 0
    with engine.connect() as conn:
        for name in WORK_TABLES:
            if name in present:
                query = select(func.count()).select_from(table(name))
                total += int(conn.execute(query).scalar() or 0)
    return total


# --- checks ------------------------------------------------------------------------------------


def _backup_kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _refuse("error.backup.unreadable", path=path) from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise _refuse("error.backup.corrupt", path=path, detail=t("backup.detail.unknown_format"))


def verify_sqlite_backup(path: Path) -> str:
    """Check a SQLite backup (integrity, our schema); return its Alembic revision."""
    if _backup_kind(path) != "sqlite":
        raise _refuse("error.backup.corrupt", path=path, detail=t("backup.detail.unknown_format"))
    # immutable=1: read the file as it is, creating no -wal/-shm files next to it.
    uri = f"file:{path.resolve()}?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise _refuse("error.backup.corrupt", path=path, detail="; ".join(problems[:3]))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise _refuse("error.backup.not_ours", path=path)
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _refuse("error.backup.corrupt", path=path, detail=str(exc)) from exc
    return _known_revision(path, revision[0] if revision else None)


def verify_pg_backup(path: Path) -> str:
    """Check a pg_dump archive by reading all of it; return its Alembic revision."""
    if _backup_kind(path) != "postgresql":
        raise _refuse("error.backup.corrupt", path=path, detail=t("backup.detail.unknown_format"))
    listing = _run_tool("pg_restore", "--list", str(path), failure_path=path)
    if " TABLE DATA public alembic_version " not in listing:
        raise _refuse("error.backup.not_ours", path=path)
    # Reading the whole archive as a script decompresses every data block: a truncated or
    # damaged file fails here instead of half-way through a restore.
    script = _run_tool(
        "pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path),
        failure_path=path,
    )  # fmt: skip
    _run_tool("pg_restore", "--file=/dev/null", str(path), failure_path=path)
    return _known_revision(path, _revision_from_script(script))


def _revision_from_script(script: str) -> str | None:
    lines = script.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY public.alembic_version") and i + 1 < len(lines):
            value = lines[i + 1].strip()
            return value if value and value != "\\." else None
    return None


def _known_revision(path: Path, revision: str | None) -> str:
    if not revision:
        raise _refuse("error.backup.not_ours", path=path)
    known = {rev.revision for rev in _migrations().walk_revisions()}
    if revision not in known:
        raise _refuse("error.backup.newer_schema", path=path, revision=revision)
    return revision


def _head_revision() -> str:
    return str(_migrations().get_current_head())


def _migrations() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise _refuse("error.backup.unsupported", backend="sqlite :memory:")
    return Path(url.database)


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, timeout=SQLITE_TIMEOUT_S, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _sqlite_backup(source: Path, partial: Path) -> None:
    if not source.exists():
        raise _refuse("error.backup.unreadable", path=source)
    with _sqlite(source) as src, _sqlite(partial) as dst:
        # pages=-1 (the default): one step, one read transaction, so one consistent snapshot.
        src.backup(dst)
        # A self-contained file: the backup must not need a -wal file next to it.
        dst.execute("PRAGMA journal_mode = DELETE")


def _sqlite_restore(backup: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    uri = f"file:{backup.resolve()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as src, _sqlite(target) as dst:
        # The backup API writes the target inside one transaction: readers see old or new.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise _refuse("error.backup.corrupt", path=target, detail="; ".join(problems[:3]))


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


# --- PostgreSQL tools --------------------------------------------------------------------------


def find_pg_tool(tool: str) -> str | None:
    """Return the path of a PostgreSQL client tool (PATH first, then Debian's newest)."""
    found = shutil.which(tool)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{tool}")
    return max(candidates, key=lambda p: _major(Path(p).parent.parent.name), default=None)


def _major(name: str) -> float:
    try:
        return float(name)
    except ValueError:
        return 0.0


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq connection URI without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(tool: str, *args: str, url: URL) -> str:
    uri, env = _libpq(url)
    return _run_tool(tool, *args, f"--dbname={uri}", env=env)


def _run_tool(
    tool: str, *args: str, env: dict[str, str] | None = None, failure_path: Path | None = None
) -> str:
    executable = find_pg_tool(tool)
    if executable is None:
        raise _refuse("error.backup.tool_missing", tool=tool)
    result = subprocess.run(
        [executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=PG_TOOL_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        if failure_path is not None:
            raise _refuse("error.backup.corrupt", path=failure_path, detail=detail)
        raise _refuse("error.backup.failed", tool=tool, detail=detail)
    return result.stdout


def _revoke_all_sessions(engine: Engine) -> None:
    """End every browser session the restored data holds: nobody carries on from a backup."""
    with engine.begin() as conn:
        conn.execute(
            update(UserSession).where(UserSession.revoked_at.is_(None)).values(revoked_at=utcnow())
        )
