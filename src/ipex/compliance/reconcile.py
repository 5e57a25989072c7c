"""The reconciliation of a body's year, kept in ``BodyCompliance`` and ``ProductCompliance``
and recomputed by the writes that change it (an inventory, an entitlement, a rule), inside
their transaction; reads never scan installs.

Per product: the devices with it installed; the licences valid on the reference date (a site
licence covers every device; a free or open-source product is covered by its licence); the
shortfall (installed − covered) and the surplus. Licences cover devices in the order of their
names, so which device is uncovered is the same at every computation. A device is compliant
when every commercial (or OEM) product installed on it is covered; installs no rule names
are counted apart, as unknown, and do not decide a device's compliance.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ipex.compliance import rollups
from ipex.compliance.models import (
    AuditedBody,
    BodyCompliance,
    Device,
    Entitlement,
    Install,
    Inventory,
    LicenceMetric,
    LicenceModel,
    Product,
    ProductCompliance,
    RawString,
)
from ipex.core.bulk import insert_rows


def reference_date(body: AuditedBody, year: int) -> dt.date:
    """The date of the year's latest inventory of the body, else the year's last day."""
    latest = Inventory.objects.filter(body=body, year=year).aggregate(day=Max("taken_on"))["day"]
    return latest or dt.date(year, 12, 31)


# One statement reads the body's installs once (``installed``): per product the devices with
# it installed and the licences valid on the day (a site licence or a free product covers
# every device), then the devices left uncovered once licences are given out in the order of
# the devices' names (binary order on every database), and the installs no rule names.
RECONCILIATION = """
WITH installed AS (
    SELECT r.product_id, r.rule_id, d.id AS device_id, d.name
    FROM {install} i
    JOIN {device} d ON d.id = i.device_id
    JOIN {raw} r ON r.id = i.raw_id
    WHERE d.body_id = %(body)s AND d.year = %(year)s
), held AS (
    SELECT DISTINCT product_id, device_id, name FROM installed WHERE product_id IS NOT NULL
), licences AS (
    SELECT product_id,
           SUM(CASE WHEN metric = %(site)s THEN 0 ELSE quantity END) AS held,
           MAX(CASE WHEN metric = %(site)s THEN 1 ELSE 0 END) AS site
    FROM {entitlement}
    WHERE body_id = %(body)s AND valid_from <= %(day)s
      AND (valid_to IS NULL OR valid_to >= %(day)s)
    GROUP BY product_id
), terms AS (
    SELECT p.id AS product_id, p.family, COALESCE(l.held, 0) AS held,
           COALESCE(l.site, 0) AS site,
           CASE WHEN p.licence_model = %(foss)s OR COALESCE(l.site, 0) = 1 THEN 1 ELSE 0 END
               AS free
    FROM {product} p LEFT JOIN licences l ON l.product_id = p.id
    WHERE p.id IN (SELECT product_id FROM held) OR p.id IN (SELECT product_id FROM licences)
), ranked AS (
    SELECT product_id, device_id,
           ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY name {collate}) AS n
    FROM held
)
SELECT t.product_id, COALESCE(c.installed, 0), t.held, t.site, t.free, t.family
FROM terms t
LEFT JOIN (SELECT product_id, COUNT(*) AS installed FROM held GROUP BY product_id) c
    ON c.product_id = t.product_id
UNION ALL
SELECT NULL,
       (SELECT COUNT(DISTINCT r.device_id) FROM ranked r
        JOIN terms t ON t.product_id = r.product_id WHERE t.free = 0 AND r.n > t.held),
       (SELECT COUNT(*) FROM installed WHERE product_id IS NULL AND rule_id IS NULL),
       (SELECT COUNT(*) FROM {device} WHERE body_id = %(body)s AND year = %(year)s),
       0, NULL
"""


def _reconciliation_sql() -> str:
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (
            ("install", Install),
            ("device", Device),
            ("raw", RawString),
            ("entitlement", Entitlement),
            ("product", Product),
        )
    }
    collate = 'COLLATE "C"' if connection.vendor == "postgresql" else ""
    return RECONCILIATION.format(collate=collate, **tables)


@transaction.atomic
def reconcile(body: AuditedBody, year: int) -> BodyCompliance:
    """Recompute the body's year in a few set-based statements, in one transaction."""
    places = rollups.places_of(body)
    before = rollups.contribution(body, year, places)
    day = reference_date(body, year)
    with connection.cursor() as cursor:
        cursor.execute(
            _reconciliation_sql(),
            {
                "body": body.pk,
                "year": year,
                "day": day,
                "site": LicenceMetric.SITE.value,
                "foss": LicenceModel.FOSS.value,
            },
        )
        rows = cursor.fetchall()
    lines, uncovered, unknown, devices = [], 0, 0, 0
    families: dict[str, tuple[int, int]] = {}
    for product_id, installed, held, site, free, family in rows:
        if product_id is None:  # the last row: the body's totals
            uncovered, unknown, devices = installed, held, site
            continue
        shortfall = 0 if free else max(0, installed - held)
        lines.append(
            {
                "body_id": body.pk,
                "year": year,
                "product_id": product_id,
                "installed": installed,
                "licensed": installed if free else held,
                "site": bool(site),
                "shortfall": shortfall,
                "surplus": 0 if free else max(0, held - installed),
            }
        )
        on, covered = families.get(family, (0, 0))
        families[family] = (on + installed, covered + installed - shortfall)
    ProductCompliance.objects.filter(body=body, year=year).delete()
    insert_rows(ProductCompliance, lines)  # a line a product: hundreds a body
    figures = {
        "reference_date": day,
        "devices": devices,
        "compliant_devices": devices - uncovered,
        "unknown_installs": unknown,
        "shortfall": sum(line["shortfall"] for line in lines),
        "updated_at": timezone.now(),
    }
    kept, _created = BodyCompliance.objects.update_or_create(body=body, year=year, defaults=figures)
    after = rollups.made(body, places, (devices, devices - uncovered), families)
    rollups.apply(places[0], year, before, after)  # the country first
    return kept


def reconcile_body(body: AuditedBody) -> None:
    """Every year of the body that has devices or figures (after an entitlement changed)."""
    years = set(Device.objects.filter(body=body).values_list("year", flat=True).distinct())
    years |= set(BodyCompliance.objects.filter(body=body).values_list("year", flat=True))
    for year in sorted(years):
        reconcile(body, year)


def reconcile_strings(raw_ids: list[int]) -> None:
    """Every body and year with installs of these raw strings (after a rule changed them)."""
    if not raw_ids:
        return
    pairs = (
        Device.objects.filter(software__raw_id__in=raw_ids)
        .values_list("body_id", "year")
        .distinct()
    )
    bodies = AuditedBody.objects.in_bulk({body_id for body_id, _year in pairs})
    for body_id, year in sorted(set(pairs)):
        reconcile(bodies[body_id], year)
