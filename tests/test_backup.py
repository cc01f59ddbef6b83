"""Backups: taken while sites are being written, verified, and refused when damaged."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from kehoach.adapters import heartbeat
from kehoach.adapters.backup_signature import signature_path, write_signature
from kehoach.cli import main
from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.services.auth import add_user, open_session, resume_session
from kehoach.services.backup import (
    BackupError,
    backup_database,
    restore_database,
    rows_of_work,
)
from kehoach.services.sites import SiteChanges, update_site
from tests.pg_server import PgServer
from tools.synthetic import insert_synthetic_sites

ADMIN = Actor(None, "tester", Role.ADMIN)


@pytest.fixture(autouse=True)
def _backup_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the signing key, the safety copies and the heartbeat inside the test's folder."""
    monkeypatch.delenv("KEHOACH_BACKUP_KEY", raising=False)
    monkeypatch.setenv("KEHOACH_BACKUP_KEY_FILE", str(tmp_path / "keys" / "backup.key"))
    monkeypatch.setenv("KEHOACH_BACKUP_DIR", str(tmp_path / "safety"))
    monkeypatch.setenv("KEHOACH_HEARTBEAT_FILE", str(tmp_path / "serving.heartbeat"))


N_SITES = 30
SQLITE_PAGE = 4096


class Writer(threading.Thread):
    """Update sites' notes in a loop and remember the newest committed version of each."""

    def __init__(self, url: str, site_ids: list[int]) -> None:
        super().__init__(daemon=True)
        self.url, self.site_ids = url, site_ids
        self.lock = threading.Lock()
        self.committed: dict[int, int] = {}
        self.commits = 0
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        engine = make_engine(self.url)
        try:
            versions = {i: 1 for i in self.site_ids}
            n = 0
            while not self.stop.is_set():
                site_id = self.site_ids[n % len(self.site_ids)]
                n += 1
                # Nobody else writes: a VersionConflict here would fail the test.
                changes = SiteChanges({"note": f"#{n}"})
                versions[site_id] = update_site(engine, ADMIN, site_id, versions[site_id], changes)
                new = versions[site_id]
                with self.lock:
                    self.committed[site_id] = new
                    self.commits += 1
        except BaseException as exc:  # reported by the test
            self.failure = exc
        finally:
            engine.dispose()

    def snapshot(self) -> tuple[dict[int, int], int]:
        """Return the committed versions and the number of commits so far."""
        with self.lock:
            return dict(self.committed), self.commits

    def wait_for(self, commits: int, timeout: float = 60.0) -> None:
        """Wait until at least ``commits`` updates are committed."""
        deadline = time.monotonic() + timeout
        while self.snapshot()[1] < commits:
            assert self.failure is None, self.failure
            assert time.monotonic() < deadline, "the writer is stuck"
            time.sleep(0.01)


def _versions(engine: Engine) -> dict[int, int]:
    with read_session(engine) as s:
        return dict(s.execute(select(Site.id, Site.version)).all())


