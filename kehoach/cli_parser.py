"""The command line's argument parser, in Vietnamese like the rest of the app.

``argparse`` writes its own words in English: "usage:", the section titles, the ``-h`` help
and its error messages. This parser takes them from the catalogue instead; an error message
argparse builds is translated by its known shapes (an unknown shape is left as it is, still
behind the Vietnamese "lỗi:").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from kehoach.i18n import t

# argparse's error messages (Python 3.11), each with the catalogue text that replaces it.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"),
     lambda m: t("cli.arg.required", names=m["names"])),
    (re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     lambda m: t("cli.arg.invalid_choice", value=m["value"].strip("'"), choices=m["choices"])),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"),
     lambda m: t("cli.arg.unrecognized", names=m["names"])),
    (re.compile(r"expected one argument"), lambda m: t("cli.arg.expected_one")),
    (re.compile(r"expected at least one argument"), lambda m: t("cli.arg.expected_some")),
    (re.compile(r"invalid \S+ value: (?P<value>.+)"),
     lambda m: t("cli.arg.invalid_value", value=m["value"].strip("'"))),
    (re.compile(r"one of the arguments (?P<names>.+) is required"),
     lambda m: t("cli.arg.one_required", names=m["names"])),
    (re.compile(r"not allowed with argument (?P<other>.+)"),
     lambda m: t("cli.arg.not_allowed_with", other=m["other"])),
)  # fmt: skip
_ARGUMENT = re.compile(r"argument (?P<name>\S+): (?P<message>.+)", re.DOTALL)


def translate_error(message: str) -> str:
    """Return argparse's English error ``message`` in Vietnamese where its shape is known."""
    wrapped = _ARGUMENT.fullmatch(message)
    if wrapped:
        inner = translate_error(wrapped["message"])
        return t("cli.arg.argument", name=wrapped["name"], message=inner)
    for pattern, text in _ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text(found)
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    """Help text with a Vietnamese "usage:" prefix."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, t("cli.usage") if prefix is None else prefix)


class KehoachParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own texts and errors are Vietnamese (sub-commands too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # our own -h below, with a Vietnamese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.positionals")
        self._optionals.title = t("cli.options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=t("cli.help.help"))  # fmt: skip

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Vietnamese; exit with status 2, as argparse does."""
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.parse_error", prog=self.prog, message=translate_error(message)))
