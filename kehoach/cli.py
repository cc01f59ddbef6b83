"""Command line: every job that makes sense without the UI (`python -m kehoach --help`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.cli_parser import KehoachParser
from kehoach.domain.errors import DomainError
from kehoach.i18n import t

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kehoach.domain.permissions import Actor

Handler = Callable[[argparse.Namespace], int]


def _engine() -> Engine:
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

    print(t("cli.assets", path=install_assets()))
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
        print(t("cli.demo_removed", n=clear_demo(engine, args.campaign)))
    else:
        print(t("cli.demo_added", n=load_demo(engine, campaign_id=args.campaign)))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure the map, coverage, page rerun and updates with N synthetic sites; print figures."""
    from tools.bench import run_bench

    result = run_bench(args.sites, browser=args.browser, postgres=args.postgres)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


# --- sites: import, list and export the summary table (biểu tổng hợp) ---------------------

PROGRESS_MIN_ROWS = 1000


def _cli_actor(engine: Engine, username: str | None) -> Actor:
    """Return the acting user: the named account, else a system administrator named 'cli'."""
    from sqlalchemy import select

    from kehoach.db.engine import read_session
    from kehoach.db.models import User
    from kehoach.domain.enums import Role
    from kehoach.domain.permissions import Actor
    from kehoach.services.auth import UnknownOrDisabled, load_actor

    if not username:
        return Actor(None, "cli", Role.ADMIN)
    with read_session(engine) as s:
        user_id = s.scalar(select(User.id).where(User.username == username.strip()))
    actor = load_actor(engine, user_id) if user_id is not None else None
    if actor is None:
        raise UnknownOrDisabled(f"user {username} (unknown or disabled)", name=username)
    return actor


def _print_progress(done: int, total: int) -> None:
    """Show how many rows were checked, on stderr, for large files only."""
    if total >= PROGRESS_MIN_ROWS:
        end = "\n" if done >= total else ""
        print(
            "\r" + t("table.cli.progress", done=done, total=total),
            end=end,
            file=sys.stderr,
            flush=True,
        )


def cmd_sites_import(args: argparse.Namespace) -> int:
    """Import a summary table (.xlsx/.csv); if any row is rejected nothing is stored (exit 1)."""
    from kehoach.adapters.summary_table import TableError
    from kehoach.domain.enums import ChangeSource
    from kehoach.services.site_import import import_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError:
        print(f"Lỗi: {t('table.cli.unreadable', path=path)}", file=sys.stderr)
        return 1
    engine = _engine()
    actor = _cli_actor(engine, args.user)
    try:
        report = import_file(
            engine,
            actor,
            data,
            path.name,
            dry_run=args.dry_run,
            on_progress=_print_progress,
            source=ChangeSource.CLI,
            campaign_id=args.campaign,
        )
    except TableError as exc:
        print(f"Lỗi: {t(exc.code, **exc.params)}", file=sys.stderr)
        return 1
    if report.problems:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(t("table.cli.rejected", n=len(report.problems)), file=sys.stderr)
        return 1
    key = "table.cli.dry_run" if args.dry_run else "table.cli.done"
    added = report.to_add if args.dry_run else report.added
    print(t(key, added=added, total=report.total_rows, skipped=report.skipped_existing))
    for update in report.updated:  # rows of an edited export: what changed on which site
        print(t("import.changed_fields", code=update.code, fields=", ".join(update.changes)))
    return 0


