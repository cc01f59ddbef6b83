"""Turn the sites table into the lean rows the map's script draws, cached by content.

At 20,000 sites this runs on every first view of a data version: whole columns go through
numpy and one-pass escaping, and only the stretches' GeoJSON is parsed.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from kehoach.adapters.map_style import KIND_INDEX, STATUS_DRAW_RANK, STATUS_INDEX, STATUSES
from kehoach.domain.enums import Approval
from kehoach.escape import escape_html_many, json_for_script

SITE_COLUMNS = (
    "id", "code", "name", "kind", "status", "approval", "is_demo", "lon", "lat", "geojson",
)  # fmt: skip
# Bits of a row's marks field: a demo site, a new site pending approval, a rejected one.
MARK_DEMO, MARK_PENDING, MARK_REJECTED = 1, 2, 4
NAME_MAX_CHARS = 60
COORD_DECIMALS = 5  # about 1 m: finer than any site is placed
COORD_SCALE = 10**COORD_DECIMALS  # site coordinates travel as integers of 1e-5 degree
ROWS_CACHE_SIZE = 8  # built site rows kept per process (a few MB each at 20,000 sites)

_ROWS_CACHE: OrderedDict[str, str] = OrderedDict()
_ROWS_LOCK = threading.Lock()


def cached_site_rows_json(sites: pd.DataFrame) -> str:
    """Return ``site_rows(sites)`` as script-safe JSON, reusing it while the data is unchanged.

    The key is a hash of the columns the map reads, so a rerun with the same data and
    filters skips the build (a tenth of its cost at 20,000 sites), and any edit misses.
    """
    key = _fingerprint(sites)
    if key is not None:
        with _ROWS_LOCK:
            if key in _ROWS_CACHE:
                _ROWS_CACHE.move_to_end(key)
                return _ROWS_CACHE[key]
    text = json_for_script(site_rows(sites))
    if key is not None:
        with _ROWS_LOCK:
            _ROWS_CACHE[key] = text
            while len(_ROWS_CACHE) > ROWS_CACHE_SIZE:
                _ROWS_CACHE.popitem(last=False)
    return text


def clear_rows_cache() -> None:
    """Forget every built site rows JSON (for measuring a cold build)."""
    with _ROWS_LOCK:
        _ROWS_CACHE.clear()


def _fingerprint(sites: pd.DataFrame) -> str | None:
    """Return a digest of the columns the map reads, or None if a cell cannot be hashed."""
    columns = [column for column in SITE_COLUMNS if column in sites.columns]
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((columns, len(sites), COORD_DECIMALS, NAME_MAX_CHARS)).encode())
    for column in columns:
        values = sites[column]
        digest.update(f"{column}:{values.dtype}".encode())
        try:
            for part in _column_bytes(values):
                digest.update(part)
        except (TypeError, ValueError):  # cells pandas cannot hash: build without the cache
            return None
    return digest.hexdigest()


def _column_bytes(values: pd.Series) -> Iterable[bytes | memoryview]:
    """Yield bytes that identify a column's content (numbers raw, Arrow texts by buffers)."""
    if values.dtype.kind in "biuf":  # bool, integers, floats
        yield values.to_numpy().tobytes()
        return
    chunked = getattr(values.array, "_pa_array", None)  # pandas' Arrow-backed strings
    if chunked is None:
        yield pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes()
        return
    for chunk in chunked.chunks:
        # A slice shares its parent's buffers: its offset and length tell which part it is.
        yield f"{chunk.offset},{len(chunk)},{chunk.null_count}".encode()
        for buffer in chunk.buffers():
            if buffer is not None:
                yield memoryview(buffer)


