"""Seizure, period-report, statistics and bulletin pages."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError
from ipex.core.exports import csv_response
from ipex.core.models import Job
from ipex.core.permissions import can_write
from ipex.core.views import (
    SharedRecordDetailView,
    VisibleDetailView,
    VisibleListView,
    apply_domain_error,
    create_view,
    kept_pages,
    perform,
)
from ipex.directory.models import Jurisdiction, JurisdictionLevel, Organisation
from ipex.seizures import forms, imports, services
from ipex.seizures.charts import bar_chart
from ipex.seizures.forms import item_choices
from ipex.seizures.imports.columns import EXPORT_COLUMNS, export_rows
from ipex.seizures.models import (
    Bulletin,
    FigureSource,
    PeriodKind,
    PeriodReport,
    ReportStatus,
    Seizure,
)
from ipex.seizures.queries import (
    REPORTS,
    SEIZURES,
    SeizureFilter,
    bulletin_text,
    can_read_record_figures,
    reports_for,
    seizure_stats,
    seizures_for,
    stats_years,
    subordinate_report_overview,
)

# ---------------------------------------------------------------- seizures


class SeizureListView(VisibleListView):
    model = Seizure
    filterset_class = SeizureFilter
    template_name = "seizures/seizure_list.html"

    queryset = SEIZURES


class SeizureDetailView(SharedRecordDetailView):
    queryset = SEIZURES

    def record_context(self, seizure, user) -> dict:
        return {"withdraw_form": forms.ReasonForm()}


def _seizure_form_page(request, form, rows, title, errors=None):
    context = {
        "form": form,
        "rows": rows or [{}, {}],
        "title": title,
        "item_errors": errors or {},
        **forms.item_choices(),
    }
    return render(request, "seizures/seizure_form.html", context)


def _split_errors(form, exc: DomainError) -> dict[int, list[str]]:
    item_errors: dict[int, list[str]] = {}
    other = {}
    for key, value in exc.fields.items():
        if key.startswith("items."):
            item_errors[int(key.split(".")[1])] = value
        else:
            other[key] = value
    apply_domain_error(form, DomainError(exc.message, fields=other))
    return item_errors


@login_required
def seizure_create(request):
    if not request.user.organisations:
        raise Http404
    form = forms.SeizureForm(request.POST or None, user=request.user)
    rows = forms.item_rows(request.POST) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        try:
            seizure = services.seizure_record(actor=request.user, items=rows, **form.cleaned_data)
        except DomainError as exc:
            return _seizure_form_page(
                request, form, rows, _("Record a seizure"), _split_errors(form, exc)
            )
        messages.success(request, _("Seizure recorded."))
        return redirect("seizure-detail", uuid=seizure.uuid)
    return _seizure_form_page(request, form, rows, _("Record a seizure"))


@login_required
def seizure_edit(request, uuid):
    seizure = get_object_or_404(seizures_for(request.user), uuid=uuid)
    initial = {
        "seized_on": seizure.seized_on,
        "jurisdiction": seizure.jurisdiction.code,
        "place": seizure.place,
        "method": seizure.method,
        "reference": seizure.reference,
        "notes": seizure.notes,
    }
    form = forms.SeizureForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST":
        rows = forms.item_rows(request.POST)
        if form.is_valid():
            try:
                services.seizure_update(
                    actor=request.user, seizure=seizure, items=rows, **form.cleaned_data
                )
            except DomainError as exc:
                return _seizure_form_page(
                    request, form, rows, _("Edit seizure"), _split_errors(form, exc)
                )
            messages.success(request, _("Changes saved."))
            return redirect("seizure-detail", uuid=seizure.uuid)
    else:
        rows = [
            {
                "category": i.category.code,
                "quantity": i.quantity,
                "unit": i.unit,
                "description": i.description,
                "value_amount": i.value_amount or "",
                "value_currency": i.value_currency,
                "disposition": i.disposition,
            }
            for i in seizure.items.select_related("category")
        ] + [{}]  # one blank line, so a line can be added without JavaScript too
    return _seizure_form_page(request, form, rows, _("Edit seizure"))


@login_required
def seizure_item_line(request):
    """One empty item line, for htmx to append to the form."""
    return render(request, "seizures/_item_line.html", {"row": {}, **forms.item_choices()})


@login_required
def seizure_withdraw(request, uuid):
    seizure = get_object_or_404(seizures_for(request.user), uuid=uuid)
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if perform(
            request,
            lambda: services.seizure_withdraw(actor=request.user, seizure=seizure, reason=reason),
            _("Seizure withdrawn."),
        ):
            return redirect("seizure-list")
    return redirect("seizure-detail", uuid=seizure.uuid)


@login_required
def seizure_export(request, fmt):
    """Exactly the seizures the user can see, with the list's filters applied."""
    queryset = SeizureFilter(
        request.GET or None, queryset=seizures_for(request.user), request=request
    ).qs
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return csv_response(EXPORT_COLUMNS, export_rows(queryset), "seizures")
    if fmt == "xlsx":
        # openpyxl is large: loaded only when an XLSX file is read or written.
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("seizures")
        sheet.append(EXPORT_COLUMNS)
        for row in export_rows(queryset):
            sheet.append(row)
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"seizures-{stamp}.xlsx")
    raise Http404