def cmd_sites_list(args: argparse.Namespace) -> int:
    """List every site (with --json: one JSON array of objects with GeoJSON geometry)."""
    from kehoach.services.site_export import export_site_records

    engine = _engine()
    records = export_site_records(engine, _cli_actor(engine, None), campaign_id=args.campaign)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    for r in records:
        print("\t".join(str(r[k] or "") for k in ("code", "kind", "status", "ward", "street")))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print corridor coverage per street, for the plan streets and the district."""
    from kehoach.services.coverage_figures import coverage_figures

    figures = coverage_figures(_engine(), campaign_id=args.campaign)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    rows = [*figures["streets"], {"name": "*", **figures["plan_streets"]}]
    for row in [*rows, {"name": "=", **figures["district"]}]:
        percent = "" if row["percent"] is None else f"{row['percent']:.1f}"
        print(f"{row['name']}\t{row['corridor_m']:.0f}\t{row['covered_m']:.0f}\t{percent}")
    return 0


def cmd_sites_export(args: argparse.Namespace) -> int:
    """Write the summary table to --out (.xlsx or .csv by suffix)."""
    from kehoach.adapters.summary_table import write_table
    from kehoach.services.site_export import export_sites

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        print(f"Lỗi: {t('table.cli.bad_suffix', path=out)}", file=sys.stderr)
        return 2
    engine = _engine()
    rows = export_sites(
        engine, _cli_actor(engine, None), include_demo=args.include_demo,
        campaign_id=args.campaign,
    )  # fmt: skip
    out.write_bytes(write_table(rows, fmt))
    print(t("table.cli.exported", n=len(rows), path=out))
    return 0


# --- report: the district's monthly report (.docx) and the summary table (.xlsx) -----------


def _write_document(
    args: argparse.Namespace, suffix: str, build: Callable[[Engine, Actor], bytes]
) -> int:
    """Build a document for ``--user`` and write it to ``--out`` (which must end in ``suffix``).

    Say where it went, and warn on stderr when demo sites are in it.
    """
    from kehoach.services.reports import demo_count

    out = Path(args.out)
    if out.suffix.lower() != suffix:
        print(f"Lỗi: {t('report.cli.bad_suffix', path=out, suffix=suffix)}", file=sys.stderr)
        return 2
    engine = _engine()
    data = build(engine, _cli_actor(engine, args.user))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(t("report.cli.written", path=out, kb=max(1, len(data) // 1024)))
    demo = 0 if args.exclude_demo else demo_count(engine, args.campaign)
    if demo:
        print(t("report.cli.demo", n=demo), file=sys.stderr)
    return 0


def cmd_report_monthly(args: argparse.Namespace) -> int:
    """Write the district's monthly report (Word, Decree 30 layout) to --out."""
    from kehoach.services.reports import monthly_report_docx

    return _write_document(args, ".docx", lambda engine, actor: monthly_report_docx(
        engine, actor, args.month, include_demo=not args.exclude_demo, campaign_id=args.campaign,
        dated=args.date,
    ))  # fmt: skip


def cmd_report_summary(args: argparse.Namespace) -> int:
    """Write the summary table of sites (.xlsx, the columns the import reads) to --out."""
    from kehoach.services.reports import summary_table_xlsx

    return _write_document(args, ".xlsx", lambda engine, actor: summary_table_xlsx(
        engine, actor, include_demo=not args.exclude_demo, campaign_id=args.campaign
    ))  # fmt: skip


def cmd_photos_reconcile(_args: argparse.Namespace) -> int:
    """Finish photo renames a crash interrupted and delete photo files no row refers to."""
    from kehoach.services.inspections import reconcile_photo_files

    report = reconcile_photo_files(_engine())
    print(t("photos.reconciled", promoted=report.promoted, removed=report.removed))
    return 0


def cmd_locate(args: argparse.Namespace) -> int:
    """Locate a position text on the district's streets and places; print how it was read."""
    from kehoach.services.locate import locate

    location = locate(_engine(), args.text)
    if args.json:
        print(json.dumps(location.as_dict(), ensure_ascii=False, indent=2))
        return 0
    line = location.explanation
    if location.ward:
        line += "; " + t("locate.cli.ward", ward=location.ward)
    print(line)
    return 0


