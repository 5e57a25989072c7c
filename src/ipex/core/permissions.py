"""Who may write: only on the origin node, only the owner organisation (and, where a use case
says so, the organisations that supervise it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ipex.core.errors import Forbidden
from ipex.core.models import directory_model


def ensure_can_write(user, record, *, allow_supervisors: bool = False) -> None:
    if record.origin_node_id != directory_model("Node").local_id():
        raise Forbidden(
            _("This record comes from another node and is read-only here."), code="read_only"
        )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Forbidden()
    owner = record.owner_org
    for organisation in user.organisations:
        if organisation.pk == owner.pk:
            return
        if allow_supervisors and owner.path.startswith(organisation.path):
            return
    raise Forbidden(
        _("Only the organisation that owns this record can change it."), code="not_owner"
    )


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


def ensure_node_admin(user) -> None:
    if not getattr(user, "is_node_admin", False):
        raise Forbidden(_("Only node administrators can do this."), code="not_node_admin")
