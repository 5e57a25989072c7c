"""Directory reads, always through ``visible_to``."""

from __future__ import annotations

from ipex.core.models import AuditEntry
from ipex.directory.models import Organisation, Role, SharingGroup, User


def subordinate_organisations(user) -> list[Organisation]:
    """The organisations the user's organisations supervise (not themselves)."""
    result: dict[int, Organisation] = {}
    for own in user.organisations:
        for org in (
            Organisation.objects.visible_to(user)
            .subtree_of(own)
            .exclude(pk=own.pk)
            .select_related("jurisdiction")
        ):
            result.setdefault(org.pk, org)
    return list(result.values())


def dashboard_context(user) -> dict:
    """What each role's home page shows; every figure is a live count through the one door."""
    roles = user.roles
    context: dict = {"panels": []}
    if roles & {Role.SUPERVISOR, Role.STATISTICIAN}:
        context["subordinates"] = subordinate_organisations(user)
    if roles & {Role.LIAISON, Role.SUPERVISOR} or user.is_node_admin:
        context["sharing_groups"] = list(
            SharingGroup.objects.visible_to(user).select_related("owner_org")[:10]
        )
    if user.is_node_admin:
        context["admin_counts"] = {
            "users": User.objects.visible_to(user).filter(is_active=True).count(),
            "organisations": Organisation.objects.visible_to(user).filter(is_active=True).count(),
            "audit_entries": AuditEntry.objects.visible_to(user).count(),
        }
    return context