# --- scale and safety: backup, restore, load test ----------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up DATABASE_URL to --out (SQLite online backup API, or pg_dump custom format)."""
    from kehoach.config import get_settings
    from kehoach.services.backup import BackupError, backup_database

    try:
        report = backup_database(get_settings().database_url, Path(args.out))
    except BackupError as exc:
        print(f"Lỗi: {t(exc.code, **exc.params)}", file=sys.stderr)
        return 1
    kb = max(1, report.size_bytes // 1024)
    print(t("backup.done", backend=report.backend, revision=report.revision, path=report.path,
            kb=kb))  # fmt: skip
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into DATABASE_URL after checking it; refuse a target with data."""
    from kehoach.config import get_settings
    from kehoach.services.backup import BackupError, restore_database

    try:
        report = restore_database(get_settings().database_url, Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"Lỗi: {t(exc.code, **exc.params)}", file=sys.stderr)
        return 1
    upgraded = t("backup.upgraded") if report.upgraded else ""
    print(t("backup.restored", backend=report.backend, path=report.path,
            revision=report.revision, upgraded=upgraded))  # fmt: skip
    if report.safety_copy is not None:
        print(t("backup.safety_copy", path=report.safety_copy))
    return 0


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Run the bounded load test on a scratch database next to DATABASE_URL; print figures."""
    from kehoach.config import get_settings
    from tools.loadtest import run_load_test, scratch_database

    with scratch_database(args.server or get_settings().database_url) as url:
        result = run_load_test(url, users=args.users, seconds=args.seconds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    if result["errors"] or result["lost_updates"]:
        print(t("loadtest.failed", errors=result["errors"], lost=result["lost_updates"]),
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with one subcommand per job."""
    parser = KehoachParser(prog="python -m kehoach", description=t("app.title"))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help=t("cli.help.init"))
    from kehoach.config import DEFAULT_PLAN_FILE

    p.add_argument("--plan", default=str(DEFAULT_PLAN_FILE), help=t("cli.help.init.plan"))
    p.add_argument("--no-plan", action="store_true", help=t("cli.help.init.no_plan"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("assets", help=t("cli.help.assets"))
    p.set_defaults(handler=cmd_assets)

    plan = sub.add_parser("plan", help=t("cli.help.plan")).add_subparsers(
        dest="plan_cmd", required=True
    )
    p = plan.add_parser("parse", help=t("cli.help.plan.parse"))
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan_parse)

    from kehoach.cli_campaigns import add_campaign_commands, add_campaign_option

    users = sub.add_parser("user", help=t("cli.help.user")).add_subparsers(
        dest="user_cmd", required=True
    )
    from kehoach.cli_users import add_user_commands

    add_user_commands(users)

    p = sub.add_parser("demo", help=t("cli.help.demo"))
    p.add_argument("--clear", action="store_true")
    add_campaign_option(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("bench", help=t("cli.help.bench"))
    p.add_argument("--sites", type=int, default=20000)
    p.add_argument("--browser", action="store_true", help=t("cli.help.bench.browser"))
    p.add_argument("--postgres", action="store_true",
                   help=t("cli.help.bench.postgres"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_bench)
    sites = sub.add_parser("sites", help=t("cli.help.sites")).add_subparsers(
        dest="sites_cmd", required=True
    )
    p = sites.add_parser("import", help=t("cli.help.sites.import"))
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.sites.dry_run"))
    p.add_argument("--user", help=t("cli.help.user_option"))
    add_campaign_option(p)
    p.set_defaults(handler=cmd_sites_import)
    p = sites.add_parser("list", help=t("cli.help.sites.list"))
    p.add_argument("--json", action="store_true")
    add_campaign_option(p)
    p.set_defaults(handler=cmd_sites_list)
    p = sub.add_parser("coverage", help=t("cli.help.coverage"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--campaign", type=int, help=t("cli.help.coverage.campaign"))
    p.set_defaults(handler=cmd_coverage)
    p = sites.add_parser("export", help=t("cli.help.sites.export"))
    p.add_argument("--out", required=True, help=t("cli.help.sites.export.out"))
    p.add_argument("--include-demo", action="store_true", help=t("cli.help.sites.export.demo"))
    add_campaign_option(p)
    p.set_defaults(handler=cmd_sites_export)
    report = sub.add_parser(
        "report", help=t("cli.help.report")).add_subparsers(dest="report_cmd", required=True)
    p = report.add_parser("monthly", help=t("cli.help.report.monthly"))
    p.add_argument("--month", required=True, help=t("cli.help.month"))
    p.add_argument("--out", required=True, help=t("cli.help.out.docx"))
    p.add_argument("--exclude-demo", action="store_true", help=t("cli.help.exclude_demo"))
    p.add_argument("--user", help=t("cli.help.user_option"))
    p.add_argument("--date", type=date.fromisoformat, help=t("cli.help.report.date"))  # fmt: skip
    add_campaign_option(p)
    p.set_defaults(handler=cmd_report_monthly)
    p = report.add_parser("summary", help=t("cli.help.report.summary"))
    p.add_argument("--out", required=True, help=t("cli.help.out.xlsx"))
    p.add_argument("--exclude-demo", action="store_true", help=t("cli.help.exclude_demo"))
    p.add_argument("--user", help=t("cli.help.user_option"))
    add_campaign_option(p)
    p.set_defaults(handler=cmd_report_summary)
    from kehoach.cli_reports import add_report_commands

    add_report_commands(report, p)
    add_campaign_commands(sub)
    photos = sub.add_parser("photos", help=t("cli.help.photos")).add_subparsers(
        dest="photos_cmd", required=True
    )
    p = photos.add_parser("reconcile", help=t("cli.help.photos.reconcile"))
    p.set_defaults(handler=cmd_photos_reconcile)
    p = sub.add_parser("locate", help=t("cli.help.locate"))
    p.add_argument("text", help=t("cli.help.locate.text"))
    p.add_argument("--json", action="store_true", help=t("cli.help.locate.json"))
    p.set_defaults(handler=cmd_locate)
    p = sub.add_parser("backup", help=t("cli.help.backup"))
    p.add_argument("--out", required=True, help=t("cli.help.backup.out"))
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help=t("cli.help.restore"))
    p.add_argument("file", help=t("cli.help.restore.file"))
    p.add_argument("--force", action="store_true", help=t("cli.help.restore.force"))
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("loadtest", help=t("cli.help.loadtest"))
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--server", help=t("cli.help.loadtest.server"))  # fmt: skip
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_loadtest)
    from kehoach.cli_inspections import add_inspection_commands

    add_inspection_commands(sub)
    return parser


def _database_initialised() -> bool | None:
    """Tell whether DATABASE_URL has the app's schema; None when it cannot be reached."""
    from sqlalchemy import inspect

    try:
        engine = _engine()
        try:
            return inspect(engine).has_table("alembic_version")
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - any failure here means "cannot tell"
        return None


def _error_message(exc: BaseException) -> str:
    """Return the one Vietnamese line that explains ``exc`` (never a traceback)."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    if isinstance(exc, DomainError):
        # The catalogue's sentence only: ``detail`` is the English note for logs and tests.
        return t(exc.code, **exc.params)
    if isinstance(exc, OSError):
        path = exc.filename if exc.filename is not None else ""
        return t("cli.os_error", path=path, reason=exc.strerror or exc)
    first_line = (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0]
    if isinstance(exc, ArgumentError):
        return t("cli.bad_database_url", reason=first_line)
    if isinstance(exc, SQLAlchemyError):
        if _database_initialised() is False:
            return t("cli.not_initialised")
        return t("cli.database_error", reason=first_line)
    return t("cli.unexpected", kind=type(exc).__name__, reason=first_line)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every error becomes one Vietnamese line and a non-zero exit."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI's one place that turns errors into text
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        print(f"Lỗi: {_error_message(exc)}", file=sys.stderr)
        return 2 if isinstance(exc, DomainError) else 1
