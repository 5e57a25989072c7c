"""Publishing a country's compliance figures for a year: its national statistician approves
them, and from then on they are public."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipex.compliance.figures import CompliancePublication
from ipex.compliance.queries import is_national_statistician
from ipex.compliance.services.bodies import ensure_year
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, Forbidden


def figures_approve(*, actor, country: str, year: int) -> CompliancePublication:
    who = as_actor(actor)
    ensure_year(year)
    country = (country or "").strip().upper()
    if not who.is_system and not is_national_statistician(who.user, country):
        raise Forbidden(
            _("Only a national statistician of %(country)s can approve its figures.")
            % {"country": country},
            code="not_national_statistician",
        )
    try:
        with transaction.atomic():
            published = CompliancePublication.objects.create(
                country=country, year=year, approved_by=who.user
            )
            audit_log(who, "compliance.figures.approved", published, {"year": year})
    except IntegrityError:
        raise Conflict(
            _("The figures for %(year)s are published already.") % {"year": year},
            code="already_published",
        ) from None
    return published
