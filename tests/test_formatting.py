"""The one set of Vietnamese number formatters and the decimal parser (kehoach.i18n)."""

from __future__ import annotations

import pytest

from kehoach.domain.errors import InvalidInput
from kehoach.i18n import (
    format_length,
    format_money,
    format_number,
    format_percent,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1234, 0, "1.234"),
        (1234567, 0, "1.234.567"),
        (1234.56, 1, "1.234,6"),
        (105.8, 2, "105,80"),
        (-1234.4, 0, "-1.234"),
        (-0.4, 0, "0"),  # no "-0"
    ],
)
def test_numbers_use_dot_groups_and_comma_decimals(value, decimals, expected) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("share", "decimals", "expected"),
    [(0, 0, "0%"), (0.256, 0, "26%"), (0.2567, 1, "25,7%"), (1, 0, "100%"), (None, 0, "—")],
)
def test_percent_of_a_share(share, decimals, expected) -> None:
    assert format_percent(share, decimals) == expected


@pytest.mark.parametrize(
    ("metres", "expected"),
    [
        (0, "0 m"),
        (850.4, "850 m"),
        (999.4, "999 m"),
        (999.6, "1,0 km"),  # rounds to 1000 m: shown in km, never "1.000 m"
        (1234, "1,2 km"),
        (12345.6, "12,3 km"),
        (1_234_567, "1.234,6 km"),
    ],
)
def test_length_in_metres_then_kilometres(metres, expected) -> None:
    assert format_length(metres) == expected


def test_money_in_dong() -> None:
    assert format_money(1_234_000) == "1.234.000 đ"
    assert format_money(0) == "0 đ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("105,8", 105.8),
        ("105.8", 105.8),
        (" 20,9987 ", 20.9987),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("-3", -3.0),
        ("1\u00a0234,5", 1234.5),
    ],
)
def test_decimals_typed_either_way(text, expected) -> None:
    assert parse_decimal(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity", "1e999", "abc", "", "1,2,3"])
def test_non_numbers_and_non_finite_numbers_are_refused(text) -> None:
    with pytest.raises(InvalidInput):
        parse_decimal(text)


def test_no_amount_or_length_shows_a_dash() -> None:
    assert format_money(None) == "—"
    assert format_money(float("nan")) == "—"  # an empty cell of a table
    assert format_length(None) == "—"
