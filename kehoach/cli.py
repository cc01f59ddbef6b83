"""Command line: every job that makes sense without the UI (`python -m kehoach --help`)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kehoach.domain.errors import DomainError
from kehoach.i18n import t

Handler = Callable[[argparse.Namespace], int]


def _engine():  # type: ignore[no-untyped-def]
    from kehoach.db.engine import make_engine

    return make_engine()


def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the database and load geodata and the plan."""
    from kehoach.services.bootstrap import init_database

    plan = None if args.no_plan else Path(args.plan)
    report = init_database(_engine(), plan_file=plan)
    print(report.summary())
    return 0


def cmd_assets(_args: argparse.Namespace) -> int:
    """Copy Leaflet's files into static/vendor so the app needs no CDN."""
    from kehoach.adapters.assets import install_assets

    print(f"assets in {install_assets()}")
    return 0


def cmd_plan_parse(args: argparse.Namespace) -> int:
    """Parse a plan file (.txt/.docx) and print what was found."""
    from kehoach.adapters.geodata import load_geodata
    from kehoach.adapters.plan_parser import main_parse_cli

    names = list(load_geodata().streets["name"])
    return main_parse_cli(args.file, as_json=args.json, street_names=names)


def cmd_demo(args: argparse.Namespace) -> int:
    """Load (or with --clear remove) the demo set generated along the real streets."""
    from kehoach.services.demo import clear_demo, load_demo

    engine = _engine()
    if args.clear:
        print(f"removed {clear_demo(engine)} demo sites (dữ liệu mẫu)")
    else:
        print(f"added {load_demo(engine)} demo sites (dữ liệu mẫu)")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure map building and drawing with N synthetic sites; print figures."""
    from kehoach.bench import run_bench

    result = run_bench(args.sites, browser=args.browser)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from standard input (twice on a terminal)."""
    from kehoach.domain.enums import Role
    from kehoach.services.auth import add_user

    if sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            print("Lỗi: hai lần nhập mật khẩu không khớp.", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    actor = add_user(_engine(), args.name, password, Role(args.role), args.ward)
    print(f"created user {actor.username} ({actor.role.value})")
    return 0


def cmd_user_list(_args: argparse.Namespace) -> int:
    """List accounts with their role and ward."""
    from kehoach.services.auth import list_users

    for username, role, ward in list_users(_engine()):
        print(f"{username}\t{role}\t{ward or ''}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with one subcommand per job."""
    parser = argparse.ArgumentParser(prog="python -m kehoach", description=t("app.title"))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create/upgrade the database and load data")
    from kehoach.config import DEFAULT_PLAN_FILE

    p.add_argument("--plan", default=str(DEFAULT_PLAN_FILE), help="plan file to import")
    p.add_argument("--no-plan", action="store_true", help="do not import a plan")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("assets", help="install Leaflet's files for offline maps")
    p.set_defaults(handler=cmd_assets)

    plan = sub.add_parser("plan", help="plan documents").add_subparsers(
        dest="plan_cmd", required=True
    )
    p = plan.add_parser("parse", help="parse a plan (.txt or .docx)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan_parse)

    from kehoach.domain.enums import Role

    users = sub.add_parser("user", help="accounts").add_subparsers(dest="user_cmd", required=True)
    p = users.add_parser("add", help="create an account (password from stdin)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--ward", help="GSO ward code, required for ward_officer (e.g. 00343)")
    p.set_defaults(handler=cmd_user_add)
    p = users.add_parser("list", help="list accounts")
    p.set_defaults(handler=cmd_user_list)

    p = sub.add_parser("demo", help="load or clear the demo set (dữ liệu mẫu)")
    p.add_argument("--clear", action="store_true")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("bench", help="benchmark with synthetic sites")
    p.add_argument("--sites", type=int, default=20000)
    p.add_argument("--browser", action="store_true", help="also time headless Chromium")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; domain errors become one Vietnamese line and exit code 2."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except DomainError as exc:
        print(f"Lỗi: {t(exc.code, **exc.params)} {exc.detail}".strip(), file=sys.stderr)
        return 2