@login_required
def seizure_import(request):
    """Upload a CSV or XLSX file: small files are imported at once, large ones by the task
    worker with progress on the job page. All or nothing, with row-numbered errors."""
    if not request.user.organisations:
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form.add_error("file", imports.upload_too_large_message())
            status = 413
        elif form.is_valid():
            data = form.cleaned_data
            try:
                outcome = imports.start(
                    actor=request.user,
                    owner_org=data["owner_org"],
                    upload=data["file"],
                    dry_run=data["dry_run"],
                    encoding=data["encoding"],
                )
            except imports.ImportFailed as exc:
                context["failure"] = exc
                status = 400
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 400
            else:
                if isinstance(outcome, Job):
                    messages.info(
                        request,
                        _(
                            "The file is large; it is being imported in the "
                            "background. This page shows its progress."
                        ),
                    )
                    return redirect("job-detail", uuid=outcome.uuid)
                context["result"] = outcome
    return render(request, "seizures/import.html", context, status=status)


def seizure_import_template(request, fmt):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(imports.import_template(fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ipex-seizures-template.{fmt}"'
    return response


# ---------------------------------------------------------------- period reports


@login_required
def report_list(request):
    year = _int(request.GET.get("year"), timezone.localdate().year - 1)
    kind = request.GET.get("kind") if request.GET.get("kind") in PeriodKind.values else "year"
    number = 0 if kind == PeriodKind.YEAR else max(1, _int(request.GET.get("number"), 1))
    reports = reports_for(request.user).filter(year=year).exclude(status=ReportStatus.SUPERSEDED)
    context = {
        "year": year,
        "kind": kind,
        "number": number,
        "kinds": PeriodKind.choices,
        "reports": reports,
        "overview": subordinate_report_overview(
            request.user, year=year, period_kind=kind, number=number
        ),
        "years": range(timezone.localdate().year, 2004, -1),
    }
    return render(request, "seizures/report_list.html", context)


report_create = create_view(
    forms.ReportCreateForm,
    services.report_create,
    title=gettext_lazy("New report"),
    detail="report-detail",
)


class ReportDetailView(VisibleDetailView):
    template_name = "seizures/report_detail.html"
    context_object_name = "report"

    queryset = REPORTS

    def record_context(self, report, user) -> dict:
        lines = {line.category_id: line.quantity for line in report.lines.all()}
        categories = item_choices()["categories"]
        is_owner = can_write(user, report)
        can_edit = is_owner and report.is_editable
        return {
            "rows": [{"category": c, "quantity": lines.get(c.pk, "")} for c in categories],
            "problems": services.report_problems(report) if report.is_editable else {},
            "can_edit": can_edit,
            "can_submit": can_edit,
            "can_revise": is_owner and report.status == ReportStatus.APPROVED,
            "can_decide": report.status == ReportStatus.SUBMITTED
            and services.report_can_decide(user, report),
            "reason_form": forms.ReasonForm(),
            "history": (
                PeriodReport.objects.visible_to(user)
                .filter(
                    owner_org=report.owner_org,
                    period_kind=report.period_kind,
                    year=report.year,
                    number=report.number,
                )
                .order_by("revision")
            ),
        }


#: a report's steps taken with a button: the action in the URL → its service, whether it
#: takes the form's reason, and the message when it is done
REPORT_STEPS = {
    "prefill": (
        services.report_prefill,
        False,
        gettext_lazy("Figures filled from your seizure records."),
    ),
    "submit": (services.report_submit, False, gettext_lazy("Report submitted for approval.")),
    "approve": (services.report_approve, False, gettext_lazy("Report approved and locked.")),
    "return": (services.report_return, True, gettext_lazy("Report returned.")),
}


@login_required
def report_action(request, uuid, action):
    report = get_object_or_404(reports_for(request.user), uuid=uuid)
    if request.method != "POST":
        return redirect("report-detail", uuid=report.uuid)
    user, reason = request.user, request.POST.get("reason", "")
    target = {"uuid": report.uuid}
    if action == "figures":
        lines = {
            key[5:]: value
            for key, value in request.POST.items()
            if key.startswith("line-") and value.strip() != ""
        }
        perform(
            request,
            lambda: services.report_set_lines(
                actor=user,
                report=report,
                lines=lines,
                declared_total=request.POST.get("declared_total") or None,
                comment=request.POST.get("comment", ""),
            ),
            _("Figures saved."),
        )
    elif action in REPORT_STEPS:
        service, with_reason, success = REPORT_STEPS[action]
        values = {"reason": reason} if with_reason else {}
        perform(request, lambda: service(actor=user, report=report, **values), str(success))
    elif action == "revise":
        try:
            revision = services.report_revise(actor=user, report=report, reason=reason)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Revision opened; the approved report stays in force "
                    "until the revision is approved."
                ),
            )
            target = {"uuid": revision.uuid}
    else:
        raise Http404
    return redirect("report-detail", **target)


