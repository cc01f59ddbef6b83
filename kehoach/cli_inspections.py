"""Command line for offline inspection packs: `python -m kehoach inspections pack|import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from kehoach.cli import _cli_actor, _engine
from kehoach.cli_parser import KehoachParser
from kehoach.i18n import t


def cmd_inspections_pack(args: argparse.Namespace) -> int:
    """Write an offline inspection pack (one HTML file) for a ward, a street or a circle."""
    from kehoach.domain.offline import BadPackArea
    from kehoach.services.inspections.offline import PackScope, make_pack

    near = None
    if args.near:
        lon, _, lat = args.near.partition(",")
        try:
            near = (float(lon), float(lat))
        except ValueError:
            raise BadPackArea("--near needs LON,LAT", field="near") from None
        if args.radius is None:
            raise BadPackArea("--near needs --radius", field="radius")
    scope = PackScope(args.ward, args.street, near, args.radius, campaign_id=args.campaign)
    engine = _engine()
    html, pack = make_pack(engine, _cli_actor(engine, args.user), scope)
    out = Path(args.out)
    out.write_text(html, encoding="utf-8")
    size = round(out.stat().st_size / 1_000_000, 2)
    print(t("offline.cli.packed", path=out, n=len(pack.sites), mb=size))
    return 0


def cmd_inspections_import(args: argparse.Namespace) -> int:
    """Record an offline pack's results files; conflicts are listed (exit 1) until confirmed."""
    from kehoach.services.inspections.offline import import_results

    engine = _engine()
    files = [Path(name).read_bytes() for name in args.files]
    report = import_results(engine, _cli_actor(engine, args.user), files, args.confirm or ())
    print(t("offline.cli.stored", n=len(report.stored)))
    if report.duplicates:
        print(t("offline.cli.duplicates", n=len(report.duplicates)))
    for c in report.conflicts:
        print(t("offline.cli.conflict", uuid=c.uuid, code=c.code, old=c.pack_version,
                new=c.current_version))  # fmt: skip
    for client_id, code, reason in report.failed:
        print(t("offline.cli.failed", uuid=client_id, code=code, reason=reason))
    return 1 if report.conflicts or report.failed else 0



def add_inspection_commands(sub: argparse._SubParsersAction[KehoachParser]) -> None:
    """Register `inspections pack` and `inspections import`."""
    inspections = sub.add_parser("inspections", help=t("cli.help.inspections")).add_subparsers(
        dest="inspections_cmd", required=True
    )
    p = inspections.add_parser("pack", help=t("cli.help.inspections.pack"))
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--ward", help=t("cli.help.inspections.ward"))
    scope.add_argument("--street", help=t("cli.help.inspections.street"))
    scope.add_argument("--near", help=t("cli.help.inspections.near"))
    p.add_argument("--radius", type=float, help=t("cli.help.inspections.radius"))
    p.add_argument("--out", required=True, help=t("cli.help.out.html"))
    p.add_argument("--user", help=t("cli.help.user_option"))
    p.add_argument("--campaign", type=int, help=t("cli.help.campaign_option"))
    p.set_defaults(handler=cmd_inspections_pack)
    p = inspections.add_parser("import", help=t("cli.help.inspections.import"))
    p.add_argument("files", nargs="+", help=t("cli.help.inspections.files"))
    p.add_argument("--user", required=True, help=t("cli.help.inspections.user"))
    p.add_argument("--confirm", nargs="*", metavar="UUID", help=t("cli.help.inspections.confirm"))
    p.set_defaults(handler=cmd_inspections_import)
