"""Command line for campaigns: `python -m kehoach campaign new|list|close`, and `--campaign`.

Every command that reads or writes a campaign's data takes ``--campaign ID``; without it the
services work on the newest running campaign.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_date, label, t

CLI_ADMIN = Actor(None, "cli", Role.ADMIN)


def _engine() -> Engine:
    from kehoach.db.engine import make_engine

    return make_engine()


def add_campaign_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--campaign ID`` (default: the newest running campaign) to a command."""
    parser.add_argument(
        "--campaign", type=int, default=None,
        help=t("cli.help.campaign_option"),
    )  # fmt: skip


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} is not a YYYY-MM-DD date", field=name) from exc


def cmd_campaign_new(args: argparse.Namespace) -> int:
    """Create a campaign from a plan file, optionally copying positions from another."""
    from kehoach.services.campaign_start import CopyFilters, start_campaign

    started = start_campaign(
        _engine(), CLI_ADMIN, args.name,
        plan_file=Path(args.plan), occasion=args.occasion,
        start=_day(args.start, "start"), end=_day(args.end, "end"),
        copy_from=args.copy_from,
        filters=CopyFilters(ward_code=args.ward, street_name=args.street, kind=args.kind),
    )  # fmt: skip
    campaign = started.campaign
    if args.json:
        print(json.dumps({**campaign.as_dict(), "copied": started.copied}, ensure_ascii=False))
    else:
        print(t("campaign.cli.created", id=campaign.id, name=campaign.name,
                state=label(campaign.state), start=format_date(campaign.start),
                end=format_date(campaign.end), copied=started.copied))  # fmt: skip
    return 0


def cmd_campaign_list(args: argparse.Namespace) -> int:
    """List campaigns, newest first (with --json: a JSON list of objects)."""
    from kehoach.services.campaigns import list_campaigns

    found = list_campaigns(_engine())
    if args.json:
        print(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2))
        return 0
    for c in found:
        print(f"{c.id}\t{c.state.value}\t{c.start.isoformat()}\t{c.end.isoformat()}\t{c.name}")
    return 0


def cmd_campaign_close(args: argparse.Namespace) -> int:
    """Close a campaign: its sites become read-only."""
    from kehoach.services.campaigns import close_campaign

    campaign = close_campaign(_engine(), CLI_ADMIN, args.id)
    print(t("campaign.cli.closed", id=campaign.id, name=campaign.name))
    return 0


def add_campaign_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``campaign`` command group to the top-level parser."""
    from kehoach.domain.enums import SiteKind

    campaign = sub.add_parser("campaign", help=t("cli.help.campaign")).add_subparsers(
        dest="campaign_cmd", required=True
    )
    p = campaign.add_parser("new", help=t("cli.help.campaign.new"))
    p.add_argument("--plan", required=True, help=t("cli.help.campaign.plan"))
    p.add_argument("--name", help=t("cli.help.campaign.name"))
    p.add_argument("--occasion", help=t("cli.help.campaign.occasion"))
    p.add_argument("--start", help=t("cli.help.campaign.start"))
    p.add_argument("--end", help=t("cli.help.campaign.end"))
    p.add_argument("--from", dest="copy_from", type=int, help=t("cli.help.campaign.from"))
    p.add_argument("--ward", help=t("cli.help.campaign.ward"))
    p.add_argument("--street", help=t("cli.help.campaign.street"))
    p.add_argument("--kind", choices=[k.value for k in SiteKind], help=t("cli.help.campaign.kind"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_campaign_new)
    p = campaign.add_parser("list", help=t("cli.help.campaign.list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_campaign_list)
    p = campaign.add_parser("close", help=t("cli.help.campaign.close"))
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_campaign_close)