# ---------------------------------------------------------------- statistics


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def default_country(user) -> str:
    """The country a statistics page opens on: the user's own, else this node's first."""

    organisations = list(getattr(user, "organisations", [])) or list(
        Organisation.objects.filter(origin_node__is_local=True, depth=1).select_related(
            "jurisdiction"
        )[:1]
    )
    if organisations:
        area = organisations[0].jurisdiction
        root = Jurisdiction.objects.filter(path=area.path[: area.steplen]).values_list(
            "code", flat=True
        )
        return root.first() or "CN"
    return "CN"


@kept_pages
def statistics(request):
    """Published figures (approved reports) for everyone; figures from seizure records,
    labelled as such, for statisticians and supervisors."""
    source = request.GET.get("source", FigureSource.REPORTS)
    if source == FigureSource.RECORDS and not can_read_record_figures(request.user):
        source = FigureSource.REPORTS
    years = stats_years(source)
    year = _int(request.GET.get("year"), years[0] if years else timezone.localdate().year - 1)
    area = (request.GET.get("country") or default_country(request.user)).upper()
    context = {
        "year": year,
        "years": years,
        "area_code": area,
        "source": source,
        "can_records": can_read_record_figures(request.user),
    }
    try:
        by_category = seizure_stats(
            request.user, area=area, year=year, by="category", source=source
        )
        by_area = seizure_stats(
            request.user, area=area, year=year, by="jurisdiction", source=source
        )
        trend = seizure_stats(request.user, area=area, by="year", source=source)
    except DomainError as exc:
        context["error"] = exc
        return render(request, "seizures/statistics.html", context, status=400)

    place = Jurisdiction.objects.get(code=area)
    language = get_language()
    context.update(
        {
            "place": place,
            "ancestors": list(Jurisdiction.objects.get_ancestors(place)),
            "by_category": by_category,
            "by_area": by_area,
            "trend": trend,
            "total": sum(r["quantity"] for r in by_category),
            "category_chart": bar_chart(
                by_category, label="name", title=_("Seized items by category"), language=language
            ),
            "area_chart": bar_chart(
                by_area, label="name", title=_("Seized items by area"), language=language
            )
            if by_area
            else "",
            "trend_chart": bar_chart(
                trend, label="year", title=_("Seized items by year"), language=language
            )
            if trend
            else "",
            "api": reverse("api-stats-seizures"),
            "bulletin": Bulletin.objects.visible_to(request.user)
            .filter(country=place, year=year)
            .first(),
        }
    )
    return render(request, "seizures/statistics.html", context)


def bulletin_page(request):
    """Preview the national bulletin in every language; publish it (national statisticians
    and supervisors); read what was published (everyone)."""

    country = (
        request.GET.get("country") or request.POST.get("country") or default_country(request.user)
    ).upper()
    year = _int(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year - 1)
    place = Jurisdiction.objects.filter(code=country, level=JurisdictionLevel.COUNTRY).first()
    if place is None:
        raise Http404
    can_publish = bool(
        request.user.is_authenticated and services.publisher_org(request.user, place)
    )
    if request.method == "POST":
        if not can_publish:
            raise Http404
        if perform(
            request,
            lambda: services.bulletin_publish(actor=request.user, country=country, year=year),
            _("Bulletin published."),
        ):
            return redirect(f"{reverse('bulletin')}?country={country}&year={year}")
    published = Bulletin.objects.visible_to(request.user).filter(country=place, year=year).first()
    previews = []
    if can_publish:
        names = {"en": "English", "zh-hans": "中文", "ru": "Русский"}
        previews = [
            {
                "language": lang,
                "name": names[lang],
                "text": bulletin_text(country=country, year=year, language=lang),
            }
            for lang in ("en", "zh-hans", "ru")
        ]
    context = {
        "place": place,
        "year": year,
        "published": published,
        "previews": previews,
        "can_publish": can_publish,
        "language": get_language(),
        "bulletins": Bulletin.objects.visible_to(request.user).filter(country=place),
    }
    return render(request, "seizures/bulletin.html", context)
