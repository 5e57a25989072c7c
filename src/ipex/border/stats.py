"""Figures of detentions: by direction, route, category and outcome, and the share of
detentions under a recorded right. Statisticians, supervisors and node administrators count
every detention of the node (aggregates carry no consignee); anybody else the detentions
they may see."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from ipex.border.models import Detention, Direction, Outcome
from ipex.core.errors import refuse_if
from ipex.seizures.models import Category
from ipex.seizures.queries import can_read_record_figures

BY = ("direction", "route", "category", "outcome")


def detentions_for(user):
    if can_read_record_figures(user):
        return Detention.objects.live()
    return Detention.objects.visible_to(user)


def _check(country: str, year, by: str) -> tuple[str, int]:
    errors = {}
    country = (country or "").strip().upper()
    if not country or len(country) > 8 or not country.isalpha():
        errors["country"] = [_("Give a country code, e.g. CN.")]
    if not isinstance(year, int) or not 1 <= year <= 9999:
        errors["year"] = [_("Give the year as a number, e.g. 2012.")]
    if by not in BY:
        errors["by"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(BY)}]
    refuse_if(errors, _("The statistics request is not valid."))
    return country, year


def detention_stats(user, *, country: str, year, by: str = "outcome") -> dict:
    """``{"country", "year", "by", "detentions", "with_recordation", "recorded_share",
    "rows": [{"key", "name", "detentions", "quantity"}]}``; the share is a fraction (0 to 1)."""
    country, year = _check(country, year, by)
    rows = detentions_for(user).filter(country=country, notified_on__year=year)
    ids = list(rows.values_list("pk", flat=True))
    total = len(ids)
    ex_officio = Detention.objects.filter(pk__in=ids, ex_officio=True).count()
    return {
        "country": country,
        "year": year,
        "by": by,
        "detentions": total,
        "with_recordation": total - ex_officio,
        "recorded_share": round((total - ex_officio) / total, 4) if total else 0.0,
        "rows": ROWS[by](Detention.objects.filter(pk__in=ids)),
    }


def _choices(rows, field: str, choices) -> list[dict]:
    counts = dict(rows.values_list(field).annotate(n=Count("pk")))
    names = {"": _("Open"), **dict(choices)}
    return [
        {"key": key, "name": str(names.get(key, key)), "detentions": n, "quantity": None}
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _by_route(rows) -> list[dict]:
    counts: dict[str, int] = {}
    for route in rows.values_list("route", flat=True):
        key = "-".join(route or []) or "—"
        counts[key] = counts.get(key, 0) + 1
    return [
        {"key": key, "name": key.replace("-", " → "), "detentions": n, "quantity": None}
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _by_category(rows) -> list[dict]:
    figures = (
        rows.values_list("lines__category")
        .annotate(n=Count("pk", distinct=True), quantity=Sum("lines__quantity"))
        .exclude(lines__category=None)
    )
    names = {c.pk: c for c in Category.objects.filter(pk__in=[f[0] for f in figures])}
    out = [
        {"key": names[pk].code, "name": names[pk].name, "detentions": n, "quantity": quantity}
        for pk, n, quantity in figures
    ]
    return sorted(out, key=lambda r: (-r["quantity"], r["key"]))


ROWS = {
    "direction": lambda rows: _choices(rows, "direction", Direction.choices),
    "route": _by_route,
    "category": _by_category,
    "outcome": lambda rows: _choices(rows, "outcome", Outcome.choices),
}
