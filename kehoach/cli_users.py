"""Command line for managing accounts: `python -m kehoach user disable|enable|passwd|role|unlock`.

Each command acts as a system administrator (the person at the server's shell) through the
account services, so the same rules apply as anywhere else.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from kehoach.cli_parser import KehoachParser
from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.i18n import label, t

if TYPE_CHECKING:
    from sqlalchemy import Engine

CLI_ADMIN = Actor(None, "cli", Role.ADMIN)


def _engine() -> Engine:
    from kehoach.db.engine import make_engine

    return make_engine()


def read_new_password() -> str | None:
    """Read a password from stdin (twice on a terminal); None when the two do not match."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != password:
        return None
    return password


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from standard input (twice on a terminal)."""
    from kehoach.services.auth import add_user

    password = read_new_password()
    if password is None:
        print(f"Lỗi: {t('user.cli.mismatch')}", file=sys.stderr)
        return 2
    actor = add_user(_engine(), args.name, password, Role(args.role), args.ward, unit=args.unit)
    role = label(actor.role)
    if actor.unit_name:
        print(t("user.cli.created_unit", name=actor.username, role=role, unit=actor.unit_name))
    else:
        print(t("user.cli.created", name=actor.username, role=role))
    return 0


def cmd_user_list(_args: argparse.Namespace) -> int:
    """List accounts with their role and ward or unit."""
    from kehoach.services.auth import list_users

    for username, role, where in list_users(_engine()):
        print(f"{username}\t{role}\t{where or ''}")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    """Disable an account; the user is signed out on their next click."""
    from kehoach.services.auth import set_user_active

    set_user_active(_engine(), CLI_ADMIN, args.name, active=False)
    print(t("user.cli.disabled", name=args.name))
    return 0


def cmd_user_enable(args: argparse.Namespace) -> int:
    """Enable a disabled account."""
    from kehoach.services.auth import set_user_active

    set_user_active(_engine(), CLI_ADMIN, args.name, active=True)
    print(t("user.cli.enabled", name=args.name))
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a new password read from standard input (twice on a terminal)."""
    from kehoach.services.auth import set_password

    password = read_new_password()
    if password is None:
        print(f"Lỗi: {t('user.cli.mismatch')}", file=sys.stderr)
        return 2
    set_password(_engine(), CLI_ADMIN, args.name, password)
    print(t("user.cli.password_set", name=args.name))
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    """Change an account's role (and ward, for a ward officer)."""
    from kehoach.services.auth import set_role

    set_role(_engine(), CLI_ADMIN, args.name, Role(args.role), args.ward, unit=args.unit)
    print(t("user.cli.role_set", name=args.name, role=label(Role(args.role))))
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    """Clear an account's failed sign-ins so the next try is not delayed."""
    from kehoach.services.auth import unlock_user

    unlock_user(_engine(), CLI_ADMIN, args.name)
    print(t("user.cli.unlocked", name=args.name))
    return 0


def add_user_commands(users: argparse._SubParsersAction[KehoachParser]) -> None:
    """Register the account-management subcommands under `user`."""
    roles = [r.value for r in Role]
    unit_help = t("cli.help.user.unit")
    p = users.add_parser("add", help=t("cli.help.user.add"))
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=roles)
    p.add_argument("--ward", help=t("cli.help.user.ward"))
    p.add_argument("--unit", help=unit_help)
    p.set_defaults(handler=cmd_user_add)
    p = users.add_parser("list", help=t("cli.help.user.list"))
    p.set_defaults(handler=cmd_user_list)
    for name, handler, text in (
        ("disable", cmd_user_disable, t("cli.help.user.disable")),
        ("enable", cmd_user_enable, t("cli.help.user.enable")),
        ("passwd", cmd_user_passwd, t("cli.help.user.passwd")),
        ("unlock", cmd_user_unlock, t("cli.help.user.unlock")),
    ):
        p = users.add_parser(name, help=text)
        p.add_argument("name")
        p.set_defaults(handler=handler)
    p = users.add_parser("role", help=t("cli.help.user.role"))
    p.add_argument("name")
    p.add_argument("role", choices=roles)
    p.add_argument("--ward", help=t("cli.help.user.ward"))
    p.add_argument("--unit", help=unit_help)
    p.set_defaults(handler=cmd_user_role)
