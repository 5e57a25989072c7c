"""The item rules shared by the seizure services and the file import: one function each, the
wording left to the caller."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipex.seizures.services.parsing import (
    ValueProblem,
    parse_disposition,
    parse_method,
    parse_unit,
    parse_value,
)


@pytest.mark.parametrize(
    ("amount", "currency", "value"),
    [
        ("", "", None),
        (None, "CNY", None),
        ("6000", "CNY", Decimal("6000")),
        ("1,500.25", "USD", Decimal("1500.25")),
        (Decimal("12.50"), "EUR", Decimal("12.50")),
        ("99999999999999.99", "CNY", Decimal("99999999999999.99")),
    ],
)
def test_a_good_value_is_read(amount, currency, value):
    assert parse_value(amount, currency) == (value, [])


@pytest.mark.parametrize(
    ("amount", "currency", "problems"),
    [
        ("lots", "CNY", [ValueProblem.AMOUNT_NOT_A_NUMBER]),
        ("1 000.50", "CNY", [ValueProblem.AMOUNT_NOT_A_NUMBER]),
        ("NaN", "CNY", [ValueProblem.AMOUNT_NOT_FINITE]),
        ("100000000000000", "CNY", [ValueProblem.AMOUNT_TOO_LARGE]),
        ("12.345", "CNY", [ValueProblem.AMOUNT_DECIMALS]),
        ("-5", "CNY", [ValueProblem.AMOUNT_NEGATIVE]),
        ("-1.234", "CNY", [ValueProblem.AMOUNT_DECIMALS, ValueProblem.AMOUNT_NEGATIVE]),
        ("12", "", [ValueProblem.CURRENCY_MISSING]),
        ("12.345", "", [ValueProblem.AMOUNT_DECIMALS, ValueProblem.CURRENCY_MISSING]),
        ("12", "YUAN", [ValueProblem.CURRENCY_INVALID]),
        ("", "C1Y", [ValueProblem.CURRENCY_INVALID]),
        ("12", "ÀBC", [ValueProblem.CURRENCY_INVALID]),
    ],
)
def test_a_bad_value_names_its_problems(amount, currency, problems):
    assert parse_value(amount, currency)[1] == problems


def test_blank_unit_and_disposition_take_their_defaults():
    assert (parse_unit(""), parse_unit(None), parse_unit("discs")) == ("items", "items", "discs")
    assert parse_disposition("") == "confiscated"
    assert parse_disposition("destroyed") == "destroyed"


@pytest.mark.parametrize(
    ("rule", "value"),
    [(parse_unit, "pallets"), (parse_disposition, "sold"), (parse_method, "teleport")],
)
def test_an_unknown_choice_is_none(rule, value):
    assert rule(value) is None
    assert rule(value.upper()) is None  # case-folding is the caller's
