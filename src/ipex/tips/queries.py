"""Tip reads, through the one door (``Tip.objects.visible_to``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from ipex.tips.models import Assessment, Reward, Tip, TipKind, TipOutcome, TipStatus

SELECT = {"class": "form-select form-select-sm"}


def tips_for(user):
    return Tip.objects.visible_to(user).select_related(
        "jurisdiction", "owner_org", "routed_to", "case", "reward"
    )


def waiting_panel(user) -> dict | None:
    """The home page's panel of tips waiting to be acknowledged (registered in
    ``TipsConfig.ready``); shown only when there are some."""
    if not user.organisations:
        return None
    waiting = tips_for(user).filter(status="received")
    count = waiting.count()
    if not count:
        return None
    overdue = waiting.filter(acknowledge_by__lt=timezone.localdate()).count()
    return {"tips_waiting": {"count": count, "overdue": overdue}}


def rewards_for(user):
    return (
        Reward.objects.filter(tip__in=Tip.objects.visible_to(user).values("pk"))
        .select_related(
            "tip__jurisdiction", "tip__owner_org", "schedule", "proposed_by", "approved_by"
        )
        .order_by("-created_at")
    )


class TipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TipStatus.choices, label=_lazy("Status"), widget=forms.Select(attrs=SELECT)
    )
    kind = django_filters.ChoiceFilter(
        choices=TipKind.choices, label=_lazy("Kind"), widget=forms.Select(attrs=SELECT)
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_lazy("Only overdue"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Tip
        fields = ["status", "kind"]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=TipStatus.RECEIVED, acknowledge_by__lt=timezone.localdate())


def tip_detail(user, tip, *, audit: bool = True) -> dict:
    """Everything the officer's tip page shows; opening the sealed parts is audited."""
    from ipex.core.errors import Forbidden
    from ipex.core.permissions import ensure_can_write
    from ipex.tips import services

    opened = services.tip_open(actor=user, tip=tip) if audit else services.tip_open_quiet(tip)
    try:
        ensure_can_write(user, tip)
        can_edit = True
    except Forbidden:
        can_edit = False
    reward = Reward.objects.filter(tip=tip).select_related("schedule", "budget").first()
    return {
        "tip": tip,
        **opened,
        "attachments": [
            {"file": a, "name": services.attachment_name(a)}
            for a in tip.attachments.select_related("tip")
        ],
        "can_edit": can_edit,
        "assessments": Assessment.choices,
        "outcomes": TipOutcome.choices,
        "reward": reward,
        "ceiling": services.reward_ceiling(reward) if reward else None,
        "is_approver": bool(reward)
        and services.is_reward_approver(
            user, reward.budget.organisation if reward.budget_id else tip.owner_org
        ),
        "duplicates": [t for t in services.cluster(tip) if t.pk != tip.pk],
        "first_reporter": services.first_reporter(tip),
        "overdue": tip.status == TipStatus.RECEIVED and tip.acknowledge_by < timezone.localdate(),
    }
