"""The one door for reading shared records: who may see what (DESIGN, Distribution).

``SharedRecord.objects.visible_to(user)`` filters with ``shared_record_q(user)``; every list,
detail, export, API endpoint and feed goes through it. Withdrawn records are seen by nobody.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipex.core.errors import DomainError
from ipex.core.freshness import kept


class Distribution(models.TextChoices):
    ORG = "org", _("Organisation and its supervisors")
    NODE = "node", _("Every organisation on this node")
    GROUP = "group", _("Sharing group")
    PUBLIC = "public", _("Public")


def signed_in(user) -> bool:
    """An active, signed-in user: not a visitor (nor None), not a deactivated account."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class SignedInQuerySet(models.QuerySet):
    """Rows every signed-in user reads (a node-wide vocabulary or rule set); a visitor
    or a deactivated account reads none."""

    def visible_to(self, user):
        return self.all() if signed_in(user) else self.none()


def directory_model(name: str):
    """A model of the directory app. Core sits below the directory in the app order: its
    records point to the directory's nodes, organisations and groups by name (``"directory.Node"``,
    as they point to ``settings.AUTH_USER_MODEL``) and resolve them through the app registry,
    never by importing the directory."""
    return apps.get_model("directory", name)


def _visibility(user) -> dict:
    """What the filter needs to know about a user, read once per request and kept under the
    audit head between requests (``core.freshness``): the organisations whose records the
    user's organisations own or supervise (their subtrees, as ids, so the filter needs no join),
    the sharing groups they are in, and the local node."""
    context = getattr(user, "_ipex_visibility", None)
    if context is None:
        context = kept("visibility", user.pk, lambda: _read_visibility(user))
        user._ipex_visibility = context
    return context


def _read_visibility(user) -> dict:
    trees = Q(pk__in=[])
    for organisation in user.organisations:
        trees |= Q(path__startswith=organisation.path)
    return {
        "org_ids": list(
            directory_model("Organisation").objects.filter(trees).values_list("id", flat=True)
        ),
        "group_ids": _group_ids(user),
        "local_node": directory_model("Node").local_id(),
    }


def _group_ids(user) -> list[int]:
    org_ids = [o.pk for o in user.organisations]
    if not org_ids:
        return []
    return list(
        directory_model("SharingGroupMember")
        .objects.filter(Q(organisation_id__in=org_ids) | Q(node__is_local=True))
        .values_list("group_id", flat=True)
        .distinct()
    )


def shared_record_q(user) -> Q:
    live = Q(withdrawn_at__isnull=True)
    public = Q(distribution=Distribution.PUBLIC)
    if not signed_in(user):
        return live & public
    if not user.organisations:
        return live & public

    context = _visibility(user)
    q = public | Q(owner_org_id__in=context["org_ids"])
    q |= Q(distribution=Distribution.NODE, origin_node_id=context["local_node"])
    if context["group_ids"]:
        q |= Q(distribution=Distribution.GROUP, sharing_group_id__in=context["group_ids"])
    return live & q


# ---------------------------------------------------------------- the door for inputs


def unknown_message(model) -> str:
    """The one answer for a record an input names that is missing, malformed or hidden:
    "Unknown sharing group." — the same whichever it is, so an answer never tells who has what."""
    return gettext("Unknown %(thing)s.") % {"thing": model._meta.verbose_name}


def resolve_model(model):
    """A model class, or one named by its label (``"directory.SharingGroup"``), as core names
    the models of the apps above it."""
    return apps.get_model(model) if isinstance(model, str) else model


class UnknownRecord(DomainError):
    """A record an input names is missing, malformed or not visible: one answer for all."""

    default_code = "unknown"

    def __init__(self, model, *, field: str | None = None):
        self.model = model
        message = unknown_message(model)
        super().__init__(message, fields={field: [message]} if field else None)


def resolve_visible(model, user, value, *, field: str = "uuid", queryset=None):
    """The record of ``model`` whose ``field`` (uuid, or code where the model has one) is
    ``value``, if ``user`` may reference it (``Model.objects.visible_to(user)``, or the narrower
    ``queryset`` a caller gives); otherwise :class:`UnknownRecord`, with the same message for
    missing, malformed and hidden."""
    model = resolve_model(model)
    if queryset is None:
        queryset = model._default_manager.visible_to(user)
    if isinstance(value, models.Model):
        lookup = {"pk": value.pk}
    elif value is None or (isinstance(value, str) and not value.strip()):
        raise UnknownRecord(model)
    else:
        lookup = {field: value.strip() if isinstance(value, str) else value}
    try:
        return queryset.get(**lookup)
    except (
        model.DoesNotExist,
        MultipleObjectsReturned,
        ValidationError,
        ValueError,
        TypeError,
    ) as exc:
        raise UnknownRecord(model) from exc


def may_name(who, record) -> bool:
    """Whether an actor may name ``record`` in an input (link it, share with it, mark a
    duplicate of it): a system actor (the command line, tasks, a partner's change) any record,
    a person only one that comes through the door (``Model.objects.visible_to(user)``)."""
    if who.is_system:
        return True
    return type(record)._default_manager.visible_to(who.user).filter(pk=record.pk).exists()
