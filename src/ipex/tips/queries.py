"""Tip reads: lists and details through the one door (``Tip.objects.visible_to``), a tip by
its receipt and what its tipster sees, the tips that report the same matter."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from ipex.core.filters import choice_filter, only_filter
from ipex.tips import crypto, receipts
from ipex.tips.crypto import Context
from ipex.tips.models import (
    Reward,
    RewardBudget,
    RewardSchedule,
    RewardStatus,
    Tip,
    TipKind,
    TipStatus,
)

#: tips as the officers' pages list and show them (the base view applies ``visible_to``)
TIPS = Tip.objects.select_related("jurisdiction", "owner_org", "routed_to", "case", "reward")


def tips_for(user):
    return TIPS.visible_to(user)


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


def tip_by_receipt(raw) -> Tip | None:
    """The tip of a receipt, or None: one argon2id hash and one indexed lookup either way."""
    return (
        Tip.objects.filter(receipt_hash=receipts.receipt_hash(raw), withdrawn_at__isnull=True)
        .select_related("jurisdiction")
        .first()
    )


def tipster_view(tip: Tip) -> dict:
    """What the tipster sees with the receipt: status, the conversation, the reward."""
    reward = reward_of(tip)
    return {
        "status": tip.status,
        "status_label": tip.get_status_display(),
        "kind": tip.get_kind_display(),
        "submitted": tip.created_at.date(),
        "messages": [
            {
                "direction": m.direction,
                "body": crypto.unseal_text(m.body_sealed, context=Context.TIP_MESSAGE.of(tip.uuid)),
                "at": m.created_at,
            }
            for m in tip.messages.all()
        ],
        "files": tip.attachments.count(),
        "reward": None
        if reward is None
        else {
            "status": reward.status,
            "status_label": reward.get_status_display(),
            "amount": reward.amount if reward.status in {"approved", "paid"} else None,
            "currency": reward.currency,
            "reason": reward.reason if reward.status == RewardStatus.REJECTED else "",
        },
        "can_reply": tip.status != TipStatus.CLOSED,
        "can_claim": reward is not None
        and reward.status in {RewardStatus.CLAIM_INVITED, RewardStatus.REJECTED},
    }


def cluster(tip: Tip) -> list[Tip]:
    """The tip and every tip linked to it as a duplicate, either way, transitively."""
    seen = {tip.pk: tip}
    frontier = [tip.pk]
    while frontier:
        linked = Tip.objects.filter(
            Q(duplicate_of_id__in=frontier) | Q(duplicates__id__in=frontier)
        ).exclude(pk__in=seen)
        frontier = []
        for other in linked:
            seen[other.pk] = other
            frontier.append(other.pk)
    return list(seen.values())


def first_reporter(tip: Tip) -> Tip:
    """Of a matter reported several times, the tip submitted first."""
    return min(cluster(tip), key=lambda t: (t.created_at, t.pk))


def reward_of(tip: Tip) -> Reward | None:
    """The reward of a tip, if its closing made one due."""
    return Reward.objects.filter(tip=tip).first()


def reward_schedules():
    return RewardSchedule.objects.all()


def reward_budgets_for(user):
    """The reward budgets of the user's organisations."""
    if not user.organisations:
        return []
    return RewardBudget.objects.select_related("organisation").filter(
        organisation__in=user.organisations
    )


class TipFilter(django_filters.FilterSet):
    status = choice_filter(TipStatus.choices, _lazy("Status"))
    kind = choice_filter(TipKind.choices, _lazy("Kind"))
    overdue = only_filter(_lazy("Only overdue"), "filter_overdue")

    class Meta:
        model = Tip
        fields = ["status", "kind"]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=TipStatus.RECEIVED, acknowledge_by__lt=timezone.localdate())