@pytest.fixture
def restore_target(
    any_db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Return the URL of an empty database of the same engine as ``any_db_url``."""
    if any_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'kehoach.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"kehoach_restored_{abs(hash(request.node.nodeid)) % 10**8}"
    yield server.create_database(name)
    server.drop_database(name)


def test_backup_during_writes_holds_every_earlier_commit(
    any_db_url: str, restore_target: str, tmp_path: Path
) -> None:
    engine = make_engine(any_db_url)
    insert_synthetic_sites(engine, N_SITES)
    site_ids = sorted(_versions(engine))
    writer = Writer(any_db_url, site_ids)
    writer.start()
    try:
        writer.wait_for(3 * N_SITES)
        before, commits_before = writer.snapshot()
        report = backup_database(any_db_url, tmp_path / "kehoach.backup")
        _, commits_after = writer.snapshot()
        writer.wait_for(commits_after + 10)  # the app kept writing through and after it
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.failure is None, writer.failure
    assert report.size_bytes > 0 and report.path.exists()
    assert not report.path.with_name(report.path.name + ".part").exists()

    restored = restore_database(restore_target, report.path)
    assert restored.revision == report.revision and not restored.upgraded
    target = make_engine(restore_target)
    try:
        versions = _versions(target)
        assert set(versions) == set(site_ids)
        missing = {i: (v, versions[i]) for i, v in before.items() if versions[i] < v}
        assert not missing, f"commits before the backup are missing: {missing}"
        assert sum(versions.values()) - N_SITES >= commits_before
        with target.connect() as conn:
            if target.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            notes = conn.execute(text("SELECT count(*) FROM site_event WHERE field = 'note'"))
            assert notes.scalar() == sum(versions.values()) - N_SITES  # history came along
    finally:
        target.dispose()
        engine.dispose()


def test_cli_backup_then_restore_refuses_a_database_with_data_unless_forced(
    db_url: str, template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    engine = make_engine(db_url)
    insert_synthetic_sites(engine, 5)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "sao-luu" / "kehoach.sqlite"
    assert main(["backup", "--out", str(out)]) == 0
    assert "Đã sao lưu" in capsys.readouterr().out

    other = tmp_path / "other.db"
    with sqlite3.connect(template_db) as src, sqlite3.connect(other) as dst:
        src.backup(dst)  # an initialised database: geography only, no work yet
    target = make_engine(f"sqlite:///{other}")
    assert rows_of_work(target) == 0
    insert_synthetic_sites(target, 2, seed=3)
    assert rows_of_work(target) == 4  # two sites and their 'created' events
    target.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{other}")
    assert main(["restore", str(out)]) == 1
    err = capsys.readouterr().err
    assert "đang có dữ liệu" in err and "--force" in err
    assert main(["restore", str(out), "--force"]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    target = make_engine(f"sqlite:///{other}")
    with read_session(target) as s:
        assert s.scalar(select(func.count()).select_from(Site)) == 5
    target.dispose()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _scribbled(data: bytes) -> bytes:
    damaged = bytearray(data)
    for page in range(3, len(data) // SQLITE_PAGE, 5):  # b-tree page headers of many pages
        damaged[page * SQLITE_PAGE : page * SQLITE_PAGE + 16] = b"\xff" * 16
    return bytes(damaged)


def _not_ours(tmp_path: Path) -> bytes:
    path = tmp_path / "foreign.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    return path.read_bytes()


def _from_the_future(data: bytes, tmp_path: Path) -> bytes:
    path = tmp_path / "future.db"
    path.write_bytes(data)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "bị hỏng hoặc không đầy đủ"),
        ("scribbled", "bị hỏng hoặc không đầy đủ"),
        ("csv", "bị hỏng hoặc không đầy đủ"),
        ("empty", "bị hỏng hoặc không đầy đủ"),
        ("not_ours", "không phải bản sao lưu của ứng dụng này"),
        ("future", "mới hơn phiên bản ứng dụng"),
    ],
)
def test_damaged_sqlite_backup_is_refused_and_changes_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, damage: str, message: str
) -> None:
    engine = make_engine(db_url)
    insert_synthetic_sites(engine, 4)
    good = backup_database(db_url, tmp_path / "good.sqlite").path.read_bytes()
    before = _versions(engine)
    engine.dispose()
    bad = tmp_path / f"{damage}.sqlite"
    bad.write_bytes(
        {
            "truncated": lambda: _truncated(good),
            "scribbled": lambda: _scribbled(good),
            "csv": lambda: "Mã,Tên\nTX-1,Pa-nô\n".encode(),
            "empty": lambda: b"",
            "not_ours": lambda: _not_ours(tmp_path),
            "future": lambda: _from_the_future(good, tmp_path),
        }[damage]()
    )
    write_signature(bad)  # signed with our key: the checks behind the signature must hold
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["restore", str(bad), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không sao lưu hoặc khôi phục được") and message in err
    engine = make_engine(db_url)
    assert _versions(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


def test_backup_of_a_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError) as info:
        backup_database(f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "x.sqlite")
    assert "không đọc được" in info.value.params["reason"]
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize("damage", ["truncated", "scribbled"])
def test_damaged_postgresql_dump_is_refused_and_changes_nothing(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, damage: str
) -> None:
    engine = make_engine(pg_url)
    insert_synthetic_sites(engine, 4)
    good = backup_database(pg_url, tmp_path / "good.dump").path.read_bytes()
    before = _versions(engine)
    engine.dispose()
    bad = tmp_path / f"{damage}.dump"
    if damage == "truncated":
        bad.write_bytes(_truncated(good))
    else:
        damaged = bytearray(good)
        middle = len(good) // 2
        damaged[middle : middle + 4096] = bytes(range(256)) * 16
        bad.write_bytes(bytes(damaged))
    write_signature(bad)
    monkeypatch.setenv("DATABASE_URL", pg_url)
    assert main(["restore", str(bad), "--force"]) == 1
    err = capsys.readouterr().err
    assert "bị hỏng hoặc không đầy đủ" in err, err
    engine = make_engine(pg_url)
    assert _versions(engine) == before
    engine.dispose()


def test_a_sqlite_backup_is_refused_for_a_postgresql_target(
    db_url: str, pg_url: str, tmp_path: Path
) -> None:
    report = backup_database(db_url, tmp_path / "lite.sqlite")
    with pytest.raises(BackupError) as info:
        restore_database(pg_url, report.path)
    assert "cơ sở dữ liệu đích (DATABASE_URL) là postgresql" in info.value.params["reason"]


# --- restore trusts nothing --------------------------------------------------------------------


def _refused(url: str, backup: Path) -> str:
    with pytest.raises(BackupError) as info:
        restore_database(url, backup, force=True)
    return str(info.value.params["reason"])


@pytest.fixture
def signed_backup(db_url: str, tmp_path: Path) -> Path:
    engine = make_engine(db_url)
    insert_synthetic_sites(engine, 3)
    engine.dispose()
    return backup_database(db_url, tmp_path / "good.sqlite").path


def test_backups_are_signed_and_a_changed_byte_is_refused(
    db_url: str, signed_backup: Path, tmp_path: Path
) -> None:
    assert signature_path(signed_backup).is_file()
    assert (tmp_path / "keys" / "backup.key").stat().st_mode & 0o077 == 0  # owner only
    tampered = tmp_path / "tampered.sqlite"
    data = bytearray(signed_backup.read_bytes())
    data[-100] ^= 0x01
    tampered.write_bytes(bytes(data))
    signature_path(tampered).write_bytes(signature_path(signed_backup).read_bytes())
    assert "chữ ký của bản sao lưu" in _refused(db_url, tampered)
    unsigned = tmp_path / "unsigned.sqlite"
    unsigned.write_bytes(signed_backup.read_bytes())
    assert "không có tệp chữ ký" in _refused(db_url, unsigned)


def test_a_backup_signed_with_another_key_is_refused(
    db_url: str, signed_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEHOACH_BACKUP_KEY", "a key from another installation")
    assert "khoá khác" in _refused(db_url, signed_backup)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("CREATE TRIGGER spy AFTER INSERT ON site BEGIN DELETE FROM app_user; END", "+trigger spy"),
        ("CREATE VIEW everything AS SELECT * FROM app_user", "+view everything"),
        ("CREATE TABLE extra (x TEXT)", "+table extra"),
        ("ALTER TABLE site ADD COLUMN secret TEXT", "table site"),
        ("DROP INDEX ix_site_status", "-index ix_site_status"),
    ],
)
def test_a_schema_the_app_did_not_create_is_refused(
    db_url: str, signed_backup: Path, tmp_path: Path, change: str, expected: str
) -> None:
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(signed_backup.read_bytes())
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute(change)
        conn.commit()
    write_signature(foreign)  # even a file signed with our key must have our schema
    reason = _refused(db_url, foreign)
    assert "lược đồ trong bản sao lưu" in reason and expected in reason


def test_restore_keeps_a_copy_of_the_current_data_first(
    db_url: str, signed_backup: Path, tmp_path: Path
) -> None:
    engine = make_engine(db_url)
    site_id = min(_versions(engine))
    update_site(engine, ADMIN, site_id, 1, SiteChanges({"note": "after the backup"}))
    current = _versions(engine)
    engine.dispose()
    report = restore_database(db_url, signed_backup, force=True)
    engine = make_engine(db_url)
    assert _versions(engine)[site_id] == 1  # the backup's state is back
    engine.dispose()
    assert report.safety_copy is not None and report.safety_copy.parent == tmp_path / "safety"
    copy = make_engine(f"sqlite:///{report.safety_copy}")
    assert _versions(copy) == current  # what was there before the restore
    copy.dispose()
    assert signature_path(report.safety_copy).is_file()  # and it can be restored in turn


def test_restore_signs_everybody_out(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    user = add_user(engine, "canbo", "mat-khau-dai", Role.STAFF)
    token = open_session(engine, Actor(user.id, "canbo", Role.STAFF))
    assert resume_session(engine, token) is not None
    engine.dispose()
    backup = backup_database(db_url, tmp_path / "with-session.sqlite").path  # holds the token
    restore_database(db_url, backup, force=True)
    engine = make_engine(db_url)
    assert resume_session(engine, token) is None  # the session came back revoked
    engine.dispose()


def test_restore_is_refused_while_the_app_is_serving(
    db_url: str, signed_backup: Path, tmp_path: Path
) -> None:
    beat = tmp_path / "serving.heartbeat"
    heartbeat.touch(beat)  # this very process is alive: an app serving
    assert "ứng dụng đang chạy" in _refused(db_url, signed_backup)
    beat.write_text(f"999999999 {socket.gethostname()}\n")
    assert restore_database(db_url, signed_backup, force=True).revision  # a dead process


def test_a_postgresql_dump_with_objects_we_do_not_build_is_refused(
    pg_url: str, pg_server: PgServer, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE FUNCTION spy() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN DELETE FROM app_user; RETURN NEW; END $$"
        ))  # fmt: skip
        conn.execute(text("CREATE TRIGGER spy AFTER INSERT ON site EXECUTE FUNCTION spy()"))
    engine.dispose()
    dump = backup_database(pg_url, tmp_path / "spy.dump").path  # signed with our key
    target = pg_server.create_database("kehoach_restore_spy")
    try:
        reason = _refused(target, dump)
        assert "lược đồ trong bản sao lưu" in reason
        assert "+FUNCTION public spy()" in reason and "+TRIGGER public site spy" in reason
    finally:
        pg_server.drop_database("kehoach_restore_spy")
