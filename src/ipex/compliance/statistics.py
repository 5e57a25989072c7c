"""The compliance statistics as readers get them (API, page, CSV): a country's year by
jurisdiction, kind of body or product family; public once approved, before that only for the
country's national statisticians."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ipex.compliance.figures import Dimension
from ipex.compliance.queries import compliance_stats, figures_public, is_national_statistician
from ipex.core.errors import Forbidden, refuse_if
from ipex.directory.models import Jurisdiction

CSV_COLUMNS = ["key", "devices", "compliant_devices", "rate"]


def request_params(params) -> tuple[str, int, str]:
    """``country``, ``year`` and ``by`` of a statistics request, checked."""
    country = (params.get("country") or "CN").strip().upper()
    errors = {}
    if not Jurisdiction.objects.filter(code=country, depth=1).exists():
        errors["country"] = [_("Give a country code, e.g. CN.")]
    year = params.get("year") or ""
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        errors["year"] = [_("Give the year as a number, e.g. 2012.")]
    by = params.get("by") or Dimension.JURISDICTION.value
    if by not in Dimension.values:
        errors["by"] = [_("Choose jurisdiction, body_kind or family.")]
    refuse_if(errors, _("The statistics request is not valid."))
    return country, int(year), by


def readable_stats(user, params) -> tuple[list[dict], bool]:
    """The rows the user may read, and whether they are published."""
    country, year, by = request_params(params)
    public = figures_public(country, year)
    if not public and not is_national_statistician(user, country):
        raise Forbidden(
            _("The compliance figures of %(country)s for %(year)s are not published yet.")
            % {"country": country, "year": year},
            code="not_published",
        )
    return compliance_stats(country=country, year=year, by=by), public
