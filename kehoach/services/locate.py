"""Locate a Vietnamese position text ("vị trí") on the district's own streets and places.

No network service: the text is read against the street, ward and place names in the
database (``domain.position_text``) and turned into geometry over the shipped street
centrelines (``adapters.locator``). Every result says how it was read, in Vietnamese.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shapely import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import to_geojson
from kehoach.db.engine import read_session
from kehoach.db.models import Place
from kehoach.domain.position_text import Anchor, NameIndex, Reading, ReadingKind, read_position
from kehoach.i18n import format_length, format_number, t
from kehoach.services.geography import StreetLocator, locator, spatial_index, ward_names

# Generic words a place name may be written with or without ("Trường THCS …", "Trụ sở UBND …").
_PLACE_HEADS = re.compile(r"^(?:trường|trụ sở|tru so|truong)\s+", re.IGNORECASE)
_STREET_WORD = re.compile(r"^(?:đường|phố)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Location:
    """Where a position text puts a site, how it was read and whether a person must check."""

    geometry: BaseGeometry | None  # WGS84; None when unplaced
    source: str  # coordinates, crossing, stretch, street, place, unplaced
    needs_confirmation: bool
    explanation: str
    street_id: int | None = None
    street: str = ""
    ward_id: int | None = None
    ward: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the location as JSON-ready data (geometry as a GeoJSON mapping)."""
        geometry = None
        if self.geometry is not None:
            geometry = json.loads(to_geojson(self.geometry))
        return {
            "geometry": geometry,
            "location_source": self.source,
            "needs_confirmation": self.needs_confirmation,
            "street_id": self.street_id,
            "street": self.street,
            "ward_id": self.ward_id,
            "ward": self.ward,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class _KnownPlace:
    name: str
    lon: float
    lat: float
    ward_id: int | None


def locate(engine: Engine, text: str) -> Location:
    """Locate one position text (see ``locate_many``)."""
    return locate_many(engine, [text])[0]


def locate_many(engine: Engine, texts: Sequence[str]) -> list[Location]:
    """Locate position texts: crossings, stretches, streets, places or typed coordinates."""
    streets = locator(engine)
    places, place_index = _read_places(engine)
    index = spatial_index(engine)
    wards = ward_names(engine)
    results = []
    for text in texts:
        reading = read_position(text or "", streets.gazetteer, place_index)
        location = _resolve(reading, text or "", streets, places)
        if location.source == "coordinates" and not index.contains(*reading.lonlat or (0, 0)):
            lon, lat = reading.lonlat or (0, 0)
            where = t("locate.unplaced.outside", lat=format_number(lat, 6),
                      lon=format_number(lon, 6))  # fmt: skip
            location = _unplaced(where)
        if location.geometry is not None and location.source != "place":
            at = location.geometry
            if not isinstance(at, Point):
                at = at.interpolate(0.5, normalized=True)
            ward_id = index.ward_at(at.x, at.y)
            location = _with_ward(location, ward_id, wards)
        elif location.ward_id is not None:
            location = _with_ward(location, location.ward_id, wards)
        results.append(location)
    return results


def _with_ward(location: Location, ward_id: int | None, wards: dict[int, str]) -> Location:
    return Location(
        location.geometry,
        location.source,
        location.needs_confirmation,
        location.explanation,
        location.street_id,
        location.street,
        ward_id,
        wards.get(ward_id, "") if ward_id is not None else "",
    )


def _read_places(engine: Engine) -> tuple[dict[str, _KnownPlace], NameIndex]:
    """Read the place table (registered places change, so it is not cached)."""
    with read_session(engine) as s:
        rows = s.execute(select(Place.name, Place.lon, Place.lat, Place.ward_id).order_by(Place.id))
        places = {name: _KnownPlace(name, lon, lat, ward) for name, lon, lat, ward in rows}
    spellings = {name: _place_spellings(name) for name in places}
    return places, NameIndex.build("place", spellings)


def _place_spellings(name: str) -> list[str]:
    short = _PLACE_HEADS.sub("", name)
    return [name, short] if short != name else [name]


def _resolve(
    reading: Reading, text: str, streets: StreetLocator, places: dict[str, _KnownPlace]
) -> Location:
    kind = reading.kind
    if kind is ReadingKind.COORDINATES:
        return _coordinates(reading)
    if kind is ReadingKind.CROSSING:
        return _crossing(reading.streets[0], reading.streets[1:], streets)
    if kind is ReadingKind.STRETCH:
        return _stretch(reading.streets, streets)
    if kind is ReadingKind.PLACE:
        place = places[reading.place]
        return Location(
            Point(place.lon, place.lat),
            "place",
            False,
            t("locate.place", place=place.name),
            ward_id=place.ward_id,
        )
    if kind is ReadingKind.STREET:
        return _street(reading, streets)
    key = "locate.unplaced." + reading.reason
    return _unplaced(t(key, text=text.strip()))


def _unplaced(reason: str) -> Location:
    return Location(None, "unplaced", True, reason)


def _coordinates(reading: Reading) -> Location:
    assert reading.lonlat is not None
    lon, lat = reading.lonlat
    where = t("locate.coordinates", lat=format_number(lat, 6), lon=format_number(lon, 6))
    return Location(Point(lon, lat), "coordinates", False, where)


def _short(name: str) -> str:
    """Return a street name as people say it: "Đường Nguyễn Trãi" → "Nguyễn Trãi"."""
    return _STREET_WORD.sub("", name)


def _crossing(first: Anchor, rest: Iterable[Anchor], streets: StreetLocator) -> Location:
    others = list(rest)
    if first.is_junction and not others:
        a, b = first.streets
    else:
        a, b = first.streets[0], others[0].streets[0]
    found = streets.geometry.crossing(a, b)
    names = {"a": _short(a), "b": _short(b)}
    if found is None:
        return _unplaced(t("locate.unplaced.no_meet", **names))
    key = "locate.crossing" if found.exact else "locate.crossing_guess"
    where = t(key, **names)
    if first.is_junction and not others:
        where = t("locate.junction", junction=first.name, crossing=where)
    point = streets.geometry.crossing_wgs84(found)
    return Location(point, "crossing", not found.exact, where, streets.street_ids[a], a)


def _stretch(anchors: tuple[Anchor, ...], streets: StreetLocator) -> Location:
    host, start, end = anchors[0].streets[0], anchors[1], anchors[2]
    names = {"street": _short(host), "start": _short(start.name), "end": _short(end.name)}
    ends = [_end_on(host, anchor, streets) for anchor in (start, end)]
    if ends[0] is None or ends[1] is None:
        return _unplaced(t("locate.unplaced.stretch_ends", **names))
    exact = ends[0][1] and ends[1][1]
    cut = streets.geometry.stretch(host, ends[0][0], ends[1][0], exact)
    if cut is None:
        return _unplaced(t("locate.unplaced.stretch_ends", **names))
    where = t("locate.stretch", length=format_length(cut.length_m), **names)
    if not cut.exact:
        where = t("locate.to_confirm", text=where)
    return Location(cut.line, "stretch", not cut.exact, where, streets.street_ids[host], host)


def _end_on(host: str, anchor: Anchor, streets: StreetLocator) -> tuple[Point, bool] | None:
    """Return a stretch end (metric point, exact?): where the host meets the other street."""
    if anchor.is_junction:
        found = streets.geometry.crossing(*anchor.streets)
    else:
        found = streets.geometry.crossing(host, anchor.streets[0])
    return None if found is None else (found.point, found.exact)


def _street(reading: Reading, streets: StreetLocator) -> Location:
    name = reading.streets[0].streets[0]
    point = streets.geometry.middle(name)
    if reading.house_number:
        where = t("locate.street_number", street=_short(name), number=reading.house_number)
    else:
        where = t("locate.street", street=_short(name))
    return Location(point, "street", True, where, streets.street_ids[name], name)
