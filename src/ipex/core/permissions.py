"""Who may write: only on the origin node, only the owner organisation (and, where a use case
says so, the organisations that supervise it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ipex.core.errors import Forbidden
from ipex.core.models import directory_model
from ipex.core.visibility import signed_in


def _write_refusal(user, record, *, allow_supervisors: bool) -> Forbidden | None:
    """Why the user may not write the record, or None when they may."""
    if record.origin_node_id != directory_model("Node").local_id():
        return Forbidden(
            _("This record comes from another node and is read-only here."), code="read_only"
        )
    if not signed_in(user):
        return Forbidden()
    owner = record.owner_org
    for organisation in user.organisations:
        if organisation.pk == owner.pk:
            return None
        if allow_supervisors and owner.path.startswith(organisation.path):
            return None
    return Forbidden(
        _("Only the organisation that owns this record can change it."), code="not_owner"
    )


def can_write(user, record, *, allow_supervisors: bool = False) -> bool:
    """Whether the user may change the record: what pages and services both ask."""
    return _write_refusal(user, record, allow_supervisors=allow_supervisors) is None


def ensure_can_write(user, record, *, allow_supervisors: bool = False) -> None:
    """Raise the reason (read-only replica, not the owner) unless ``can_write``."""
    refusal = _write_refusal(user, record, allow_supervisors=allow_supervisors)
    if refusal is not None:
        raise refusal


def ensure_actor_can_write(actor, record, *, allow_supervisors: bool = False) -> None:
    """``ensure_can_write`` for whoever acts: a person is checked, a system actor (a task, a
    command, the demo) writes what the code that runs it decided."""
    if not actor.is_system:
        ensure_can_write(actor.user, record, allow_supervisors=allow_supervisors)


def ensure_member_of(user, organisation, *, allow_supervisors: bool = True) -> None:
    """The user acts for this organisation (or one that supervises it)."""
    for own in getattr(user, "organisations", []):
        if own.pk == organisation.pk or (
            allow_supervisors and organisation.path.startswith(own.path)
        ):
            return
    raise Forbidden(
        _("You can only act for your own organisation or those it supervises."), code="not_member"
    )


def ensure_actor_member_of(actor, organisation, *, allow_supervisors: bool = True) -> None:
    """``ensure_member_of`` for whoever acts; a system actor acts for any organisation."""
    if not actor.is_system:
        ensure_member_of(actor.user, organisation, allow_supervisors=allow_supervisors)


def ensure_node_admin(user) -> None:
    if not getattr(user, "is_node_admin", False):
        raise Forbidden(_("Only node administrators can do this."), code="not_node_admin")


def ensure_actor_node_admin(actor) -> None:
    """``ensure_node_admin`` for whoever acts; a system actor (a command, a task, the demo)
    administers its own node."""
    if not actor.is_system:
        ensure_node_admin(actor.user)
