"""Keeping the compliance statistics current: a body's year contributes its devices and
compliant devices to its jurisdiction and every one above it, to its kind of body, and per
product family (devices with a product of the family installed, and those covered). A
reconciliation takes its old contribution off and adds the new one, in its transaction."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import F, Sum

from ipex.compliance.figures import ComplianceFigure, Dimension
from ipex.compliance.models import AuditedBody, BodyCompliance, ProductCompliance
from ipex.directory.models import Jurisdiction

Contribution = dict[tuple[str, str], tuple[int, int]]


def places_of(body: AuditedBody) -> list[str]:
    """The codes of the body's jurisdiction and of every one above it, the country first."""
    jurisdiction = body.organisation.jurisdiction
    return [j.code for j in [*Jurisdiction.objects.get_ancestors(jurisdiction), jurisdiction]]


def contribution(body: AuditedBody, year: int, places: list[str]) -> Contribution:
    """What the body's kept figures for the year add to the statistics (``places``: its
    :func:`places_of`)."""
    kept = BodyCompliance.objects.filter(body=body, year=year).first()
    if kept is None:
        return {}
    families = (
        ProductCompliance.objects.filter(body=body, year=year)
        .values("product__family")
        .annotate(on=Sum("installed"), covered=Sum(F("installed") - F("shortfall")))
    )
    return made(
        body,
        places,
        (kept.devices, kept.compliant_devices),
        {row["product__family"]: (row["on"], row["covered"]) for row in families},
    )


def made(
    body: AuditedBody,
    places: list[str],
    figures: tuple[int, int],
    families: dict[str, tuple[int, int]],
) -> Contribution:
    """What figures (devices, compliant devices) and, per product family, (devices with it,
    devices covered) add to the statistics."""
    result = {(Dimension.BODY_KIND.value, body.body_kind): figures}
    for code in places:
        result[(Dimension.JURISDICTION.value, code)] = figures
    for family, on_and_covered in families.items():
        result[(Dimension.FAMILY.value, family)] = on_and_covered
    return result


def apply(country: str, year: int, before: Contribution, after: Contribution) -> None:
    """Move the country's figures by the difference between the two contributions."""
    delta: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for sign, part in ((-1, before), (1, after)):
        for key, (devices, compliant) in part.items():
            delta[key][0] += sign * devices
            delta[key][1] += sign * compliant
    changed = sorted((key, move) for key, move in delta.items() if any(move))
    if not changed:
        return
    moves = [(country, year, dimension, key, *move) for (dimension, key), move in changed]
    # One statement: each figure made where it is missing, else moved; in key order, so that
    # two reconciliations lock the figures they share in the same order.
    q = connection.ops.quote_name
    table = q(ComplianceFigure._meta.db_table)
    keys = ", ".join(q(c) for c in ("country", "year", "dimension", "key"))
    devices, compliant = q("devices"), q("compliant_devices")
    marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(moves))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({keys}, {devices}, {compliant}) VALUES {marks} "  # noqa: S608
            f"ON CONFLICT ({keys}) DO UPDATE SET "
            f"{devices} = {table}.{devices} + excluded.{devices}, "
            f"{compliant} = {table}.{compliant} + excluded.{compliant}",
            [value for move in moves for value in move],
        )
