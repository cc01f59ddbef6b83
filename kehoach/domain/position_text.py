"""Read a Vietnamese position text ("vị trí") into a structured reading, without geometry.

The summary tables describe where a decoration goes in words: "Ngã tư Nguyễn Trãi - Khuất
Duy Tiến", "dải phân cách đường Khuất Duy Tiến, đoạn từ Nguyễn Trãi đến Lê Văn Lương",
"trước cửa số 9 Khương Đình", "Trụ sở UBND phường Khương Mai". ``read_position`` finds the
district's own street, place and ward names in such a text (tolerating diacritics, case,
tone placement, dashes, "đường/phố" and extra words) and says what kind of position it is.
Turning the reading into a point or a line is the resolver's job (``adapters.locator``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from kehoach.domain.text import fold_phrase

# Words that only say "street" and are dropped from names and texts before matching.
_FILLER = re.compile(r"(?<![a-z0-9])(?:duong|pho|tuyen)(?![a-z0-9])")
# Long forms folded to the abbreviation the tables use (both sides are folded the same way).
_ABBREVIATIONS = (
    ("uy ban nhan dan", "ubnd"),
    ("khu do thi", "kdt"),
    ("trung hoc co so", "thcs"),
    ("trung hoc pho thong", "thpt"),
    ("tieu hoc", "th"),
    ("mam non", "mn"),
    ("p", "phuong"),  # "P. Khương Mai"
    ("q", "quan"),
)
# Well-known junctions named after a crossing: name → the two streets that make it.
LANDMARK_JUNCTIONS: dict[str, tuple[str, str]] = {
    "Ngã Tư Sở": ("Nguyễn Trãi", "Trường Chinh"),
    "Ngã Tư Vọng": ("Trường Chinh", "Giải Phóng"),
}
_COORDINATES = re.compile(r"(?<![\d.])(-?\d{1,3}\.\d{3,})\s*[,;\s]\s*(-?\d{1,3}\.\d{3,})(?![\d.])")
_HOUSE_NUMBER = re.compile(r"(?<![a-z0-9])so (?:nha )?(\d+[a-z]?(?:/\d+)?)(?![a-z0-9])")
_FROM = re.compile(r"(?<![a-z0-9])(?<!nga )tu(?![a-z0-9])")
_TO = re.compile(r"(?<![a-z0-9])(?:den|toi)(?![a-z0-9])")
_STRETCH = re.compile(r"(?<![a-z0-9])doan(?![a-z0-9])")
_RANGE_DASH = re.compile(r" - ")


class ReadingKind(Enum):
    """What kind of position a text describes."""

    COORDINATES = "coordinates"
    CROSSING = "crossing"
    STRETCH = "stretch"
    STREET = "street"
    PLACE = "place"
    UNPLACED = "unplaced"


@dataclass(frozen=True)
class Anchor:
    """A stretch end or crossing side: a street, or a named junction of two streets."""

    name: str
    streets: tuple[str, ...]

    @property
    def is_junction(self) -> bool:
        """Tell whether the anchor is a named junction (a point) rather than a street."""
        return len(self.streets) == 2


@dataclass(frozen=True)
class Reading:
    """A position text read: its kind and the names found in it (canonical spellings)."""

    kind: ReadingKind
    streets: tuple[Anchor, ...] = ()
    place: str = ""
    house_number: str = ""
    lonlat: tuple[float, float] | None = None
    ward: str = ""
    reason: str = ""  # why an UNPLACED text could not be read (a catalogue key suffix)


@dataclass(frozen=True)
class _Mention:
    kind: str  # "street", "place", "ward", "junction"
    name: str
    start: int
    end: int
    streets: tuple[str, ...]


def match_key(name: str) -> str:
    """Return the key a name is matched by: folded, without street words, abbreviated."""
    key = _FILLER.sub(" ", fold_phrase(name))
    key = re.sub(r"\([^)]*\)", " ", key)
    for long, short in _ABBREVIATIONS:
        key = re.sub(rf"(?<![a-z0-9]){long}(?![a-z0-9])", short, key)
    return re.sub(r"\s+", " ", key).strip()


@dataclass
class NameIndex:
    """Find the longest known names contained in a folded text (one regex, built once)."""

    kind: str
    names: dict[str, str] = field(default_factory=dict)  # key → canonical name
    streets_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # junction → streets
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, kind: str, names: Mapping[str, Iterable[str]]) -> NameIndex:
        """Index canonical names by every spelling given (name → spellings)."""
        index = cls(kind)
        for name, spellings in names.items():
            for spelling in spellings:
                key = match_key(spelling)
                # A one-word key ("Vọng") is too likely to be an ordinary word.
                if " " in key and key not in index.names:
                    index.names[key] = name
        keys = sorted(index.names, key=len, reverse=True)
        if keys:
            alternatives = "|".join(re.escape(k) for k in keys)
            index._pattern = re.compile(rf"(?<![a-z0-9/])(?:{alternatives})(?![a-z0-9/])")
        return index

    def find(self, text: str) -> list[_Mention]:
        """Return the names in ``text``, leftmost-longest, not overlapping."""
        if self._pattern is None:
            return []
        return [
            _Mention(
                kind=self.kind,
                name=name,
                start=m.start(),
                end=m.end(),
                streets=self.streets_of.get(name, (name,)),
            )  # fmt: skip
            for m in self._pattern.finditer(text)
            for name in (self.names[m.group(0)],)
        ]


@dataclass(frozen=True)
class Gazetteer:
    """The district's names a position text may use: streets, wards and named junctions."""

    streets: NameIndex
    wards: NameIndex
    junctions: NameIndex
    junction_streets: dict[str, tuple[str, str]]  # junction → its two streets' names

    @classmethod
    def build(
        cls, street_names: Mapping[str, Iterable[str]], ward_names: Iterable[str]
    ) -> Gazetteer:
        """Build from street name → spellings and the ward names."""
        streets = NameIndex.build("street", street_names)
        wards = {w: [f"phường {w}"] for w in ward_names}
        junction_streets = {}
        for name, pair in LANDMARK_JUNCTIONS.items():
            known = tuple(streets.names.get(match_key(s), "") for s in pair)
            if all(known):
                junction_streets[name] = (known[0], known[1])
        junctions = NameIndex.build("junction", {name: [name] for name in junction_streets})
        junctions.streets_of = dict(junction_streets)
        return cls(streets, NameIndex.build("ward", wards), junctions, junction_streets)


