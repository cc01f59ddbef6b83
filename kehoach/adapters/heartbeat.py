"""Tell other programs that the app is serving: a file the running app keeps touching.

Restore refuses while the heartbeat is fresh and (on this host) its process is alive, so a
database is never replaced under the feet of signed-in users.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BEAT_INTERVAL_S = 20.0
FRESH_FOR_S = 90.0


@dataclass(frozen=True)
class Beat:
    """Who wrote the heartbeat and how old it is."""

    pid: int
    host: str
    age_s: float


def touch(path: Path) -> None:
    """Write this process's id and host into the heartbeat file (its folder must exist)."""
    partial = path.with_name(path.name + f".{os.getpid()}.part")
    partial.write_text(f"{os.getpid()} {socket.gethostname()}\n")
    os.replace(partial, path)


def start(path: Path, interval_s: float = BEAT_INTERVAL_S) -> threading.Thread:
    """Touch the heartbeat now and every ``interval_s`` seconds from a daemon thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    touch(path)

    def beat() -> None:
        while True:
            time.sleep(interval_s)
            # A full disk must not stop the app; restore then sees a stale beat.
            with contextlib.suppress(OSError):
                touch(path)

    thread = threading.Thread(target=beat, name="kehoach-heartbeat", daemon=True)
    thread.start()
    return thread


def live_beat(path: Path, fresh_for_s: float = FRESH_FOR_S) -> Beat | None:
    """Return the heartbeat if an app is serving: fresh, and its process alive on this host."""
    try:
        age = time.time() - path.stat().st_mtime
        pid_text, host = path.read_text().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    if age > fresh_for_s:
        return None
    if host == socket.gethostname() and not _alive(pid):
        return None  # the app stopped a moment ago
    return Beat(pid, host, age)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
