"""Special-action reads: progress against targets, from the seizures the user can see."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from ipex.cases.models import Campaign, Metric


def campaigns_for(user):
    return Campaign.objects.visible_to(user).select_related("owner_org")


def campaign_progress(user, campaign: Campaign) -> list[dict]:
    """Each target with what has been achieved, counted over seizures visible to the user."""
    from ipex.seizures.models import SeizedItem, Seizure

    seizures = Seizure.objects.visible_to(user).filter(campaign=campaign)
    items = SeizedItem.objects.filter(seizure__in=seizures)
    rows = []
    for target in campaign.targets.all():
        if target.metric == Metric.SEIZURES:
            done = seizures.aggregate(n=Count("pk"))["n"] or 0
        else:
            scoped = items
            if target.category:
                scoped = items.filter(
                    Q(category__code=target.category) | Q(category__parent__code=target.category)
                )
            done = scoped.aggregate(n=Sum("quantity"))["n"] or 0
        percent = min(100, round(100 * done / target.target)) if target.target else 0
        rows.append({"target": target, "done": int(done), "percent": percent})
    return rows


def cases_for(user):
    from ipex.cases.models import Case

    return Case.objects.visible_to(user).select_related("owner_org", "campaign")


def case_timeline(case) -> list:
    """The case's history from the audit log; only called for a case the user can see."""
    from ipex.core.models import AuditEntry

    return list(AuditEntry.objects.filter(object_uuid=str(case.uuid)).order_by("seq"))


def enforcement_figures(user, *, area: str, year: int) -> dict:
    """Figures the bulletin needs, from the work itself: production lines cracked down,
    licensed enterprises punished, cases by kind and outcome, penalties by type. Counted over
    the cases the user can see whose organisation lies in the area."""
    from django.utils.translation import gettext as _

    from ipex.cases.models import (
        ActionKind,
        Case,
        CaseAction,
        CaseKind,
        CaseOutcome,
        CaseStatus,
        PenaltyType,
    )
    from ipex.core.errors import DomainError
    from ipex.directory.models import Jurisdiction

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
    lines_closed = (
        cases.filter(
            kind=CaseKind.OPTICAL_DISC_LINE,
            actions__kind__in=[ActionKind.SHUTDOWN, ActionKind.SEIZURE, ActionKind.RAID],
        )
        .distinct()
        .count()
    )
    punished = cases.filter(
        kind=CaseKind.LICENSED_ENTERPRISE,
        outcome__in=[CaseOutcome.PENALISED, CaseOutcome.CONVICTED],
    ).count()
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
