"""Reads of the border app: the record lists (through the door) and the public register."""

from __future__ import annotations

from django.db.models import Q

from ipex.border.models import Recordation

RECORDATIONS = Recordation.objects.select_related("owner_org", "origin_node", "sharing_group")


def register_search(q: str = ""):
    """The public register: recorded, valid recordations matching a number, work, mark,
    holder or goods (no sign-in; the caller shows only the public fields)."""
    rows = Recordation.objects.in_register().select_related("owner_org").order_by("number")
    q = (q or "").strip()[:200]
    if q:
        rows = rows.filter(
            Q(number__iexact=q)
            | Q(work_title__icontains=q)
            | Q(mark__icontains=q)
            | Q(work_owner__icontains=q)
            | Q(goods__icontains=q)
            | Q(owner_org__name_en__icontains=q)
            | Q(owner_org__name_zh_hans__icontains=q)
            | Q(owner_org__name_ru__icontains=q)
        )
    return rows
