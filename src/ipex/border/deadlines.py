"""Deadlines counted in working days on each country's calendar, from the maintained
``holidays`` package: public holidays are not working days, and weekend days made working
days (China's adjusted working days, 调休) are."""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError


def known_calendars() -> set[str]:
    return set(holidays.list_supported_countries()) | set(holidays.list_supported_financial())


@lru_cache(maxsize=32)
def calendar(code: str):
    """The calendar of a country (ISO code) or a market (e.g. XECB for the euro area's
    TARGET days); it grows to the years asked of it."""
    if code in holidays.list_supported_countries():
        return holidays.country_holidays(code)
    if code in holidays.list_supported_financial():
        return holidays.financial_holidays(code)
    raise DomainError(
        _("Unknown working-day calendar: %(code)s.") % {"code": code},
        fields={"calendar": [_("Give a country code (CN, RU, DE…) or a market such as XECB.")]},
        code="unknown_calendar",
    )


def is_working_day(code: str, day: dt.date) -> bool:
    return calendar(code).is_working_day(day)


def add_working_days(code: str, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (the day of the notification itself does
    not count, whatever it is): the calendar's working days of the years around ``start``,
    read once from ``holidays`` and kept in order, then a binary search."""
    if days < 1:
        raise ValueError("days must be at least 1")
    table = _working_days(code, start.year)
    ordinal = start.toordinal()
    index = bisect.bisect_right(table, ordinal) + days - 1
    if index >= len(table):  # past the years kept (a very long rule): ask the calendar
        return calendar(code).get_nth_working_day(start, days)
    return dt.date.fromordinal(table[index])


@lru_cache(maxsize=256)
def _working_days(code: str, year: int) -> tuple[int, ...]:
    """The ordinals of the working days from 1 January of ``year`` to the end of the next."""
    days = calendar(code)
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year + 1, 12, 31).toordinal()
    return tuple(n for n in range(first, last + 1) if days.is_working_day(dt.date.fromordinal(n)))


# The rules a node starts with (node administrators change them):
# - CN: Regulations of the PRC on Customs Protection of Intellectual Property Rights — the
#   holder answers within 3 working days of the notification, with a guarantee; no extension.
# - RU: EAEU Customs Code art. 384 — release suspended for 10 working days, extendable by up
#   to 10 more at the holder's request.
# - EU: Regulation (EU) No 608/2013 art. 23 — 10 working days, extendable by up to 10; counted
#   here on the euro area's TARGET calendar (a member state's own calendar may be set instead).
DEFAULT_RULES = (
    {"country": "CN", "calendar": "CN", "working_days": 3, "guarantee_required": True},
    {
        "country": "RU",
        "calendar": "RU",
        "working_days": 10,
        "extension_allowed": True,
        "extension_days": 10,
    },
    {
        "country": "EU",
        "calendar": "XECB",
        "working_days": 10,
        "extension_allowed": True,
        "extension_days": 10,
    },
)


def seed_rules(model) -> None:
    """The default rules, where the node has none for the country yet."""
    for rule in DEFAULT_RULES:
        model.objects.get_or_create(country=rule["country"], defaults=rule)