def read_position(text: str, gazetteer: Gazetteer, places: NameIndex | None = None) -> Reading:
    """Read a position text: coordinates, a crossing, a stretch, a street or a place."""
    coordinates = _read_coordinates(text)
    if coordinates is not None:
        return Reading(ReadingKind.COORDINATES, lonlat=coordinates)
    folded = match_key(text)
    if not folded:
        return Reading(ReadingKind.UNPLACED, reason="empty")
    mentions: list[_Mention] = []
    for index in (places, gazetteer.wards, gazetteer.streets, gazetteer.junctions):
        if index is None:
            continue
        found = index.find(folded)
        mentions.extend(found)
        for m in found:  # mask what was found so a shorter name inside it is not found again
            folded = folded[: m.start] + "#" * (m.end - m.start) + folded[m.end :]
    mentions.sort(key=lambda m: m.start)
    ward = next((m.name for m in mentions if m.kind == "ward"), "")
    anchors = [m for m in mentions if m.kind in ("street", "junction")]
    stretch = _read_stretch(folded, anchors)
    if stretch is not None:
        return Reading(ReadingKind.STRETCH, streets=stretch, ward=ward)
    if _has_stretch_words(folded) and len(anchors) >= 2:
        return Reading(ReadingKind.UNPLACED, ward=ward, reason="stretch_street")
    number = _house_number(folded, anchors)
    streets = _distinct(anchors)
    if number is None and (len(streets) >= 2 or (streets and streets[0].is_junction)):
        return Reading(ReadingKind.CROSSING, streets=tuple(streets[:2]), ward=ward)
    place = next((m.name for m in mentions if m.kind == "place"), "")
    if place:
        return Reading(ReadingKind.PLACE, place=place, ward=ward)
    if streets:
        street = _street_after(streets, anchors, number.end() if number else None)
        house = number.group(1) if number else ""
        return Reading(ReadingKind.STREET, streets=(street,), house_number=house, ward=ward)
    return Reading(ReadingKind.UNPLACED, ward=ward, reason="no_name")


def _read_coordinates(text: str) -> tuple[float, float] | None:
    """Return (lon, lat) from "21.0012, 105.8123" (either order), else None."""
    match = _COORDINATES.search(text)
    if match is None:
        return None
    a, b = float(match.group(1)), float(match.group(2))
    if 8 <= a <= 24 and 102 <= b <= 110:
        return b, a
    if 8 <= b <= 24 and 102 <= a <= 110:
        return a, b
    return None


def _anchor(mention: _Mention) -> Anchor:
    return Anchor(mention.name, mention.streets)


def _distinct(mentions: list[_Mention]) -> list[Anchor]:
    anchors: list[Anchor] = []
    for m in mentions:
        anchor = _anchor(m)
        if anchor not in anchors:
            anchors.append(anchor)
    return anchors


def _has_stretch_words(folded: str) -> bool:
    return bool(_STRETCH.search(folded) or (_FROM.search(folded) and _TO.search(folded)))


def _read_stretch(folded: str, anchors: list[_Mention]) -> tuple[Anchor, ...] | None:
    """Return (street, from, to) for "…từ A đến B" or "… đoạn A - B", else None."""
    start = _FROM.search(folded)
    if start is not None:
        to = _TO.search(folded, start.end())
        if to is not None:
            return _stretch_parts(anchors, start.start(), start.end(), to.start(), to.end())
    section = _STRETCH.search(folded)
    if section is not None:
        dash = _RANGE_DASH.search(folded, section.end())
        if dash is not None:
            return _stretch_parts(anchors, section.start(), section.end(), dash.start(), dash.end())
    return None


def _stretch_parts(
    anchors: list[_Mention], head: int, from_at: int, to_before: int, to_at: int
) -> tuple[Anchor, ...] | None:
    hosts = [m for m in anchors if m.end <= head and m.kind == "street"]
    firsts = [m for m in anchors if from_at <= m.start and m.end <= to_before]
    lasts = [m for m in anchors if m.start >= to_at]
    if not (hosts and firsts and lasts):
        return None
    return _anchor(hosts[-1]), _anchor(firsts[0]), _anchor(lasts[0])


def _house_number(folded: str, anchors: list[_Mention]) -> re.Match[str] | None:
    """Return "số N" written right before a street name (not "cột đèn số 3")."""
    starts = {m.start for m in anchors if m.kind == "street"}
    for match in _HOUSE_NUMBER.finditer(folded):
        if match.end() + 1 in starts:
            return match
    return None


def _street_after(streets: list[Anchor], mentions: list[_Mention], after: int | None) -> Anchor:
    """Return the street a house number belongs to: the first one named after it."""
    if after is not None:
        for m in mentions:
            if m.start >= after and m.kind == "street":
                return _anchor(m)
    return streets[0]
