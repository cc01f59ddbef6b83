"""Pure rules over the table of sites: filtering and the figures the KPI tiles show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kehoach.domain.enums import Approval, SiteStatus

SITE_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "status",
    "approval",
    "is_demo",
    "lon",
    "lat",
    "geojson",
    "ward_id",
    "street_id",
    "unit_id",
    "flags_expected",
    "flags_hung",
)


@dataclass(frozen=True)
class SiteFilter:
    """What the user narrowed the map to; empty tuples mean 'all'."""

    ward_ids: tuple[int, ...] = ()
    street_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


def empty_sites() -> pd.DataFrame:
    """Return an empty site table with the expected columns."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in SITE_COLUMNS})


def filter_sites(sites: pd.DataFrame, flt: SiteFilter) -> pd.DataFrame:
    """Return the rows of ``sites`` that pass every non-empty criterion of ``flt``."""
    mask = pd.Series(True, index=sites.index)
    for column, wanted in (
        ("ward_id", flt.ward_ids),
        ("street_id", flt.street_ids),
        ("status", flt.statuses),
        ("kind", flt.kinds),
    ):
        if wanted:
            mask &= sites[column].isin(wanted)
    return sites[mask]


@dataclass(frozen=True)
class Kpis:
    """The figures of the KPI tiles."""

    total: int
    by_status: dict[str, int]
    flags_expected: int
    flags_hung: int
    demo: int
    rejected: int = 0  # rejected new sites: listed apart, in no other figure

    @property
    def flags_rate(self) -> float | None:
        """Share of expected flags that are hung, or None when none are expected."""
        return self.flags_hung / self.flags_expected if self.flags_expected else None


def live_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Drop rejected new sites: they were never part of the campaign's figures."""
    return sites[sites["approval"] != Approval.REJECTED.value] if len(sites) else sites


def compute_kpis(sites: pd.DataFrame) -> Kpis:
    """Count sites by status and sum flags (rejected sites apart; removed ones hang no flags).

    Every surface — the KPI tiles of the home and leader pages, the monthly report's
    figures — counts through this one function, so their numbers agree.
    """
    everything = sites
    sites = live_sites(sites)
    counts = sites["status"].value_counts().to_dict() if len(sites) else {}
    active = sites[sites["status"] != SiteStatus.REMOVED.value] if len(sites) else sites
    return Kpis(
        total=int(len(sites)),
        by_status={s.value: int(counts.get(s.value, 0)) for s in SiteStatus},
        flags_expected=int(active["flags_expected"].sum()) if len(active) else 0,
        flags_hung=int(active["flags_hung"].sum()) if len(active) else 0,
        demo=int(sites["is_demo"].astype(bool).sum()) if len(sites) else 0,
        rejected=int(len(everything) - len(sites)),
    )


@dataclass(frozen=True)
class Headline:
    """The figures leadership signs: sites, completed sites, days to the anniversary."""

    total: int
    completed: int
    days_to_anniversary: int | None  # negative once the day has passed; None without a date


def days_to(anniversary: date | None, today: date) -> int | None:
    """Return the days from ``today`` to the anniversary (negative after it), None without one."""
    return (anniversary - today).days if anniversary else None


def headline_figures(sites: pd.DataFrame, anniversary: date | None, today: date) -> Headline:
    """Return the headline figures of a site table (through ``compute_kpis``) on ``today``."""
    kpis = compute_kpis(sites)
    return Headline(
        kpis.total, kpis.by_status[SiteStatus.INSTALLED.value], days_to(anniversary, today)
    )
