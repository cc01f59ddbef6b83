"""Command line for offline inspection packs: `python -m kehoach inspections pack|import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from kehoach.cli import _cli_actor, _engine
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



def add_inspection_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `inspections pack` and `inspections import`."""
    inspections = sub.add_parser(
        "inspections", help="offline inspection packs: make one, import its results"
    ).add_subparsers(dest="inspections_cmd", required=True)
    p = inspections.add_parser("pack", help="write an offline pack (one HTML file)")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--ward", help="ward code (GSO), e.g. 00367")
    scope.add_argument("--street", help="street name, e.g. 'Đường Nguyễn Trãi'")
    scope.add_argument("--near", help="LON,LAT of the circle's centre (with --radius)")
    p.add_argument("--radius", type=float, help="metres around --near")
    p.add_argument("--out", required=True, help="output .html file")
    p.add_argument("--user", help="acting user name (default: system administrator 'cli')")
    p.add_argument("--campaign", type=int, help="campaign id (default: the newest running one)")
    p.set_defaults(handler=cmd_inspections_pack)
    p = inspections.add_parser("import", help="record a pack's results file(s)")
    p.add_argument("files", nargs="+", help="results file(s) exported by the pack")
    p.add_argument("--user", required=True, help="the inspector the results are recorded for")
    p.add_argument("--confirm", nargs="*", metavar="UUID", help="apply these conflicts anyway")
    p.set_defaults(handler=cmd_inspections_import)
