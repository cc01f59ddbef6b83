"""Coverage widgets of the leader's home: the coverage tiles, the coverage map, the ward table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kehoach.adapters.coverage_layer import add_gaps
from kehoach.adapters.mapview import build_map
from kehoach.domain.progress import ReportStatus
from kehoach.i18n import format_percent, label, t
from kehoach.services import progress, views
from kehoach.services.coverage import CoverageReport, base_layers_with_coverage, gaps_geojson
from kehoach.services.flag_counts import WindowRef
from kehoach.ui import base_layers, engine, map_options
from kehoach.ui.formats import km, with_dashes
from kehoach.ui.maps import show_map

MAP_HEIGHT = 520
ROW_HEIGHT = 35  # st.dataframe's row height: the ward table shows all 11 wards unscrolled
SHARE_COLUMNS = ("installed_share", "passed_share", "route_coverage")


def coverage_tiles(report: CoverageReport) -> None:
    """Show the coverage tiles: district, main streets, registered routes, gaps."""
    district = report.district
    cols = st.columns(4)
    cols[0].metric(
        t("leader.kpi.district"),
        format_percent(district.share),
        t("leader.kpi.of_km", done=km(district.covered_m), total=km(district.length_m)),
        delta_color="off",
        delta_arrow="off",
        help=t("leader.kpi.district_help"),
    )
    cols[1].metric(
        t("leader.kpi.main"),
        format_percent(district.main_share),
        t("leader.kpi.of_km", done=km(district.main_covered_m), total=km(district.main_length_m)),
        delta_color="off",
        delta_arrow="off",
    )
    routes_detail = (
        t(
            "leader.kpi.of_km",
            done=km(district.routes_covered_m),
            total=km(district.routes_length_m),
        )
        if district.routes_length_m
        else t("leader.kpi.no_routes")
    )
    cols[2].metric(
        t("leader.kpi.routes"),
        format_percent(district.routes_share),
        routes_detail,
        delta_color="off",
        delta_arrow="off",
    )
    gaps, gaps_m = views.gap_totals(report.in_scope)
    cols[3].metric(
        t("leader.kpi.gaps"),
        gaps,
        t("leader.kpi.gaps_km", total=km(gaps_m)),
        delta_color="off",
        delta_arrow="off",
        help=t("leader.kpi.gaps_help"),
    )


def coverage_map(report: CoverageReport, sites: pd.DataFrame, ward_id: int | None) -> None:
    """Show streets coloured by coverage, gaps dashed red, sites; focus a ward if chosen."""
    focus = progress.ward_bounds(engine()).get(ward_id) if ward_id else None
    shown = report.in_scope
    base = base_layers_with_coverage(engine(), shown, base=base_layers())
    options = map_options(height=MAP_HEIGHT, focus_bounds=focus, show_places=False)
    fmap = add_gaps(build_map(base, sites, options), gaps_geojson(shown))
    # A leader reads the map: no click, pan or zoom reruns the page.
    show_map(fmap, f"leader-map-{ward_id or 0}", MAP_HEIGHT)
    st.caption(t("leader.map_hint"))


def _ward_rows(table: pd.DataFrame) -> pd.DataFrame:
    view = table.copy()
    view["done"] = [
        f"{done}/{total}" for done, total in zip(view["installed"], view["sites"], strict=True)
    ]
    view["flags"] = [
        f"{hung}/{expected}" if expected else "—"
        for hung, expected in zip(view["flags_hung"], view["flags_expected"], strict=True)
    ]
    view["routes_text"] = [
        f"{n} · {km(length * 1000)} km" if n else "—"
        for n, length in zip(view["routes"], view["routes_km"], strict=True)
    ]
    view["report"] = [label(ReportStatus(status)) for status in view["report_status"]]
    for column in SHARE_COLUMNS:
        view[column] = view[column].astype(float) * 100
    return view


def _window_columns(
    view: pd.DataFrame, windows: Sequence[WindowRef], share: dict[str, Any]
) -> dict[str, Any]:
    """Return one rate column per flag window (in percent, like the other shares)."""
    config: dict[str, Any] = {}
    for window in windows:
        if window.column not in view:
            continue
        view[window.column] = pd.to_numeric(view[window.column]) * 100
        dates = {"start": window.start_on.strftime("%d/%m"), "end": window.end_on.strftime("%d/%m")}
        config[window.column] = st.column_config.ProgressColumn(
            t("leader.col.flag_window", **dates), help=t("leader.col.flag_window_help", **dates),
            **share,
        )  # fmt: skip
    return config


def ward_table(table: pd.DataFrame, key: str, windows: Sequence[WindowRef] = ()) -> None:
    """Show the ward progress table; a selected row is kept in the session under ``key``.

    ``windows`` (the campaign's flag windows) adds each window's flag rate per ward.
    """
    view = _ward_rows(table)
    column = st.column_config
    share: dict[str, Any] = {
        "format": "%.0f%%",
        "min_value": 0,
        "max_value": 100,
        "color": "auto",
        "width": 70,
    }
    config = {
        "ward": column.TextColumn(t("leader.col.ward"), width=124),
        "routes_text": column.TextColumn(
            t("leader.col.routes"), help=t("leader.col.routes_help"), width=64
        ),
        "done": column.TextColumn(t("leader.col.done"), help=t("leader.col.done_help"), width=52),
        "installing": column.NumberColumn(
            t("leader.col.installing"), help=t("SiteStatus.installing"), width=58
        ),
        "planned": column.NumberColumn(
            t("leader.col.planned"), help=t("SiteStatus.planned"), width=64
        ),
        "needs_fix": column.NumberColumn(
            t("leader.col.needs_fix"), help=t("SiteStatus.needs_fix"), width=56
        ),
        "installed_share": column.ProgressColumn(
            t("leader.col.installed_share"), help=t("leader.col.installed_share_help"), **share
        ),
        "passed_share": column.ProgressColumn(
            t("leader.col.passed_share"), help=t("leader.col.passed_share_help"), **share
        ),
        "flags": column.TextColumn(
            t("leader.col.flags"), help=t("leader.col.flags_help"), width=56
        ),
        **_window_columns(view, windows, share),
        "route_coverage": column.ProgressColumn(
            t("leader.col.route_coverage"), help=t("leader.col.route_coverage_help"), **share
        ),
        "report": column.TextColumn(
            t("leader.col.report"), help=t("leader.col.report_help"), width=88
        ),
    }
    st.dataframe(
        with_dashes(view),
        column_order=list(config),
        column_config=config,
        hide_index=True,
        width="stretch",
        height=ROW_HEIGHT * (len(view) + 1) + 3,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
