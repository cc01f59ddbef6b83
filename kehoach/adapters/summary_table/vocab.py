"""The words offices use in summary tables: header names, kinds, unit abbreviations, sizes.

Everything here is pure and keyed on folded text (no diacritics, lower case, punctuation as
spaces), so "Vị trí lắp đặt", "VI TRI\nLAP DAT" and "vị  trí lắp đặt" read the same.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kehoach.domain.enums import SiteKind
from kehoach.domain.text import strip_diacritics

# Normalised field names a parsed row carries (see ``layout.TableRecord``).
STT = "stt"
POSITION = "position_text"
KIND = "kind"
CONTENT = "content"
SIZE = "size"
QUANTITY = "quantity"
MEASURE = "measure"  # "Đơn vị tính" (cái, bộ): read so it is never taken for the unit
UNIT = "unit_text"
PERIOD = "period"  # "Thời gian thực hiện": install and removal in one cell
INSTALL = "install_on"
REMOVE = "remove_on"
NOTE = "note"
WARD = "ward_text"
STREET = "street_text"
LON = "lon"
LAT = "lat"
STATUS = "status_text"

# Header spellings per field, folded. Multi-word spellings also match a longer header that
# starts with them ("Nội dung tuyên truyền chính"); one-word spellings match only exactly.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    STT: ("stt", "s t t", "so tt", "so thu tu", "tt", "no"),
    POSITION: ("vi tri", "vi tri dia chi", "vi tri lap dat", "vi tri trang tri", "dia diem",
               "dia diem lap dat", "dia chi", "address", "location", "vi tri diem"),
    KIND: ("hinh thuc", "hinh thuc trang tri", "hinh thuc tuyen truyen", "loai hinh", "loai",
           "loai hinh trang tri", "kind", "type"),
    CONTENT: ("noi dung", "noi dung tuyen truyen", "khau hieu", "noi dung khau hieu",
              "noi dung trang tri", "content"),
    SIZE: ("kich thuoc", "kich co", "quy cach", "size"),
    QUANTITY: ("so luong", "sl", "quantity", "qty"),
    MEASURE: ("don vi tinh", "dvt"),
    UNIT: ("don vi thuc hien", "don vi", "don vi phu trach", "don vi chu tri", "co quan thuc hien",
           "unit"),
    PERIOD: ("thoi gian", "thoi gian thuc hien", "thoi gian trang tri", "thoi han"),
    INSTALL: ("thoi gian lap dat", "ngay lap dat", "lap dat", "thoi gian treo", "bat dau"),
    REMOVE: ("thoi gian thao do", "ngay thao do", "thao do", "thu hoi", "thoi gian thu hoi",
             "ket thuc"),
    NOTE: ("ghi chu", "chu thich", "note", "notes"),
    WARD: ("phuong", "ten phuong", "ward", "dia ban", "dia ban phuong", "phuong xa"),
    STREET: ("tuyen pho", "tuyen duong", "duong pho", "ten duong", "ten pho", "tuyen", "pho",
             "duong", "street"),
    LON: ("kinh do", "lon", "lng", "long", "longitude", "x", "toa do kinh do", "toa do x"),
    LAT: ("vi do", "lat", "latitude", "y", "toa do vi do", "toa do y"),
    STATUS: ("trang thai", "tinh trang", "tien do", "status"),
}
_EXACT = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
_PREFIXES = sorted(((a, f) for a, f in _EXACT.items() if " " in a), key=lambda p: -len(p[0]))


def fold_key(text: object) -> str:
    """Return text folded for matching: no diacritics, lower case, words split by one space."""
    key = strip_diacritics(unicodedata.normalize("NFC", str(text or "")))
    return re.sub(r"[^a-z0-9]+", " ", key).strip()


def header_field(text: object) -> str | None:
    """Return the field a header cell names, tolerating case, diacritics, breaks, brackets."""
    if not isinstance(text, str) or not text.strip():
        return None
    candidates = [text, re.sub(r"\(.*?\)", " ", text), *re.findall(r"\((.*?)\)", text)]
    keys = [fold_key(c) for c in candidates]
    for key in keys:
        if key in _EXACT:
            return _EXACT[key]
    for key in keys:
        for alias, field in _PREFIXES:
            if key.startswith(alias + " "):
                return field
    return None


# --- kinds ----------------------------------------------------------------------------------

# Office spellings of each kind, compacted (folded, then every non-letter removed).
_KIND_WORDS: tuple[tuple[str, SiteKind], ...] = (
    ("cumpano", SiteKind.PANEL_CLUSTER),
    ("cumpanohop", SiteKind.PANEL_CLUSTER),
    ("pano", SiteKind.PANEL),
    ("panoo", SiteKind.PANEL),
    ("panel", SiteKind.PANEL),
    ("bangron", SiteKind.BANNER),
    ("bangzon", SiteKind.BANNER),
    ("banggion", SiteKind.BANNER),
    ("banner", SiteKind.BANNER),
    ("bangdon", SiteKind.BANNER),
    ("cophuon", SiteKind.FLAG_LINE),
    ("coday", SiteKind.FLAG_LINE),
    ("cocotden", SiteKind.FLAG_LINE),
    ("cotrencotden", SiteKind.FLAG_LINE),
    ("cotoquoc", SiteKind.NATIONAL_FLAG),
    ("quockykyquoc", SiteKind.NATIONAL_FLAG),
    ("manhinhled", SiteKind.LED_SCREEN),
    ("manhinh", SiteKind.LED_SCREEN),
    ("bienled", SiteKind.LED_SCREEN),
    ("led", SiteKind.LED_SCREEN),
    ("khac", SiteKind.OTHER),
)
_KIND_BY_WORD = dict(_KIND_WORDS)
_KIND_PREFIXES = sorted(_KIND_WORDS, key=lambda pair: -len(pair[0]))
FLAG_KINDS = frozenset({SiteKind.FLAG_LINE, SiteKind.NATIONAL_FLAG})


def _compact(text: str) -> str:
    return re.sub(r"[^a-z]+", "", strip_diacritics(unicodedata.normalize("NFC", text)))


def match_kind(text: str, extra: dict[str, SiteKind] | None = None) -> SiteKind | None:
    """Return the kind an office's wording names ("Pa-nô", "cụm pano", "băng rôn"), or None.

    ``extra`` adds spellings (e.g. the catalogue's labels); a wording that only starts with a
    known kind ("Pano tấm lớn", "Băng rôn ngang đường") counts as that kind.
    """
    words = {**{_compact(k): v for k, v in (extra or {}).items()}, **_KIND_BY_WORD}
    key = _compact(text)
    if not key:
        return None
    if key in words:
        return words[key]
    for word, kind in _KIND_PREFIXES:
        if key.startswith(word) and len(word) >= 4:
            return kind
    return None


# --- sizes ----------------------------------------------------------------------------------

_TIMES = re.compile(r"\s*(?<=[\d.,m ])[x×*X]\s*(?=\d)")


def normalise_size(text: str) -> str:
    """Return a size lightly tidied: "3M X 6M" → "3m x 6m", "1,2mx2,4m" → "1,2m x 2,4m"."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    text = re.sub(r"(?<=\d)\s*M\b", "m", text)
    return _TIMES.sub(" x ", text)


# --- units ----------------------------------------------------------------------------------

# Abbreviations of whole unit names, compacted, → the folded long name.
_UNIT_ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(("ttvhtttt", "ttvhttvatt", "ttvhtt", "ttvhttdl", "ttvh", "ttvhtthethao"),
                    "trung tam van hoa thong tin va the thao"),
    **dict.fromkeys(("phongvhtt", "phongvhvatt", "pvhtt", "phongvh", "phongvanhoa", "pvh"),
                    "phong van hoa va thong tin"),
    **dict.fromkeys(("phongtckh", "ptckh", "phongtaichinh", "tckh"), "phong tai chinh ke hoach"),
    **dict.fromkeys(("bqlda", "bqldadtxd", "banqlda", "bqldaxd"),
                    "ban quan ly du an dau tu xay dung"),
    **dict.fromkeys(("ca", "caq", "congan"), "cong an"),
    **dict.fromkeys(("phongqldt", "pqldt", "qldt"), "phong quan ly do thi"),
    **dict.fromkeys(("phonggddt", "pgddt", "phonggdvadt", "gddt"), "phong giao duc va dao tao"),
    **dict.fromkeys(("phongnv", "pnv", "phongnoivu"), "phong noi vu"),
    **dict.fromkeys(("phongldtbxh", "pldtbxh", "ldtbxh"),
                    "phong lao dong thuong binh va xa hoi"),
    **dict.fromkeys(("vphdndubnd", "vanphonghdndubnd", "vp"),
                    "van phong hoi dong nhan dan uy ban nhan dan"),
    **dict.fromkeys(("bchqs", "banchqs"), "ban chi huy quan su"),
}
# Abbreviations of words inside a name, folded → long form.
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bvh tt tt\b", "van hoa thong tin the thao"),
    (r"\bvh tt\b", "van hoa thong tin"),
    (r"\bvhtt\b", "van hoa thong tin"),
    (r"\bvh\b", "van hoa"),
    (r"\btc kh\b", "tai chinh ke hoach"),
    (r"\bgd dt\b", "giao duc dao tao"),
    (r"\bqldt\b", "quan ly do thi"),
    (r"\bqlda\b", "quan ly du an"),
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\bchqs\b", "chi huy quan su"),
    (r"\bmttq\b", "mat tran to quoc"),
    (r"\bp\b", "phuong"),
    (r"\bq\b", "quan"),
)
_DISTRICT_TAIL = re.compile(r"(?:\s+(?:quan|q)(?:\s+thanh\s+xuan)?|\s+thanh\s+xuan)$")
_FILLER_WORDS = re.compile(r"\b(?:va|cac|de nghi)\b")
_WARD_UNIT = "uy ban nhan dan phuong"
_ALL_WARDS_UNIT = "uy ban nhan dan cac phuong"
_CLOSE_ENOUGH = 0.6


