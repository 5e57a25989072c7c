"""Reads of cooperation records (through the door) and the liaison officer's home panel."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from ipex.cooperation.models import (
    CLOSED_ITEM,
    ActionItem,
    Agreement,
    ItemUpdate,
    JointOperation,
    Meeting,
)
from ipex.cooperation.services import item_status
from ipex.core.registry import shareable_types

AGREEMENTS = Agreement.objects.select_related("owner_org", "origin_node").prefetch_related(
    "parties"
)
MEETINGS = Meeting.objects.select_related("owner_org", "origin_node").prefetch_related(
    "participants"
)
OPERATIONS = JointOperation.objects.select_related("owner_org", "origin_node").prefetch_related(
    "participants"
)


def items_of(meetings) -> list[ActionItem]:
    """The action items of these meetings, each with its ``status`` and ``is_overdue``."""
    updates = ItemUpdate.objects.filter(withdrawn_at__isnull=True).order_by("-updated_at")
    items = list(
        ActionItem.objects.filter(meeting__in=meetings)
        .select_related("owner", "meeting")
        .prefetch_related(Prefetch("updates", queryset=updates))
    )
    today = timezone.localdate()
    for item in items:
        item.status = item_status(item)
        item.is_overdue = item.status not in CLOSED_ITEM and item.due_on < today
    return items


def agreement_counts(agreement: Agreement) -> list[dict]:
    """What each party shared under the agreement: per kind of record in its scope, how many
    live records of the party are shared with one of the groups implementing it (counts,
    never contents)."""
    groups = list(agreement.groups.all())
    kinds = agreement.scope_kinds or []
    rows = []
    for party in agreement.parties.all():
        counts = {}
        for kind in kinds:
            model = shareable_types[kind].model
            counts[kind] = (
                model.objects.filter(owner_org=party, sharing_group__in=groups)
                .filter(withdrawn_at__isnull=True)
                .count()
                if groups
                else 0
            )
        rows.append({"party": party, "counts": counts, "total": sum(counts.values())})
    return rows


def liaison_panel(user) -> dict | None:
    """Agreements in force, upcoming meetings, open action items (overdue first) and running
    operations the user can see; None when there are none."""
    today = timezone.localdate()
    now = timezone.now()
    agreements = list(
        Agreement.objects.visible_to(user).filter(starts_on__lte=today).order_by("-signed_on")[:5]
    )
    meetings = list(
        Meeting.objects.visible_to(user).filter(ends_at__gte=now).order_by("starts_at")[:5]
    )
    items = [i for i in items_of(Meeting.objects.visible_to(user)) if i.status not in CLOSED_ITEM]
    items.sort(key=lambda i: (not i.is_overdue, i.due_on))
    operations = list(
        JointOperation.objects.visible_to(user).filter(starts_on__lte=today, ends_on__gte=today)[:5]
    )
    if not (agreements or meetings or items or operations):
        return None
    return {
        "agreements": agreements,
        "meetings": meetings,
        "items": items[:10],
        "overdue": sum(1 for i in items if i.is_overdue),
        "operations": operations,
    }
