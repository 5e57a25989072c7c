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
from collections import defaultdict

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
    Product,
    ProductCompliance,
)


def reference_date(body: AuditedBody, year: int) -> dt.date:
    """The date of the year's latest inventory of the body, else the year's last day."""
    latest = Inventory.objects.filter(body=body, year=year).aggregate(day=Max("taken_on"))["day"]
    return latest or dt.date(year, 12, 31)


def reconcile(body: AuditedBody, year: int) -> BodyCompliance:
    before = rollups.contribution(body, year)
    day = reference_date(body, year)
    names = dict(Device.objects.filter(body=body, year=year).values_list("id", "name"))
    holders: dict[int, set[int]] = defaultdict(set)  # product → devices
    unknown = 0
    rows = Install.objects.filter(device__body=body, device__year=year).values_list(
        "device_id", "raw__product_id", "raw__rule_id"
    )
    for device_id, product_id, rule_id in rows.iterator(chunk_size=5000):
        if product_id is not None:
            holders[product_id].add(device_id)
        elif rule_id is None:
            unknown += 1
    licences: dict[int, int] = defaultdict(int)
    site: set[int] = set()
    for entitlement in Entitlement.objects.filter(body=body, valid_from__lte=day):
        if entitlement.valid_on(day):
            if entitlement.metric == LicenceMetric.SITE:
                site.add(entitlement.product_id)
            else:
                licences[entitlement.product_id] += entitlement.quantity
    products = Product.objects.in_bulk(set(holders) | set(licences) | site)
    uncovered: set[int] = set()
    lines = []
    for product_id, product in products.items():
        devices = sorted(holders.get(product_id, ()), key=lambda pk: names[pk])
        free = product.is_foss or product_id in site
        held = licences.get(product_id, 0)
        covered = len(devices) if free else min(len(devices), held)
        uncovered.update(devices[covered:])
        lines.append(
            ProductCompliance(
                body=body,
                year=year,
                product=product,
                installed=len(devices),
                licensed=len(devices) if free else held,
                site=product_id in site,
                shortfall=len(devices) - covered,
                surplus=0 if free else max(0, held - len(devices)),
            )
        )
    ProductCompliance.objects.filter(body=body, year=year).delete()
    ProductCompliance.objects.bulk_create(lines)
    figures = {
        "reference_date": day,
        "devices": len(names),
        "compliant_devices": len(names) - len(uncovered),
        "unknown_installs": unknown,
        "shortfall": sum(line.shortfall for line in lines),
        "updated_at": timezone.now(),
    }
    kept, _created = BodyCompliance.objects.update_or_create(body=body, year=year, defaults=figures)
    rollups.apply(body, year, before, rollups.contribution(body, year))
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
