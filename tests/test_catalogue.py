"""Every catalogue key the code uses, and every domain error, has a Vietnamese message."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import pytest

from kehoach.domain import enums, errors, inspection, progress
from kehoach.i18n import VI

ROOT = Path(__file__).resolve().parent.parent
# A literal that names an error message anywhere in the code (raised, refused, shown).
ERROR_KEY = re.compile(r"error(\.[a-z0-9_]+)+")


def _sources() -> list[Path]:
    return sorted(
        [*(ROOT / "kehoach").rglob("*.py"), *(ROOT / "app_pages").glob("*.py"), ROOT / "app.py"]
    )


def _is_t(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "t") or (
        isinstance(func, ast.Attribute) and func.attr == "t"
    )


def catalogue_keys_used(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Yield (line, key) for every literal key passed to ``t(...)`` and every error-key literal."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_t(node) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and ERROR_KEY.fullmatch(node.value)
        ):
            yield node.lineno, node.value


def _missing(source: str) -> list[str]:
    return [
        f"line {line}: {key}"
        for line, key in catalogue_keys_used(ast.parse(source))
        if not VI.get(key, "").strip()
    ]


def test_every_key_used_in_the_code_has_a_vietnamese_message() -> None:
    found = 0
    missing = []
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        found += sum(1 for _ in catalogue_keys_used(ast.parse(source)))
        missing += [f"{path.relative_to(ROOT)} {m}" for m in _missing(source)]
    assert found > 300  # the scan really reads the code
    assert missing == []


def test_the_scan_catches_a_key_missing_from_the_catalogue() -> None:
    source = "\n".join(
        ["from kehoach.i18n import t", 't("home.kpi.sites")', 't("no.such.key", n=1)']
        + ['x = "error.no_such"']
    )
    assert _missing(source) == ["line 3: no.such.key", "line 4: error.no_such"]


def _error_classes() -> list[type[errors.DomainError]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.DomainError)
    ]


@pytest.mark.parametrize("error", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_domain_error_has_a_vietnamese_message(error: type[errors.DomainError]) -> None:
    assert VI.get(error.code, "").strip(), error.code


def _domain_enums() -> list[type[Enum]]:
    found = []
    for module in (enums, progress, inspection):
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Enum) and cls.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("kind", _domain_enums(), ids=lambda cls: cls.__name__)
def test_every_domain_enum_member_has_a_vietnamese_label(kind: type[Enum]) -> None:
    # A change's source is shown in the history as "history.source.<value>", not by label().
    key = "history.source.{}" if kind is enums.ChangeSource else kind.__name__ + ".{}"
    assert [m.value for m in kind if not VI.get(key.format(m.value), "").strip()] == []
