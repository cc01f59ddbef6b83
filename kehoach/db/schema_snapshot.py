"""Describe a SQLite database's schema, and the schema our migrations build, to compare them.

A restore trusts nothing in a backup: every table, column, index, trigger and view must be
exactly what ``upgrade_database`` creates at the backup's revision (built on an empty
temporary database, so a migration that adds triggers is covered without a list to update).
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from contextlib import closing
from functools import cache
from pathlib import Path

from alembic import command

from kehoach.db.engine import make_engine
from kehoach.db.migrate import alembic_config

Schema = frozenset[tuple[str, str, str]]


def _normalised(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Return every schema object as (kind, name, description) to compare by structure.

    Tables are described by their columns and foreign keys, indexes by table, uniqueness and
    columns (batch migrations rebuild tables with constraints in no fixed order, so the
    CREATE TABLE text itself would differ between two identical schemas). Triggers and
    views are compared by their whole SQL: any the app did not create is foreign.
    """
    found: set[tuple[str, str, str]] = set()
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in objects:
        if kind == "table":
            columns = conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall()
            keys = sorted(tuple(k[2:]) for k in conn.execute(f'PRAGMA foreign_key_list("{name}")'))
            found.add((kind, name, repr(([tuple(c[1:]) for c in columns], keys))))
        elif kind == "index":
            unique = _normalised(sql).upper().startswith("CREATE UNIQUE") if sql else True
            columns = [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')]
            if name.startswith("sqlite_autoindex_"):
                # SQLite numbers a table's implicit indexes in constraint order, which a
                # batch rebuild does not keep: name them by what they index instead.
                name = f"sqlite_autoindex_{table}({','.join(columns)})"
            found.add((kind, name, repr((table, unique, columns))))
        else:
            found.add((kind, name, _normalised(sql)))
    return frozenset(found)


def schema_of_file(path: Path) -> Schema:
    """Return the schema of the SQLite file at ``path`` (opened read-only, unchanged)."""
    uri = f"file:{Path(path).resolve()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return read_schema(conn)


@cache
def reference_schema(revision: str) -> Schema:
    """Return the schema our migrations build on an empty SQLite database at ``revision``."""
    with tempfile.TemporaryDirectory(prefix="kehoach-schema-") as folder:
        path = Path(folder) / "reference.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            cfg = alembic_config(engine)
            with engine.begin() as connection:
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
        finally:
            engine.dispose()
        with closing(sqlite3.connect(path)) as conn:
            return read_schema(conn)


def schema_differences(found: Schema, expected: Schema) -> list[str]:
    """Return short descriptions of what ``found`` has or lacks compared with ``expected``."""
    extra = sorted(f"+{kind} {name}" for kind, name, _ in found - expected)
    missing = sorted(f"-{kind} {name}" for kind, name, _ in expected - found)
    return extra + missing
