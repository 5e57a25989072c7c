"""Case reads: the list's filters and export, tasks, timelines and enforcement figures."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from ipex.campaigns.models import Metric
from ipex.campaigns.queries import campaign_filter
from ipex.cases.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    CaseTask,
    PenaltyType,
)
from ipex.core.errors import DomainError
from ipex.core.filters import TEXT, choice_filter, only_filter
from ipex.core.models import AuditEntry
from ipex.directory.models import Jurisdiction


class CaseFilter(django_filters.FilterSet):
    """The case list's filters; the queryset it narrows is already what the user can see."""

    status = choice_filter(CaseStatus.choices, _lazy("Status"))
    kind = choice_filter(CaseKind.choices, _lazy("Kind"))
    outcome = choice_filter(CaseOutcome.choices, _lazy("Outcome"))
    year = django_filters.NumberFilter(
        label=_lazy("Year"), widget=forms.NumberInput(attrs={**TEXT, "placeholder": "2013"})
    )
    campaign = campaign_filter()
    mine = only_filter(_lazy("Only cases where I am an officer"), "filter_mine")

    class Meta:
        model = Case
        fields = ["status", "kind", "outcome", "year", "campaign"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(officers=user) if value and user is not None else queryset


EXPORT_COLUMNS = [
    "uuid",
    "reference",
    "year",
    "kind",
    "title",
    "status",
    "outcome",
    "organisation",
    "special_action",
    "officers",
    "opened",
]


def case_export_rows(queryset):
    """One row per case, for the CSV export of exactly what the user can see."""
    for case in queryset.prefetch_related("officers").iterator(chunk_size=500):
        yield [
            str(case.uuid),
            case.reference,
            case.year,
            case.kind,
            case.title,
            case.status,
            case.outcome,
            case.owner_org.code,
            case.campaign.name_en if case.campaign_id else "",
            " ".join(sorted(u.email for u in case.officers.all())),
            case.created_at.date().isoformat(),
        ]


def lines_cracked_down(cases) -> int:
    """Optical-disc production-line cases where a line was raided, its goods seized or it was
    shut down: the bulletin's "production lines cracked down"."""

    return (
        cases.filter(
            kind=CaseKind.OPTICAL_DISC_LINE,
            actions__kind__in=[ActionKind.SHUTDOWN, ActionKind.SEIZURE, ActionKind.RAID],
        )
        .distinct()
        .count()
    )


def enterprises_punished(cases) -> int:
    """Licensed enterprises engaged in piracy whose case closed with a penalty or judgment."""
    return cases.filter(
        kind=CaseKind.LICENSED_ENTERPRISE,
        outcome__in=[CaseOutcome.PENALISED, CaseOutcome.CONVICTED],
    ).count()


def campaign_measure(user, campaign, target) -> int:
    """A special action's target counted over its cases the user can see (registered for the
    case measures in ``CasesConfig.ready``)."""
    cases = Case.objects.visible_to(user).filter(campaign=campaign)
    if target.metric == Metric.LINES_CLOSED:
        return lines_cracked_down(cases)
    if target.metric == Metric.ENTERPRISES_PUNISHED:
        return enterprises_punished(cases)
    return cases.filter(status=CaseStatus.CLOSED).count()


def campaign_case_count(user, campaign) -> str:
    """The special action's link to its cases, counted over those the user can see."""
    n = Case.objects.visible_to(user).filter(campaign=campaign).count()
    return ngettext("%(n)s case", "%(n)s cases", n) % {"n": n}


#: cases as the pages list and show them; a page declares it as its ``queryset`` and the base
#: view applies the door (``visible_to``)
CASES = Case.objects.select_related("owner_org", "campaign")


def cases_for(user):
    return CASES.visible_to(user)


def open_tasks_for(user):
    """The user's tasks that are not done, in cases they can still see, soonest first."""
    return (
        CaseTask.objects.filter(
            assignee=user, done_at__isnull=True, case__in=cases_for(user).values("pk")
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def tasks_panel(user) -> dict | None:
    """The home page's panel of the user's open tasks (registered in ``CasesConfig.ready``)."""
    tasks = list(open_tasks_for(user)[:10])
    return {"my_tasks": tasks} if tasks else None


def case_timeline(case) -> list:
    """The case's history from the audit log; only called for a case the user can see."""
    return list(AuditEntry.objects.filter(object_uuid=str(case.uuid)).order_by("seq"))


def enforcement_figures(user, *, area: str, year: int) -> dict:
    """Figures the bulletin needs, from the work itself: production lines cracked down,
    licensed enterprises punished, cases by kind and outcome, penalties by type. Counted over
    the cases the user can see whose organisation lies in the area."""
    place = Jurisdiction.objects.filter(code=(area or "").strip().upper()).first()
    if place is None:
        raise DomainError(
            _("The statistics request is not valid."),
            fields={"country": [_("Unknown jurisdiction '%(code)s'.") % {"code": area}]},
        )
    cases = Case.objects.visible_to(user).filter(
        owner_org__jurisdiction__path__startswith=place.path, year=year
    )
    actions = CaseAction.objects.filter(case__in=cases)
    lines_closed = lines_cracked_down(cases)
    punished = enterprises_punished(cases)
    by_kind = dict(cases.values_list("kind").annotate(n=Count("pk")))
    by_outcome = dict(
        cases.filter(status=CaseStatus.CLOSED).values_list("outcome").annotate(n=Count("pk"))
    )
    penalties = {
        PenaltyType.IMPRISONMENT: actions.filter(penalty_months__isnull=False).count(),
        PenaltyType.FINE: actions.filter(
            penalty_amount__isnull=False, provision__penalty_type=PenaltyType.FINE
        ).count(),
    }
    return {
        "area": place.code,
        "year": year,
        "production_lines_cracked_down": lines_closed,
        "licensed_enterprises_punished": punished,
        "cases_by_kind": {k: by_kind.get(k, 0) for k in CaseKind.values},
        "closed_cases_by_outcome": {k: by_outcome.get(k, 0) for k in CaseOutcome.values},
        "penalties_by_type": penalties,
    }


def national_enforcement_counts(country: str, year: int) -> tuple[int, int]:
    """Production lines cracked down and licensed enterprises punished in a country's year,
    over every live case of that country on this node. Only for the national bulletin: an
    aggregate that an authorised national user publishes, never a list of cases."""

    place = Jurisdiction.objects.filter(code=country).first()
    if place is None:
        return 0, 0
    cases = Case.objects.live().filter(
        owner_org__jurisdiction__path__startswith=place.path, year=year
    )
    return lines_cracked_down(cases), enterprises_punished(cases)
