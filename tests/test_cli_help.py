"""The command line's help and its argument errors are Vietnamese, like the rest of the app."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from kehoach.cli import build_parser
from kehoach.cli_parser import translate_error
from tools.server import ROOT

# argparse's own English texts.
ARGPARSE_ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help")
# English words any help line of ours would contain (command and option names aside).
ENGLISH = re.compile(
    r"\b(the|and|or|of|to|from|with|for|an?|is|only|also|file|files|default|list|write|print)\b"
)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def _helps(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Yield the help text of every argument and sub-command of ``parser``."""
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action.help
        if isinstance(action, argparse._SubParsersAction):
            yield from (str(choice.help) for choice in action._choices_actions)


def test_every_commands_help_is_vietnamese() -> None:
    parsers = list(_parsers(build_parser()))
    assert len(parsers) > 30  # every command and sub-command, not just the top
    found = {}
    for parser in parsers:
        text = parser.format_help()
        assert text.startswith("cách dùng: ") and not ARGPARSE_ENGLISH.search(text)
        words = {m.group(0) for help_text in _helps(parser) for m in ENGLISH.finditer(help_text)}
        if words:
            found[parser.prog] = sorted(words)
    assert found == {}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sites", "export"], "thiếu tham số bắt buộc: --out"),
        (["user", "add", "an", "--role", "chief"], "tham số --role: giá trị «chief» không hợp lệ"),
        (["inspections", "pack", "--out", "x.html"], "cần một trong các tham số --ward"),
        (["init", "--bogus"], "không hiểu tham số: --bogus"),
        (["report", "monthly", "--month", "2024-10", "--out", "a.docx", "--date", "mai"],
         "tham số --date: giá trị «mai» không hợp lệ"),
    ],
)  # fmt: skip
def test_argument_errors_are_vietnamese(args: list[str], expected: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kehoach", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert expected in done.stderr and "lỗi:" in done.stderr
    assert "usage:" not in done.stderr and "error:" not in done.stderr


def test_an_unknown_error_shape_is_kept_as_argparse_wrote_it() -> None:
    assert translate_error("something new") == "something new"
    assert translate_error("argument --x: something new") == "tham số --x: something new"