@dataclass(frozen=True)
class UnitMatch:
    """The plan unit a table's unit text names: ``best``, or ``candidates`` to offer instead.

    ``ambiguous`` means several units fit equally well; with no ``best`` and not ambiguous,
    ``candidates`` are near spellings ("did you mean").
    """

    best: str | None
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False


def unit_key(text: str) -> str:
    """Return a unit name folded, abbreviations expanded, "quận (Thanh Xuân)" dropped."""
    key = fold_key(text)
    key = _DISTRICT_TAIL.sub("", key)
    compact = key.replace(" ", "")
    if compact in _UNIT_ABBREVIATIONS:
        key = _UNIT_ABBREVIATIONS[compact]
    for pattern, long_form in _UNIT_WORDS:
        key = re.sub(pattern, long_form, key)
    return re.sub(r"\s+", " ", key).strip()


def _tokens(key: str) -> frozenset[str]:
    return frozenset(_FILLER_WORDS.sub(" ", key).split())


def match_unit(text: str, unit_names: Sequence[str]) -> UnitMatch:
    """Return the plan unit ``text`` names, tolerating abbreviations; offer candidates if unsure."""
    key = unit_key(text)
    if not key:
        return UnitMatch(None)
    keys = {name: unit_key(name) for name in unit_names}
    exact = [name for name, k in keys.items() if k == key or _tokens(k) == _tokens(key)]
    if len(exact) == 1:
        return UnitMatch(exact[0], tuple(exact))
    if exact:
        return UnitMatch(None, tuple(exact), ambiguous=True)
    if key.startswith(_WARD_UNIT):
        # "UBND phường Nhân Chính" is one of the plan's "Ủy ban nhân dân các phường".
        wards = [name for name, k in keys.items() if k.startswith(_ALL_WARDS_UNIT)]
        if len(wards) == 1:
            return UnitMatch(wards[0], tuple(wards))
    words = _tokens(key)
    inside = [name for name, k in keys.items() if words <= _tokens(k) or _tokens(k) <= words]
    if len(inside) == 1:
        return UnitMatch(inside[0], tuple(inside))
    if inside:
        return UnitMatch(None, tuple(inside), ambiguous=True)
    near = difflib.get_close_matches(key, list(keys.values()), n=3, cutoff=_CLOSE_ENOUGH)
    by_key = {k: name for name, k in keys.items()}
    return UnitMatch(None, tuple(by_key[k] for k in near))
