"""Seizure reads: list filters (through ``visible_to``), the statistics query over the
roll-ups, and the supervisor's overview of subordinate reports."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ipex.campaigns.models import Metric
from ipex.campaigns.queries import campaign_filter
from ipex.core.errors import DomainError, Forbidden, refuse_if
from ipex.core.filters import TEXT, by_code, choice_filter
from ipex.core.visibility import signed_in
from ipex.directory.models import (
    Jurisdiction,
    JurisdictionLevel,
    Organisation,
    OrgKind,
    Role,
    code_validator,
)
from ipex.seizures.bulletin import national_paragraph
from ipex.seizures.models import (
    Category,
    FigureSource,
    Method,
    PeriodKind,
    PeriodReport,
    ReportStatus,
    SeizedItem,
    Seizure,
    StatFigure,
    StatTotal,
)
from ipex.seizures.registry import bulletin_sections


class SeizureFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="seized_on",
        lookup_expr="gte",
        label=_lazy("From"),
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="seized_on",
        lookup_expr="lte",
        label=_lazy("To"),
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )
    jurisdiction = django_filters.CharFilter(
        method="filter_jurisdiction",
        label=_lazy("Where (code, with everything below)"),
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "CN-GD"}),
    )
    category = django_filters.CharFilter(
        method="filter_category",
        label=_lazy("Category code"),
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "audiovisual"}),
    )
    method = choice_filter(Method.choices, _lazy("Method"))
    org_kind = choice_filter(
        OrgKind.choices, _lazy("Organisation kind"), field_name="owner_org__kind"
    )
    campaign = campaign_filter()
    organisation = django_filters.CharFilter(
        method="filter_organisation",
        label=_lazy("Organisation code (with those it supervises)"),
        widget=forms.TextInput(attrs=TEXT),
    )

    class Meta:
        model = Seizure
        fields = [
            "date_from",
            "date_to",
            "jurisdiction",
            "category",
            "method",
            "org_kind",
            "campaign",
            "organisation",
        ]

    filter_jurisdiction = by_code(
        Jurisdiction,
        lambda queryset, area: queryset.filter(jurisdiction__path__startswith=area.path),
    )

    def filter_category(self, queryset, name, value):
        code = value.strip().lower()
        return queryset.filter(
            Q(items__category__code=code) | Q(items__category__parent__code=code)
        ).distinct()

    filter_organisation = by_code(
        Organisation, lambda queryset, org: queryset.filter(owner_org__path__startswith=org.path)
    )


def campaign_measure(user, campaign, target) -> int:
    """A special action's target counted over its seizures the user can see: how many, or
    the items seized (of a top category, if the target names one). Registered for the
    seizure measures in ``SeizuresConfig.ready``."""
    seizures = Seizure.objects.visible_to(user).filter(campaign=campaign)
    if target.metric == Metric.SEIZURES:
        return seizures.aggregate(n=Count("pk"))["n"] or 0
    items = SeizedItem.objects.filter(seizure__in=seizures)
    if target.category:
        items = items.filter(
            Q(category__code=target.category) | Q(category__parent__code=target.category)
        )
    return items.aggregate(n=Sum("quantity"))["n"] or 0


#: seizures as the pages list and show them (the base view applies ``visible_to``)
SEIZURES = Seizure.objects.select_related("owner_org", "jurisdiction", "campaign").prefetch_related(
    "items__category"
)


def seizures_for(user):
    return SEIZURES.visible_to(user)


# ---------------------------------------------------------------- statistics

BY_CHOICES = ("category", "jurisdiction", "month", "org_kind", "year")
RECORD_FIGURE_ROLES = {Role.STATISTICIAN, Role.SUPERVISOR, Role.NODE_ADMIN}


def record_figure_areas(user) -> list[str] | None:
    """Jurisdiction paths whose record figures the user may read; None means every area."""
    if getattr(user, "is_node_admin", False):
        return None
    return [
        m.organisation.jurisdiction.path
        for m in getattr(user, "active_memberships", [])
        if m.role in RECORD_FIGURE_ROLES
    ]


def can_read_record_figures(user) -> bool:
    """Figures from seizure records are working data for statisticians and supervisors;
    figures from approved reports are published."""
    if not signed_in(user):
        return False
    return user.is_node_admin or bool(set(user.roles) & RECORD_FIGURE_ROLES)


# Vocabulary lookups on the statistics path are cached for a minute per process: categories
# and jurisdictions change rarely, and each saved query is a round trip on every call.
LOOKUP_SECONDS = 60


def top_categories() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.filter(parent__isnull=True, valid_to__isnull=True)}


def _top_category_names() -> list[tuple[str, str]]:
    language = get_language() or "en"
    key = f"ipex:stats:categories:{language}"
    names = cache.get(key)
    if names is None:
        names = [(code, c.localized_name(language)) for code, c in top_categories().items()]
        cache.set(key, names, LOOKUP_SECONDS)
    return names


def seizure_stats(
    user,
    *,
    area: str,
    year: int | None = None,
    by: str = "category",
    level: str | None = None,
    source: str = FigureSource.REPORTS,
    category: str | None = None,
) -> list[dict]:
    """Figures for a jurisdiction, summed from the roll-ups (a few rows, never raw items)."""
    errors: dict[str, list[str]] = {}
    if by not in BY_CHOICES:
        errors["by"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(BY_CHOICES)}]
    if source not in FigureSource.values:
        errors["source"] = [_("Choose reports or records.")]
    if level and level not in JurisdictionLevel.values:
        errors["level"] = [_("Choose country, province, city or county.")]
    if by != "year" and year is None:
        errors["year"] = [_("Give a year.")]
    code = (area or "").strip().upper()
    refuse_if(errors, _("The statistics request is not valid."))
    if source == FigureSource.RECORDS and can_read_record_figures(user):
        areas = record_figure_areas(user)
        if areas is not None and not any(_place(code)[1].startswith(p) for p in areas):
            raise Forbidden(
                _(
                    "Figures from seizure records are shown for your own organisation's area "
                    "and the areas below it."
                )
            )
    elif source == FigureSource.RECORDS:
        raise Forbidden(
            _(
                "Figures from seizure records are for statisticians and "
                "supervisors; published figures come from approved reports."
            )
        )
    if by == "jurisdiction":
        areas = _areas_below(code, level)
        totals = StatTotal.objects.filter(
            source=source, subcategory="", year=year, jurisdiction_id__in=list(areas)
        )
        if category:
            totals = totals.filter(category=category.strip().lower())
        sums = dict(totals.values_list("jurisdiction_id").annotate(q=Sum("quantity")))
        language = (get_language() or "en").lower()
        return [
            {
                "jurisdiction": a["code"],
                "name": _localized(a, language),
                "level": a["level"],
                "has_children": a["numchild"] > 0,
                "quantity": int(sums[pk]),
            }
            for pk, a in sorted(areas.items(), key=lambda item: item[1]["code"])
            if pk in sums
        ]
    model = StatTotal if by in ("category", "year") else StatFigure
    place_id = _place(code)[0]
    figures = model.objects.filter(source=source, subcategory="", jurisdiction_id=place_id)
    if category:
        figures = figures.filter(category=category.strip().lower())
    if by != "year":
        figures = figures.filter(year=year)
    if by == "category":
        totals = dict(figures.values_list("category").annotate(q=Sum("quantity")))
        names = _top_category_names()
        known = {c for c, _name in names}
        return [
            {"category": c, "name": name, "quantity": int(totals.get(c, 0))} for c, name in names
        ] + [
            {"category": c, "name": c, "quantity": int(q)}
            for c, q in totals.items()
            if c not in known
        ]
    if by == "month":
        rows = figures.filter(month__gt=0).values("month").annotate(q=Sum("quantity"))
        result = [{"month": r["month"], "quantity": int(r["q"])} for r in rows.order_by("month")]
    elif by == "org_kind":
        labels = dict(OrgKind.choices)
        rows = figures.values("org_kind").annotate(q=Sum("quantity")).order_by("org_kind")
        result = [
            {
                "org_kind": r["org_kind"],
                "name": str(labels.get(r["org_kind"], "")),
                "quantity": int(r["q"]),
            }
            for r in rows
        ]
    else:
        rows = figures.values("year").annotate(q=Sum("quantity")).order_by("year")
        result = [{"year": r["year"], "quantity": int(r["q"])} for r in rows]
    return result


def _place(code: str) -> tuple[int, str, int]:
    """(id, path, depth) of a jurisdiction by code; unknown codes are an input error."""
    # Only a well-formed code is looked up (and filed in the cache: the key holds what the
    # reader typed).
    well_formed = code_validator.regex.fullmatch(code) is not None
    key = f"ipex:stats:place:{code}"
    found = cache.get(key) if well_formed else None
    if found is None:
        place = None
        if well_formed:
            place = Jurisdiction.objects.filter(code=code).values_list("pk", "path", "depth")
            place = place.first()
        if place is None:
            raise DomainError(
                _("The statistics request is not valid."),
                fields={"country": [_("Unknown jurisdiction '%(code)s'.") % {"code": code}]},
            )
        found = tuple(place)
        cache.set(key, found, LOOKUP_SECONDS)
    return found


def _areas_below(code: str, level: str | None) -> dict[int, dict]:
    """The jurisdictions one step below (or at ``level`` within) a place, with their names."""
    _pk, path, depth = _place(code)  # an unknown or malformed code ends here
    key = f"ipex:stats:below:{code}:{level or ''}"
    areas = cache.get(key)
    if areas is None:
        below = Jurisdiction.objects.filter(path__startswith=path)
        below = below.filter(level=level) if level else below.filter(depth=depth + 1)
        fields = ["pk", "code", "name_en", "name_zh_hans", "name_ru", "level", "numchild"]
        areas = {row["pk"]: row for row in below.values(*fields)}
        cache.set(key, areas, LOOKUP_SECONDS)
    return areas


def _localized(row: dict, language: str) -> str:
    if language.startswith("zh"):
        return row["name_zh_hans"] or row["name_en"]
    if language.startswith("ru"):
        return row["name_ru"] or row["name_en"]
    return row["name_en"]


def stats_years(source: str = FigureSource.REPORTS) -> list[int]:
    return list(
        StatTotal.objects.filter(source=source)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


# ---------------------------------------------------------------- reports


REPORTS = PeriodReport.objects.select_related("owner_org", "submitted_by", "approved_by")


def reports_for(user):
    return REPORTS.visible_to(user)


def subordinate_report_overview(
    user, *, year: int, period_kind: str = PeriodKind.YEAR, number: int = 0
) -> list[dict]:
    """For each organisation the user's organisations supervise: the state of its report
    for the period — missing, draft, submitted, returned or approved."""
    rows: list[dict] = []
    seen: set[int] = set()
    for own in user.organisations:
        subordinates = (
            Organisation.objects.visible_to(user)
            .within(own)
            .exclude(pk=own.pk)
            .filter(origin_node=own.origin_node)
            .select_related("jurisdiction")
        )
        for org in subordinates:
            if org.pk in seen:
                continue
            seen.add(org.pk)
            rows.append({"organisation": org, "report": None})
    reports = {
        r.owner_org_id: r
        for r in reports_for(user)
        .filter(owner_org_id__in=seen, year=year, period_kind=period_kind, number=number)
        .exclude(status=ReportStatus.SUPERSEDED)
        .order_by("revision")
    }
    for row in rows:
        row["report"] = reports.get(row["organisation"].pk)
        row["state"] = row["report"].status if row["report"] else "missing"
    return rows


def bulletin_text(*, country: str, year: int, language: str) -> str:
    """The national paragraph from the published roll-ups (approved reports), followed by
    the sections the apps above add (``ipex.seizures.registry.bulletin_sections``: the
    enforcement sentence counted from the cases of the country on this node)."""

    code = (country or "").strip().upper()
    if not Jurisdiction.objects.filter(code=code, level=JurisdictionLevel.COUNTRY).exists():
        raise DomainError(
            _("A bulletin is national: '%(code)s' is not a country.") % {"code": country},
            fields={"country": [_("Give a country code, e.g. CN.")]},
        )
    rows = seizure_stats(None, area=code, year=year, by="category")
    figures = {row["category"]: row["quantity"] for row in rows if row["quantity"]}
    try:
        text = national_paragraph(year=year, figures=figures, language=language)
        sections = [
            section(country=code, year=year, language=language)
            for section in bulletin_sections.values()
        ]
        return "\n\n".join([text, *filter(None, sections)])
    except ValueError as exc:
        raise DomainError(str(exc), code="bulletin") from exc
