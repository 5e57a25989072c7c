"""Reads of the border app: the record lists (through the door) and the public register."""

from __future__ import annotations

from ipex.border import register
from ipex.border.models import Recordation

RECORDATIONS = Recordation.objects.select_related("owner_org", "origin_node", "sharing_group")


def register_search(q: str = ""):
    """The public register: recorded, valid recordations matching a number, work, mark,
    holder or goods, every word of ``q`` (no sign-in; the caller shows only the public
    fields)."""
    rows = Recordation.objects.in_register().select_related("owner_org").order_by("number")
    q = (q or "").strip()[:200]
    return register.matching(rows, q) if q else rows