def site_rows(sites: pd.DataFrame) -> list[list[Any]]:
    """Return one lean row per site, in drawing order, for the map's script to draw.

    A row is ``[id, status index, kind index, marks, escaped code, escaped name, x, y]``
    for a point and ``[id, status, kind, marks, code, name, line]`` for a stretch; marks is a
    bit set of ``MARK_DEMO``, ``MARK_PENDING`` and ``MARK_REJECTED`` (approval state). ``x, y``
    are integers: degrees from ``coordinate_origin(sites)`` times ``COORD_SCALE``; ``line``
    is a flat ``[x0, y0, dx1, dy1, ...]`` list, each vertex a step from the one before (a
    list of them for a MultiLineString). Rows instead of GeoJSON features, and small
    integers instead of decimals, make the HTML a third of the size; the browser makes the
    layers (with feature properties ``id, s, k, d, c, n``) directly from them.
    """
    if sites.empty:
        return []
    # Whole columns at once (numpy, one-pass escaping); Python touches each site only to
    # put its row together, and parses GeoJSON only for the stretches.
    ids = sites["id"].astype("int64").tolist()
    status = sites["status"].map(STATUS_INDEX).fillna(0).astype(int).to_numpy()
    kind = sites["kind"].map(KIND_INDEX).fillna(KIND_INDEX["other"]).astype(int).tolist()
    marks = sites["is_demo"].fillna(False).astype(bool).to_numpy().astype(int) * MARK_DEMO
    if "approval" in sites.columns:
        approval = sites["approval"].astype(str)
        marks = marks + approval.eq(Approval.PENDING.value).to_numpy() * MARK_PENDING
        marks = marks + approval.eq(Approval.REJECTED.value).to_numpy() * MARK_REJECTED
    demo = marks.astype(int).tolist()
    west, south = coordinate_origin(sites)
    lon = np.rint((sites["lon"].to_numpy(dtype=float) - west) * COORD_SCALE).astype(int).tolist()
    lat = np.rint((sites["lat"].to_numpy(dtype=float) - south) * COORD_SCALE).astype(int).tolist()
    names = escape_html_many(_texts(sites["name"], NAME_MAX_CHARS))
    codes = escape_html_many(_texts(sites["code"]))
    lines = _flat_lines(sites["geojson"], west, south)
    is_point = np.array([line is None for line in lines])
    rank = np.array([STATUS_DRAW_RANK[status] for status in STATUSES])[status]
    # Stretches below points, then by status rank (lexsort: the last key is the primary one).
    order = np.lexsort((rank, is_point)).tolist()
    status_list = status.tolist()
    return [
        [ids[i], status_list[i], kind[i], demo[i], codes[i], names[i], lon[i], lat[i]]
        if lines[i] is None
        else [ids[i], status_list[i], kind[i], demo[i], codes[i], names[i], lines[i]]
        for i in order
    ]


def _texts(column: pd.Series, limit: int | None = None) -> list[str]:
    """Return a column as strings, gaps as "", cut to ``limit`` characters with an ellipsis."""
    missing = column.isna().tolist()
    texts = ["" if gap else str(value) for value, gap in zip(column.tolist(), missing, strict=True)]
    if limit is None:
        return texts
    return [text if len(text) <= limit else text[: limit - 1] + "…" for text in texts]


def _flat_lines(column: pd.Series, west: float, south: float) -> list[list[Any] | None]:
    """Return ``_flat_line`` of each cell; the cells without text are skipped unparsed."""
    values = column.tolist()
    present = column.notna().to_numpy()
    return [
        _flat_line(value, west, south) if has else None
        for value, has in zip(values, present, strict=True)
    ]


def coordinate_origin(sites: pd.DataFrame) -> tuple[float, float]:
    """Return the (lon, lat) the sites' integer coordinates count from: their south-west."""
    if sites.empty:
        return (0.0, 0.0)
    west = np.nanmin(sites["lon"].to_numpy(dtype=float))
    south = np.nanmin(sites["lat"].to_numpy(dtype=float))
    if not (np.isfinite(west) and np.isfinite(south)):
        return (0.0, 0.0)
    return (float(np.floor(west * 100) / 100), float(np.floor(south * 100) / 100))


def _flat_line(text: object, west: float, south: float) -> list[Any] | None:
    """Return a stretch as flat integer steps ``[x0, y0, dx1, dy1, ...]`` (a list if multi)."""
    geometry = line_geometry(text)
    if geometry is None:
        return None
    parts = geometry["coordinates"]
    if geometry["type"] == "LineString":
        return _steps(parts, west, south)
    return [_steps(part, west, south) for part in parts]


def _steps(points: list[list[float]], west: float, south: float) -> list[int]:
    try:
        lonlat = np.asarray(points, dtype=float)[:, :2]
    except ValueError:  # vertices of mixed dimension: keep (lon, lat) of each
        lonlat = np.asarray([point[:2] for point in points], dtype=float)
    # Rounded once, from the origin, as the points are.
    xy = np.rint((lonlat - (west, south)) * COORD_SCALE).astype(int)
    xy[1:] -= xy[:-1].copy()
    return xy.ravel().tolist()


def _is_missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are values, not gaps
        return False


def line_geometry(text: object) -> dict[str, Any] | None:
    """Return the LineString/MultiLineString geometry in GeoJSON text as is, or None."""
    if _is_missing(text) or not str(text).strip():
        return None
    try:
        geometry = json.loads(str(text))
    except ValueError:
        return None
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") not in ("LineString", "MultiLineString"):
        return None
    return geometry
