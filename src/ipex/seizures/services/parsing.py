"""Parsing of user input shared by seizures, reports and imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.seizures.models import (
    Category,
    Disposition,
    Method,
    Unit,
)

EARLIEST = dt.date(1990, 1, 1)
# the allowed values as sets: ``Choices.values`` builds a new list on every access
METHODS = frozenset(Method.values)
UNITS = frozenset(Unit.values)
DISPOSITIONS = frozenset(Disposition.values)
MAX_VALUE = Decimal(10) ** 14  # SeizedItem.value_amount: 16 digits, 2 after the point
CENT = Decimal("0.01")


class ValueProblem(StrEnum):
    """What can be wrong with an item's value (``parse_value``); each caller words them its
    way."""

    AMOUNT_NOT_A_NUMBER = "amount_not_a_number"
    AMOUNT_NOT_FINITE = "amount_not_finite"
    AMOUNT_TOO_LARGE = "amount_too_large"
    AMOUNT_DECIMALS = "amount_decimals"
    AMOUNT_NEGATIVE = "amount_negative"
    CURRENCY_MISSING = "currency_missing"
    CURRENCY_INVALID = "currency_invalid"


# ---------------------------------------------------------------- parsing helpers


def parse_quantity(value, errors: list, *, label: str) -> int | None:
    """A whole number ≥ 0; '1,000' and ' 12 ' are accepted, '1.5', '-3' and 'abc' are not."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip().replace(",", "").replace(" ", "")
        if text == "":
            errors.append(_("%(label)s: a quantity is required.") % {"label": label})
            return None
        try:
            decimal = Decimal(text)
        except InvalidOperation:
            errors.append(
                _("%(label)s: '%(value)s' is not a number.") % {"label": label, "value": value}
            )
            return None
        if decimal != decimal.to_integral_value():
            errors.append(
                _("%(label)s: quantities are whole numbers, not %(value)s.")
                % {"label": label, "value": value}
            )
            return None
        number = int(decimal)
    if number < 0:
        errors.append(_("%(label)s: a quantity cannot be negative.") % {"label": label})
        return None
    if number > 10**15:
        errors.append(_("%(label)s: the quantity is implausibly large.") % {"label": label})
        return None
    return number


def parse_date(value, errors: list, *, label: str, future: bool = False) -> dt.date | None:
    """A date of something that happened (not in the future), or with ``future`` a date
    something is due."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            errors.append(
                _("%(label)s: '%(value)s' is not a date (use YYYY-MM-DD).")
                % {"label": label, "value": value}
            )
            return None
    if day > timezone.localdate() and not future:
        errors.append(
            _("%(label)s: the date %(value)s is in the future.")
            % {"label": label, "value": day.isoformat()}
        )
        return None
    if day < EARLIEST:
        errors.append(
            _("%(label)s: the date %(value)s is too far in the past.")
            % {"label": label, "value": day.isoformat()}
        )
        return None
    return day


def category_on(
    code: str, day: dt.date, errors: list, *, label: str, cache: dict | None = None
) -> Category | None:
    key = (str(code or "").strip().lower(), day)
    if cache is not None and key in cache:
        found = cache[key]
    else:
        found = Category.objects.valid_on(day).filter(code=key[0]).select_related("parent").first()
        if cache is not None:
            cache[key] = found
    if found is None:
        errors.append(_("%(label)s: unknown category '%(code)s'.") % {"label": label, "code": code})
    return found


# ---------------------------------------------------------------- item and seizure rules
#
# Shared by the seizure services (form and API) and the file import. They return the value
# (or what is wrong with it) and leave the wording to the caller: the import names the
# column, the services the item line. Stripping and case-folding of raw text is the
# caller's too.


def parse_method(value) -> str | None:
    """The seizure's method, or None when it is not one of ``Method``."""
    try:
        return value if value in METHODS else None
    except TypeError:  # unhashable: not a method either
        return None


def parse_unit(value) -> str | None:
    """The item's unit, ``items`` when blank, or None when it is not one of ``Unit``."""
    unit = value or Unit.ITEMS
    try:
        return unit if unit in UNITS else None
    except TypeError:
        return None


def parse_disposition(value) -> str | None:
    """What became of the item, ``confiscated`` when blank, or None when it is not one of
    ``Disposition``."""
    disposition = value or Disposition.CONFISCATED
    try:
        return disposition if disposition in DISPOSITIONS else None
    except TypeError:
        return None


def parse_value(amount, currency: str) -> tuple[Decimal | None, list[ValueProblem]]:
    """An item's estimated value: (the amount, None when it is blank or wrong; the problems).

    A blank amount is no value. An amount is a number ('1,500.00' is accepted), finite, not
    negative, below ``MAX_VALUE``, with at most two decimals, and needs a currency (missing
    only counts once the amount reads as a number); a currency, given with or without an
    amount, is three ASCII letters (upper case is the caller's). The problems are among
    ``ValueProblem``, in that order.
    """
    problems: list[ValueProblem] = []
    value = None
    if amount not in (None, ""):
        try:
            number = Decimal(str(amount).replace(",", ""))
        except InvalidOperation:
            problems.append(ValueProblem.AMOUNT_NOT_A_NUMBER)
        else:
            if not number.is_finite():
                problems.append(ValueProblem.AMOUNT_NOT_FINITE)
            elif abs(number) >= MAX_VALUE:
                problems.append(ValueProblem.AMOUNT_TOO_LARGE)
            elif number != number.quantize(CENT):
                problems.append(ValueProblem.AMOUNT_DECIMALS)
            if number.is_finite() and number < 0:
                problems.append(ValueProblem.AMOUNT_NEGATIVE)
            if not problems:
                value = number
            if not currency:
                problems.append(ValueProblem.CURRENCY_MISSING)
    if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        problems.append(ValueProblem.CURRENCY_INVALID)
    return value, problems


def in_jurisdiction(jurisdiction, organisation) -> bool:
    """Whether a place is in an organisation's jurisdiction (or is it)."""
    return jurisdiction.path.startswith(organisation.jurisdiction.path)
