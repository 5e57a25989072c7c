"""What the officer's tip page (and the API's tip detail) shows: the tip with its sealed
parts opened — the opening is audited, which is why this is a service and not a query — its
files, the reward and what the reader may do."""

from __future__ import annotations

from django.utils import timezone

from ipex.core.permissions import can_write
from ipex.tips.models import Assessment, Reward, TipOutcome, TipStatus
from ipex.tips.queries import cluster, first_reporter
from ipex.tips.services.rewards import is_reward_approver, reward_ceiling
from ipex.tips.services.submission import attachment_name
from ipex.tips.services.triage import tip_open, tip_open_quiet


def tip_detail(user, tip, *, audit: bool = True) -> dict:
    """Everything the officer's tip page shows; opening the sealed parts is audited."""
    opened = tip_open(actor=user, tip=tip) if audit else tip_open_quiet(tip)
    reward = Reward.objects.filter(tip=tip).select_related("schedule", "budget").first()
    return {
        "tip": tip,
        **opened,
        "attachments": [
            {"file": a, "name": attachment_name(a)} for a in tip.attachments.select_related("tip")
        ],
        "can_edit": can_write(user, tip),
        "assessments": Assessment.choices,
        "outcomes": TipOutcome.choices,
        "reward": reward,
        "ceiling": reward_ceiling(reward) if reward else None,
        "is_approver": bool(reward)
        and is_reward_approver(
            user, reward.budget.organisation if reward.budget_id else tip.owner_org
        ),
        "duplicates": [t for t in cluster(tip) if t.pk != tip.pk],
        "first_reporter": first_reporter(tip),
        "overdue": tip.status == TipStatus.RECEIVED and tip.acknowledge_by < timezone.localdate(),
    }
