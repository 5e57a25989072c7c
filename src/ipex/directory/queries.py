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
            .within(own)
            .exclude(pk=own.pk)
            .select_related("jurisdiction")
        ):
            result.setdefault(org.pk, org)
    return list(result.values())


# The home page's panels (registered in ``DirectoryConfig.ready``): every figure is a live
# count through the one door; None leaves the panel out for this user.


def roles_panel(user) -> dict:
    return {"memberships": user.active_memberships}


def admin_panel(user) -> dict | None:
    if not user.is_node_admin:
        return None
    return {
        "admin_counts": {
            "users": User.objects.visible_to(user).filter(is_active=True).count(),
            "organisations": Organisation.objects.visible_to(user).filter(is_active=True).count(),
            "audit_entries": AuditEntry.objects.visible_to(user).count(),
        }
    }


def subordinates_panel(user) -> dict | None:
    if not user.roles & {Role.SUPERVISOR, Role.STATISTICIAN}:
        return None
    return {"subordinates": subordinate_organisations(user)}


def sharing_groups_panel(user) -> dict | None:
    if not (user.roles & {Role.LIAISON, Role.SUPERVISOR} or user.is_node_admin):
        return None
    return {
        "sharing_groups": list(
            SharingGroup.objects.visible_to(user).select_related("owner_org")[:10]
        )
    }
