"""Command line for unit reports: `python -m kehoach report submit`, and the printed summary.

``report submit`` sends a unit's or ward's monthly report from a Markdown file written
under the plan's headings ("1. Kết quả thực hiện", …), as the operator (``--user``, default
the system administrator); the headings are parsed into the report's sections.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Engine

from kehoach.i18n import t


def _unit_and_ward(engine: Engine, args: argparse.Namespace) -> tuple[int | None, int | None]:
    """Find the unit (by name, diacritics ignored) or the ward (by code) the report is for."""
    from sqlalchemy import select

    from kehoach.db.engine import read_session
    from kehoach.db.models import Ward
    from kehoach.domain.errors import NotFound
    from kehoach.domain.text import name_key
    from kehoach.services.reports import reporting_units

    units = reporting_units(engine, args.campaign)
    if args.ward:
        with read_session(engine) as s:
            ward_id = s.scalar(select(Ward.id).where(Ward.code == args.ward.strip()))
        match = next((u for u in units if ward_id is not None and u.ward_id == ward_id), None)
        if match is None:
            raise NotFound(f"ward {args.ward}")
        return match.unit_id, match.ward_id
    wanted = name_key(args.unit)
    match = next((u for u in units if u.ward_id is None and wanted in name_key(u.unit)), None)
    if match is None:
        raise NotFound(f"unit {args.unit}")
    return match.unit_id, None


def cmd_report_submit(args: argparse.Namespace) -> int:
    """Submit a unit's or ward's monthly report from a Markdown file."""
    from kehoach.cli import _cli_actor, _engine
    from kehoach.i18n import label
    from kehoach.services.reports import submit_monthly_report

    engine = _engine()
    actor = _cli_actor(engine, args.user)
    body = Path(args.file).read_text(encoding="utf-8")
    unit_id, ward_id = _unit_and_ward(engine, args)
    done = submit_monthly_report(
        engine, actor, args.month, body, unit_id, ward_id, campaign_id=args.campaign
    )
    name = t("report.ward_row", ward=done.ward) if done.ward else done.unit
    status = label(done.status)
    print(t("report.cli.submitted", month=args.month, name=name, status=status))
    return 0


def cmd_report_summary_printed(args: argparse.Namespace) -> int:
    """Write the summary table to --out: printed and signed, or importable (--importable)."""
    from kehoach.cli import _write_document, cmd_report_summary
    from kehoach.services.reports import printed_summary_xlsx

    if args.importable:
        return cmd_report_summary(args)
    return _write_document(args, ".xlsx", lambda engine, actor: printed_summary_xlsx(
        engine, actor, include_demo=not args.exclude_demo, campaign_id=args.campaign,
        dated=args.date,
    ))  # fmt: skip


def add_report_commands(
    report: argparse._SubParsersAction, summary: argparse.ArgumentParser
) -> None:
    """Add `report submit`, and make `report summary` write the printed table by default."""
    from datetime import date

    from kehoach.cli_campaigns import add_campaign_option

    summary.add_argument("--importable", action="store_true",
                         help=t("cli.help.report.importable"))  # fmt: skip
    summary.add_argument("--date", type=date.fromisoformat, help=t("cli.help.report.table_date"))
    summary.set_defaults(handler=cmd_report_summary_printed)
    p = report.add_parser("submit", help=t("cli.help.report.submit"))
    p.add_argument("--month", required=True, help=t("cli.help.month"))
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help=t("cli.help.report.unit"))
    who.add_argument("--ward", help=t("cli.help.report.ward"))
    p.add_argument("--file", required=True, help=t("cli.help.report.file"))
    p.add_argument("--user", help=t("cli.help.user_option"))
    add_campaign_option(p)
    p.set_defaults(handler=cmd_report_submit)
