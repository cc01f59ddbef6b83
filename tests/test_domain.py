"""Pure domain rules: names, transitions, filters and KPI figures."""

import pandas as pd
import pytest

from kehoach.domain.enums import SiteStatus, can_transition
from kehoach.domain.sites import SiteFilter, compute_kpis, empty_sites, filter_sites
from kehoach.domain.text import name_key, ward_key
from kehoach.escape import escape_html, escape_html_many, escape_markdown, json_for_script


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đường Khuất Duy Tiến", "khuất duy tiến"),
        ("Phố Hoàng Đạo Thuý", "Hoàng Đạo Thúy"),
        ("Phố Nguỵ Như Kon Tum", "ngụy như kon  tum"),
        ("Phố Nhân Hoà", "NHÂN HÒA"),
    ],
)
def test_name_key_tolerates_prefix_case_tone_placement(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_ward_key() -> None:
    assert ward_key("Phường Khương Đình") == ward_key("khuong dinh") == "khuong dinh"


def test_transitions() -> None:
    assert can_transition(SiteStatus.PLANNED, SiteStatus.INSTALLING)
    assert can_transition(SiteStatus.NEEDS_FIX, SiteStatus.INSTALLED)
    assert not can_transition(SiteStatus.REMOVED, SiteStatus.INSTALLED)
    assert not can_transition(SiteStatus.INSTALLING, SiteStatus.NEEDS_FIX)


def _sites() -> pd.DataFrame:
    rows = [
        dict(
            id=1,
            status="installed",
            kind="panel",
            ward_id=1,
            street_id=5,
            flags_expected=10,
            flags_hung=8,
            is_demo=True,
        ),
        dict(
            id=2,
            status="planned",
            kind="flag_line",
            ward_id=2,
            street_id=5,
            flags_expected=20,
            flags_hung=0,
            is_demo=True,
        ),
        dict(
            id=3,
            status="removed",
            kind="panel",
            ward_id=2,
            street_id=6,
            flags_expected=4,
            flags_hung=4,
            is_demo=False,
        ),
    ]
    frame = empty_sites()
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)


def test_filter_and_kpis() -> None:
    sites = _sites()
    assert list(filter_sites(sites, SiteFilter(ward_ids=(2,)))["id"]) == [2, 3]
    assert list(filter_sites(sites, SiteFilter(street_ids=(5,), kinds=("panel",)))["id"]) == [1]
    kpis = compute_kpis(sites)
    assert kpis.total == 3
    assert kpis.by_status["installed"] == 1 and kpis.by_status["removed"] == 1
    assert (kpis.flags_hung, kpis.flags_expected) == (8, 30)  # removed site excluded
    assert kpis.demo == 2
    assert compute_kpis(empty_sites()).total == 0


def test_escape_helpers() -> None:
    assert (
        escape_html("<b>`${x}`</b>\\") == "&lt;b&gt;&#x60;&#x24;&#x7B;x&#x7D;&#x60;&lt;/b&gt;&#x5C;"
    )
    assert "</script>" not in json_for_script({"n": "</script>"})
    assert escape_markdown("**x**") == "\\*\\*x\\*\\*"


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["Pa-nô <b>&amp;</b>", "", "`${x}` 'q' \"d\" \\", "Khương Đình & Hạ Đình"],
        ["a\x00b", "<c>"],  # a text holding the joining character: escaped one by one
    ],
)
def test_escape_many_matches_escape_one_by_one(texts: list[str]) -> None:
    assert escape_html_many(texts) == [escape_html(text) for text in texts]


def test_history_values_read_as_words() -> None:
    from kehoach.i18n import history_value

    assert history_value("status", "needs_fix") == "Cần khắc phục"
    assert history_value("inspection", "pass #12") == "Đạt (#12)"
    assert history_value("note", None) == "—"
    assert history_value("note", "<b>") == "<b>"  # escaped later by the markdown helper


def test_local_today_is_the_hanoi_day_not_the_utc_day() -> None:
    from datetime import UTC, date, datetime

    from kehoach.domain.clock import local_today

    assert local_today(datetime(2024, 10, 1, 16, 59, tzinfo=UTC)) == date(2024, 10, 1)
    assert local_today(datetime(2024, 10, 1, 17, 0, tzinfo=UTC)) == date(2024, 10, 2)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_today(datetime(2024, 10, 1, 17, 30))
