"""Keeping the compliance statistics current: a body's year contributes its devices and
compliant devices to its jurisdiction and every one above it, to its kind of body, and per
product family (devices with a product of the family installed, and those covered). A
reconciliation takes its old contribution off and adds the new one, in its transaction."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Sum

from ipex.compliance.figures import ComplianceFigure, Dimension
from ipex.compliance.models import AuditedBody, BodyCompliance, ProductCompliance
from ipex.directory.models import Jurisdiction

Contribution = dict[tuple[str, str], tuple[int, int]]


def contribution(body: AuditedBody, year: int) -> Contribution:
    """What the body's kept figures for the year add to the statistics."""
    kept = BodyCompliance.objects.filter(body=body, year=year).first()
    if kept is None:
        return {}
    figures = (kept.devices, kept.compliant_devices)
    jurisdiction = body.organisation.jurisdiction
    result = {(Dimension.BODY_KIND.value, body.body_kind): figures}
    for place in [*Jurisdiction.objects.get_ancestors(jurisdiction), jurisdiction]:
        result[(Dimension.JURISDICTION.value, place.code)] = figures
    families = (
        ProductCompliance.objects.filter(body=body, year=year)
        .values("product__family")
        .annotate(on=Sum("installed"), covered=Sum(F("installed") - F("shortfall")))
    )
    for row in families:
        figures = (row["on"], row["covered"])
        result[(Dimension.FAMILY.value, row["product__family"])] = figures
    return result


def country_of(body: AuditedBody) -> str:
    return Jurisdiction.objects.get_root(body.organisation.jurisdiction).code


def apply(body: AuditedBody, year: int, before: Contribution, after: Contribution) -> None:
    """Move the figures by the difference between the two contributions."""
    delta: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for sign, part in ((-1, before), (1, after)):
        for key, (devices, compliant) in part.items():
            delta[key][0] += sign * devices
            delta[key][1] += sign * compliant
    country = country_of(body)
    for (dimension, key), (devices, compliant) in sorted(delta.items()):
        if not devices and not compliant:
            continue
        figure, _created = ComplianceFigure.objects.select_for_update().get_or_create(
            country=country, year=year, dimension=dimension, key=key
        )
        ComplianceFigure.objects.filter(pk=figure.pk).update(
            devices=F("devices") + devices, compliant_devices=F("compliant_devices") + compliant
        )
