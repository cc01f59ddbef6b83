"""Start a throwaway PostgreSQL cluster (initdb in a temporary directory): tests and bench.

The cluster listens on 127.0.0.1 on a free port with trust authentication (loopback only,
deleted afterwards). PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` system user that Debian's package creates, and the data directory is owned by it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from tools.server import free_port

PG_USER = "postgres"
START_TIMEOUT_S = 60


def _major_version(bin_dir: str) -> float:
    try:
        return float(Path(bin_dir).parent.name)
    except ValueError:
        return 0.0


def find_pg_bin() -> Path | None:
    """Return the directory holding pg_ctl and initdb (PATH first, then Debian's layout)."""
    found = shutil.which("pg_ctl")
    candidates = [str(Path(found).resolve().parent)] if found else []
    # Debian puts the server binaries in /usr/lib/postgresql/<major>/bin, newest last.
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major_version)
    candidates += list(reversed(debian))
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


@dataclass
class PgServer:
    """A running throwaway cluster: where it lives and how to reach it."""

    bin_dir: Path
    data_dir: Path
    port: int
    run_as: str | None

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of ``database`` on this cluster."""
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (optionally as a copy of ``template``); return its URL."""
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                clause = f' TEMPLATE "{template}"' if template else ""
                conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        finally:
            admin.dispose()
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting anyone still on it."""
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its data directory."""
        _run(self, "pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def _command(server_bin: Path, run_as: str | None, tool: str, *args: str) -> list[str]:
    cmd = [str(server_bin / tool), *args]
    return ["runuser", "-u", run_as, "--", *cmd] if run_as else cmd


def _run(server: PgServer, tool: str, *args: str, check: bool = True) -> None:
    subprocess.run(
        _command(server.bin_dir, server.run_as, tool, *args),
        check=check,
        capture_output=True,
        timeout=START_TIMEOUT_S,
    )


def start_pg_server() -> PgServer:
    """Initialise and start a cluster on a free port; raise RuntimeError when impossible."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("pg_ctl/initdb not found (apt-get install postgresql)")
    run_as = None
    data_dir = Path(tempfile.mkdtemp(prefix="kehoach-pg-"))
    if os.geteuid() == 0:
        run_as = PG_USER
        try:
            account = pwd.getpwnam(PG_USER)
        except KeyError as exc:
            raise RuntimeError(
                f"running as root and no '{PG_USER}' user to run the server"
            ) from exc
        os.chown(data_dir, account.pw_uid, account.pw_gid)
    server = PgServer(bin_dir, data_dir / "data", free_port(), run_as)
    cluster = str(server.data_dir)
    try:
        _run(
            server, "initdb", "-D", cluster, "-U", PG_USER, "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {server.port} -c listen_addresses=127.0.0.1 -k {data_dir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=200"
        )
        log = str(data_dir / "server.log")
        _run(server, "pg_ctl", "-D", cluster, "-o", options, "-l", log, "-w", "start")
    except (subprocess.SubprocessError, OSError) as exc:
        detail = str(exc)
        if isinstance(exc, subprocess.CalledProcessError):
            detail += (exc.stderr or b"").decode(errors="replace")[-1500:]
        log_path = data_dir / "server.log"
        if log_path.exists():
            detail += log_path.read_text(errors="replace")[-1500:]
        shutil.rmtree(data_dir, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {detail}") from exc
    _wait_ready(server)
    return server


def _wait_ready(server: PgServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    engine = create_engine(server.url())
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


def in_ci() -> bool:
    """Tell whether the tests run in CI (CI=true), where PostgreSQL must not be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
