"""Rules of offline inspection packs: limits of a results file and the errors it can cause.

A pack is a self-contained web page an inspector carries without a connection; it gives back
one results file. Each result carries the id its device gave it, the site and the site
version it was made against (ODK Central's rules: resubmitting is harmless, a record changed
by someone else in the meantime is flagged, never overwritten).
"""

from __future__ import annotations

from kehoach.domain.errors import DomainError

PACK_FORMAT = "kehoach-offline-pack/1"
RESULTS_FORMAT = "kehoach-offline-results/1"
# A results file holds at most this many results and this many bytes (base64 photos inside):
# the upload's own limit (server.maxUploadSize); a pack exports larger sets in several files.
MAX_RESULTS = 5000
MAX_RESULTS_FILE_BYTES = 30 * 1024 * 1024
MAX_DEFECTS = 20
# A pack covers at most this many sites and a radius of at most this many metres.
MAX_PACK_SITES = 20_000
MAX_RADIUS_M = 10_000.0


class ResultsFileDamaged(DomainError):
    """The file is not a results file of ours, or part of it is unreadable."""

    code = "error.offline.damaged"


class ForeignPack(DomainError):
    """The results come from a pack this server did not make (signature differs)."""

    code = "error.offline.foreign"


class EmptyPack(DomainError):
    """The chosen ward, street or circle holds no site to inspect."""

    code = "error.offline.empty"


class BadPackArea(DomainError):
    """A pack's circle needs a centre written LON,LAT and a radius."""

    code = "offline.bad_near"
