"""Measure the peak memory of processing photos, in a fresh process (peak RSS delta).

Run as ``python -m tests.photo_memory FILE [FILE ...]``: every file is processed at the same
time in its own thread (as simultaneous uploads are), and the script prints one JSON object
with the peak resident memory before and after, in MB, and each file's outcome.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
from pathlib import Path


def _peak_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux keeps ru_maxrss across fork and exec, so a child of a large test process would
    report its parent's peak; VmHWM belongs to this program's own address space.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(paths: list[str]) -> None:
    """Process every file at once and print peak memory figures and outcomes as JSON."""
    from kehoach.adapters.photos import process_photo
    from kehoach.domain.errors import DomainError
    from kehoach.domain.inspection import UploadedPhoto

    uploads = [UploadedPhoto(Path(p).read_bytes(), Path(p).name) for p in paths]
    outcomes: list[str] = [""] * len(uploads)

    def run(i: int) -> None:
        try:
            photo = process_photo(uploads[i])
            outcomes[i] = f"ok {photo.width}x{photo.height}"
        except DomainError as exc:
            outcomes[i] = type(exc).__name__

    before = _peak_mb()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(uploads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = _peak_mb()
    print(json.dumps({"before_mb": before, "peak_mb": after, "delta_mb": after - before,
                      "outcomes": outcomes}))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
