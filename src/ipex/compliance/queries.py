"""Reads of software legalisation, always through ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Length, Substr

from ipex.compliance.models import AuditedBody, ProductCompliance, RawString
from ipex.directory.models import Organisation, OrgKind, Role

# The supervising administration is the body's tree parent: its path is the body's path less
# one step. Read in the same statement as the bodies (one query for the list, not one a body).
_PARENT_PATH = Substr(
    OuterRef("organisation__path"), 1, Length(OuterRef("organisation__path")) - Organisation.steplen
)
BODIES = (
    AuditedBody.objects.select_related("organisation__jurisdiction")
    .prefetch_related("obligations")
    .annotate(
        administration_code=Subquery(
            Organisation.objects.filter(path=_PARENT_PATH).values("code")[:1]
        )
    )
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
