"""Roll-up figures kept current in the same transaction as each approval or recording.

A contribution is a set of quantities keyed by (top category, subcategory); it is added to
the figure of every jurisdiction from the one it happened in up to the country. Reads then
sum a handful of ``StatFigure`` rows and never scan items or reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection

from ipex.directory.models import Jurisdiction
from ipex.seizures.models import Category, FigureSource, StatFigure, StatTotal

Key = tuple[str, str]  # (top category code, subcategory code or "")


def contributions_from_items(items: Iterable[tuple[Category, int]]) -> Counter[Key]:
    """Seized items: a subcategory counts towards its top category and as a detail row."""
    totals: Counter[Key] = Counter()
    for category, quantity in items:
        top = category.top
        totals[(top.code, "")] += quantity
        if top.pk != category.pk:
            totals[(top.code, category.code)] += quantity
    return totals


def contributions_from_lines(lines: Iterable[tuple[Category, int]]) -> Counter[Key]:
    """Report lines: a top-level line is that category's figure; subcategory lines are
    detail, and make up the figure only when the top-level line is missing (validation has
    made sure both agree when both are present)."""
    tops: dict[str, int] = {}
    children: Counter[Key] = Counter()
    for category, quantity in lines:
        if category.parent_id:
            children[(category.top.code, category.code)] += quantity
        else:
            tops[category.code] = quantity
    totals: Counter[Key] = Counter(children)
    for (top_code, _sub), quantity in children.items():
        if top_code not in tops:
            totals[(top_code, "")] += quantity
    for code, quantity in tops.items():
        totals[(code, "")] += quantity
    return totals


def _chain(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    return [*Jurisdiction.objects.get_ancestors(jurisdiction), jurisdiction]


def _add(model, key: dict, delta: int) -> None:
    """One upsert: insert the figure, or add to it when it exists (SQLite ≥ 3.24 and
    PostgreSQL share the ``ON CONFLICT … DO UPDATE`` syntax)."""
    meta = model._meta
    columns, values = [], []
    for name, value in key.items():
        field = meta.get_field(name)
        columns.append(field.column)
        values.append(value.pk if hasattr(value, "pk") else value)
    unique = next(c for c in meta.constraints if c.name.startswith("unique_stat"))
    target = ", ".join(meta.get_field(f).column for f in unique.fields)
    table = connection.ops.quote_name(meta.db_table)
    # Identifiers come from the model's metadata; every value is a query parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, quantity) "
        f"VALUES ({', '.join(['%s'] * len(values))}, %s) "
        f"ON CONFLICT ({target}) DO UPDATE SET quantity = {table}.quantity + excluded.quantity"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, delta])


def apply(
    *,
    source: FigureSource,
    year: int,
    quarter: int,
    month: int,
    jurisdiction: Jurisdiction,
    org_kind: str,
    contributions: Counter[Key],
    sign: int = 1,
) -> None:
    """Add (sign=1) or remove (sign=-1) contributions; call inside the writing transaction."""
    for area in _chain(jurisdiction):
        for (category, subcategory), quantity in contributions.items():
            if not quantity:
                continue
            common = {
                "source": source,
                "year": year,
                "jurisdiction": area,
                "depth": area.depth,
                "category": category,
                "subcategory": subcategory,
            }
            _add(
                StatFigure,
                {**common, "quarter": quarter, "month": month, "org_kind": org_kind},
                sign * quantity,
            )
            _add(StatTotal, common, sign * quantity)


def period_of(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "quarter": (day.month - 1) // 3 + 1, "month": day.month}
