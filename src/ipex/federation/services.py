"""Partners: one function per use case, transactional, audited (keys: ``keys.py``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_actor_node_admin
from ipex.directory.models import Node
from ipex.federation import canonical
from ipex.federation.keys import check_public_key, ensure_local_key, remember_key
from ipex.federation.models import Partner, SyncState


def partner_node_active(node: Node) -> bool:
    """Does this node exchange with ``node`` now (approved here, not suspended)?"""
    return Partner.objects.filter(
        node=node, approved_here_at__isnull=False, suspended_at__isnull=True
    ).exists()


def partner_last_heard(node: Node):
    """When this node last pulled from ``node`` successfully (None: never)."""
    state = SyncState.objects.filter(partner=node).first()
    return state.last_success_at if state else None


def partner_add(*, actor, node_id: str, name: str, base_url: str, public_key: str) -> Partner:
    """Register a partner node and approve it from this side."""
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    check_public_key(public_key)
    base_url = (base_url or "").strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise DomainError(_("Give the partner's base URL."), fields={"url": [_("Not a URL.")]})
    local = Node.local()
    if node_id == str(local.uuid) or public_key == local.public_key:
        raise Conflict(_("A node cannot be its own partner."))
    with transaction.atomic():
        ensure_local_key()
        node = Node.objects.filter(uuid=node_id).first()
        if node is None:
            node = Node.objects.create(
                uuid=node_id, name=name[:200], base_url=base_url, public_key=public_key
            )
        else:
            if node.is_local:
                raise Conflict(_("A node cannot be its own partner."))
            Node.objects.filter(pk=node.pk).update(
                name=name[:200], base_url=base_url, public_key=public_key
            )
        remember_key(node, public_key)
        partner, created = Partner.objects.get_or_create(node=node)
        if partner.approved_here_at is None or partner.suspended_at is not None:
            partner.approved_here_at = timezone.now()
            partner.suspended_at = None
            partner.save()
        SyncState.objects.get_or_create(partner=node)
        audit_log(
            who,
            "federation.partner.approved",
            node,
            {"base_url": base_url, "key_id": canonical.key_id(public_key), "new": created},
        )
    return partner


def partner_confirmed(*, node: Node) -> Partner:
    """The other side answered, signed, that it approved this node too."""
    partner = Partner.objects.get(node=node)
    if partner.approved_there_at is None:
        with transaction.atomic():
            partner.approved_there_at = timezone.now()
            partner.save(update_fields=["approved_there_at"])
            audit_log(as_actor(None), "federation.partner.confirmed", node, {})
    return partner


def partner_suspend(*, actor, node: Node) -> Partner:
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    partner = Partner.objects.get(node=node)
    with transaction.atomic():
        partner.suspended_at = timezone.now()
        partner.save(update_fields=["suspended_at"])
        audit_log(who, "federation.partner.suspended", node, {})
    return partner
