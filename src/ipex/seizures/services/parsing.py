"""Parsing of user input shared by seizures, reports and imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.seizures.models import (
    Category,
)

EARLIEST = dt.date(1990, 1, 1)

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


def parse_date(value, errors: list, *, label: str) -> dt.date | None:
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
    if day > timezone.localdate():
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
