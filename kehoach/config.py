"""Read the app's settings from environment variables, with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kehoach.domain.clock import LOCAL_TZ_NAME

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
PLANS_DIR = DATA_DIR / "plans"
DEFAULT_PLAN_FILE = PLANS_DIR / "thanh-xuan-70-nam-giai-phong-thu-do.txt"
STATIC_DIR = PROJECT_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
VAR_DIR = PROJECT_ROOT / "var"

# WGS84 for storage, UTM 48N for every metric computation.
STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:32648"
LOCAL_TZ = LOCAL_TZ_NAME  # the domain owns the time zone; kept here for the adapters

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@dataclass(frozen=True)
class Settings:
    """Hold the settings read once from the environment."""

    database_url: str
    tile_url: str
    tile_attribution: str
    asset_base_url: str
    media_dir: Path
    idle_timeout_minutes: int
    session_max_hours: int = 12
    behind_proxy: bool = False
    backup_key: str = ""
    backup_key_file: Path = PROJECT_ROOT / "var" / "backup.key"
    backup_dir: Path = PROJECT_ROOT / "var" / "backups"
    heartbeat_file: Path = PROJECT_ROOT / "var" / "serving.heartbeat"
    pack_key: str = ""


def _default_database_url() -> str:
    path = PROJECT_ROOT / "var" / "kehoach.db"
    return f"sqlite:///{path}"


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default)


def get_settings() -> Settings:
    """Return the settings from the environment (DATABASE_URL, KEHOACH_TILE_URL, ...)."""
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or _default_database_url(),
        # An empty KEHOACH_TILE_URL turns the basemap off (plain background).
        tile_url=os.environ.get("KEHOACH_TILE_URL", OSM_TILES),
        tile_attribution=os.environ.get("KEHOACH_TILE_ATTRIBUTION", "© OpenStreetMap contributors"),
        asset_base_url=os.environ.get("KEHOACH_ASSET_BASE_URL", "/app/static/vendor"),
        media_dir=Path(os.environ.get("KEHOACH_MEDIA_DIR", PROJECT_ROOT / "var" / "media")),
        idle_timeout_minutes=int(os.environ.get("KEHOACH_IDLE_TIMEOUT_MINUTES", "30")),
        # A signed-in browser (cookie) lasts while used within the idle timeout, and never
        # longer than this many hours after sign-in.
        session_max_hours=int(os.environ.get("KEHOACH_SESSION_MAX_HOURS", "12")),
        # Behind nginx every connection comes from the proxy: take the client's address from
        # the last X-Forwarded-For entry (the one nginx appends) for sign-in throttling.
        behind_proxy=os.environ.get("KEHOACH_BEHIND_PROXY", "").strip().lower()
        in {"1", "true", "yes"},
        # Backups carry an HMAC-SHA256 made with this secret; without KEHOACH_BACKUP_KEY a
        # random key is generated into the key file on first use (keep a copy off the server:
        # a backup can only be restored with the key that signed it).
        backup_key=os.environ.get("KEHOACH_BACKUP_KEY", ""),
        backup_key_file=_path("KEHOACH_BACKUP_KEY_FILE", VAR_DIR / "backup.key"),
        # Restore first copies the current data here.
        backup_dir=_path("KEHOACH_BACKUP_DIR", VAR_DIR / "backups"),
        # The running app touches this file; restore refuses while it is fresh.
        heartbeat_file=_path("KEHOACH_HEARTBEAT_FILE", VAR_DIR / "serving.heartbeat"),
        # Offline inspection packs are signed with this secret (HMAC-SHA256 of the pack id);
        # without it a key derived from the backup key is used. Results from a pack another
        # server (or another key) made are refused.
        pack_key=os.environ.get("KEHOACH_PACK_KEY", ""),
    )
