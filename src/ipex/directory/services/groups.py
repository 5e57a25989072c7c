"""Sharing groups and their members."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.services import validate
from ipex.directory.models import (
    Node,
    Organisation,
    Role,
    SharingGroup,
    SharingGroupMember,
)

# ---------------------------------------------------------------- sharing groups


def _ensure_can_manage_group(who: Actor, group: SharingGroup) -> None:
    """Node admins (and the node itself: a command, a task), and liaison officers or
    supervisors of the owner or of an organisation that supervises it."""
    if who.is_system or who.user.is_node_admin:
        return
    owner = group.owner_org
    for m in who.user.active_memberships:
        if m.role in {Role.LIAISON, Role.SUPERVISOR} and owner.path.startswith(m.organisation.path):
            return
    raise Forbidden(
        _(
            "Only liaison officers and supervisors of the owner organisation manage its sharing "
            "groups."
        ),
        code="not_group_manager",
    )


def sharing_group_create(
    *, actor, owner_org: Organisation, name: str, description: str = ""
) -> SharingGroup:
    who = as_actor(actor)
    group = SharingGroup(
        owner_org=owner_org,
        name=name.strip(),
        description=description.strip(),
        origin_node=Node.local(),
    )
    _ensure_can_manage_group(who, group)
    with transaction.atomic():
        validate(group)
        group.save()
        audit_log(who, "directory.sharing_group.created", group, {"owner": owner_org.code})
    return group


def sharing_group_add_member(
    *,
    actor,
    group: SharingGroup,
    organisation: Organisation | None = None,
    node: Node | None = None,
) -> SharingGroupMember:
    who = as_actor(actor)
    _ensure_can_manage_group(who, group)
    if (organisation is None) == (node is None):
        raise DomainError(_("Add either an organisation or a node."))
    try:
        with transaction.atomic():
            member = SharingGroupMember.objects.create(
                group=group, organisation=organisation, node=node
            )
            audit_log(
                who,
                "directory.sharing_group.member_added",
                group,
                {
                    "organisation": organisation.code if organisation else None,
                    "node": str(node.uuid) if node else None,
                },
            )
    except IntegrityError as exc:
        raise Conflict(_("This member is in the group already.")) from exc
    return member


def sharing_group_remove_member(*, actor, member: SharingGroupMember) -> None:
    who = as_actor(actor)
    group = member.group
    _ensure_can_manage_group(who, group)
    with transaction.atomic():
        details = {
            "organisation": member.organisation.code if member.organisation else None,
            "node": str(member.node.uuid) if member.node else None,
        }
        member.delete()
        audit_log(who, "directory.sharing_group.member_removed", group, details)
