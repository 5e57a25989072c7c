"""Reads of software legalisation, always through ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from ipex.compliance.figures import ComplianceFigure, CompliancePublication
from ipex.compliance.models import AuditedBody, ProductCompliance, RawString
from ipex.core.visibility import signed_in
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


def compliance_stats(*, country: str, year: int, by: str) -> list[dict]:
    """The kept compliance figures of a country's year by ``jurisdiction`` (every level),
    ``body_kind`` or ``family``: key, devices, compliant_devices, rate (per cent, one decimal;
    None with no device). No door: callers check publication (``figures_public``)."""
    rows = ComplianceFigure.objects.filter(
        country=country, year=year, dimension=by, devices__gt=0
    ).values_list("key", "devices", "compliant_devices")
    return [
        {
            "key": key,
            "devices": devices,
            "compliant_devices": compliant,
            "rate": round(100 * compliant / devices, 1) if devices else None,
        }
        for key, devices, compliant in rows.order_by("key")
    ]


NATIONAL_ROLES = {Role.STATISTICIAN, Role.SUPERVISOR}


def is_national_statistician(user, country: str) -> bool:
    """A statistician or supervisor of an organisation of the country itself (or a node
    administrator): sees the figures before they are published, and approves them."""
    return signed_in(user) and (
        user.is_node_admin
        or any(
            m.role in NATIONAL_ROLES and m.organisation.jurisdiction.code == country
            for m in user.active_memberships
        )
    )


def figures_public(country: str, year: int) -> bool:
    return CompliancePublication.objects.filter(country=country, year=year).exists()


def latest_stats_year() -> int:
    """The latest year with compliance figures (the statistics page's default)."""
    latest = ComplianceFigure.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year - 1
