"""The seizure figures as an open dataset (``ipex.core.registry.OpenDataset``): a year's
quantities seized by jurisdiction and top-level category, from approved reports, for the
countries whose national bulletin of that year is published."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ipex.core.registry import OpenDataset
from ipex.directory.models import Jurisdiction
from ipex.seizures.bulletin import TOP_CATEGORIES
from ipex.seizures.models import Bulletin, FigureSource, StatTotal

_ORDER = {code: index for index, code in enumerate(TOP_CATEGORIES)}


def seizure_rows(year: int) -> list[dict]:
    """One row per jurisdiction and category with a figure, countries first, then by code."""
    countries = Bulletin.objects.filter(year=year, withdrawn_at__isnull=True).values_list(
        "country__path", flat=True
    )
    areas: dict[int, dict] = {}
    for path in countries:
        below = Jurisdiction.objects.filter(path__startswith=path)
        for area in below.values("pk", "code", "name_en", "level", "depth"):
            areas[area["pk"]] = area
    totals = StatTotal.objects.filter(
        source=FigureSource.REPORTS, year=year, subcategory="", jurisdiction_id__in=list(areas)
    ).values_list("jurisdiction_id", "category", "quantity")
    rows = [
        {
            "year": year,
            "jurisdiction": areas[pk]["code"],
            "jurisdiction_name": areas[pk]["name_en"],
            "level": areas[pk]["level"],
            "category": category,
            "quantity": int(quantity),
            "_order": (areas[pk]["depth"], areas[pk]["code"], _ORDER.get(category, 99), category),
        }
        for pk, category, quantity in totals
        if quantity
    ]
    rows.sort(key=lambda row: row.pop("_order"))
    return rows


SEIZURES = OpenDataset(
    name="seizures",
    title=_("Seizures by year, jurisdiction and category"),
    description=_(
        "Quantities of pirated items seized, by jurisdiction (the country and the areas "
        "below it) and top-level category, from approved period reports, as published in "
        "the national bulletin of the year."
    ),
    fields=(
        ("year", "integer", _("Year")),
        ("jurisdiction", "string", _("Jurisdiction code")),
        ("jurisdiction_name", "string", _("Jurisdiction (English)")),
        ("level", "string", _("Level")),
        ("category", "string", _("Category")),
        ("quantity", "integer", _("Quantity seized")),
    ),
    rows=seizure_rows,
    trigger="bulletin",
    keywords=("copyright", "piracy", "seizures", "statistics"),
    primary_key=("year", "jurisdiction", "category"),
)
