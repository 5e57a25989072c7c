"""The compliance statistics page: rates by jurisdiction, kind of body or product family, a
chart drawn on the server (no script, no CDN), a CSV download, and the national
statistician's approval that makes the year's figures public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipex.compliance import services, statistics
from ipex.compliance.figures import Dimension
from ipex.compliance.queries import is_national_statistician, latest_stats_year
from ipex.core.errors import DomainError, Forbidden
from ipex.core.exports import csv_response
from ipex.seizures.charts import bar_chart


def statistics_page(request):
    params = request.GET.copy()
    params.setdefault("year", str(latest_stats_year()))
    context = {"dimensions": Dimension.choices, "params": params}
    try:
        rows, public = statistics.readable_stats(request.user, params)
    except (DomainError, Forbidden) as exc:
        context["error"] = exc
        status = 403 if isinstance(exc, Forbidden) else 400
        return render(request, "compliance/statistics.html", context, status=status)
    country, year, by = statistics.request_params(params)
    if params.get("format") == "csv":
        return csv_response(
            statistics.CSV_COLUMNS,
            ([row[c] for c in statistics.CSV_COLUMNS] for row in rows),
            f"compliance-{country}-{year}-{by}",
        )
    context.update(
        {
            "rows": rows,
            "public": public,
            "country": country,
            "year": year,
            "by": by,
            "chart": bar_chart(
                rows,
                label="key",
                value="rate",
                title=_("Compliance rate (%)"),
                language=get_language(),
            )
            if rows
            else "",
            "can_approve": not public and is_national_statistician(request.user, country),
            "csv": f"{reverse('compliance-statistics')}?{params.urlencode()}&format=csv",
        }
    )
    return render(request, "compliance/statistics.html", context)


@login_required
@require_POST
def statistics_approve(request):
    country = request.POST.get("country", "")
    year = request.POST.get("year", "")
    try:
        services.figures_approve(
            actor=request.user, country=country, year=int(year) if year.isdigit() else 0
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The figures are approved and public."))
    return redirect(f"{reverse('compliance-statistics')}?country={country}&year={year}")
