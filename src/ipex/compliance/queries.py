"""Reads of software legalisation, always through ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, Sum

from ipex.compliance.models import AuditedBody, ProductCompliance, RawString
from ipex.directory.models import OrgKind, Role

BODIES = AuditedBody.objects.select_related("organisation__jurisdiction").prefetch_related(
    "obligations"
)
UNMATCHED = RawString.objects.filter(rule__isnull=True).order_by("-installs", "name")


def administrations_of(user) -> list:
    """The copyright administrations for which the user may register bodies and lists."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m.organisation
        for m in user.active_memberships
        if m.role in (Role.AUDITOR, Role.SUPERVISOR)
        and m.organisation.kind == OrgKind.COPYRIGHT_ADMIN
    ]


def device_years(body) -> list[dict]:
    """Per year: the devices inventoried and their installs (the body reached through the door)."""
    return list(
        body.devices.values("year")
        .annotate(devices=Count("id"), installs=Sum("installs"))
        .order_by("-year")
    )


def product_lines(kept) -> list:
    """The product lines of a kept reconciliation (a ``BodyCompliance`` read through the door)."""
    return list(
        ProductCompliance.objects.filter(body_id=kept.body_id, year=kept.year).select_related(
            "product"
        )
    )


def body_reconciliations(body) -> list:
    """The body's kept reconciliations, latest year first, each with its product lines."""
    kept = list(body.compliance.all())
    for row in kept:
        row.lines = product_lines(row)
    return kept
