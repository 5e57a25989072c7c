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
