"""Jurisdictions and organisations."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.permissions import ensure_actor_node_admin, ensure_node_admin
from ipex.core.services import validate
from ipex.directory.models import (
    Jurisdiction,
    JurisdictionLevel,
    Node,
    Organisation,
)


def _add_to_tree(model, parent, values: dict):
    """A new, validated node of a tree of jurisdictions or organisations: under ``parent``,
    or a root when there is none."""
    validate(model(**values, path="0", depth=1), exclude=["path", "depth", "numchild"])
    manager = model.objects
    return manager.add_child(parent, values) if parent else manager.add_root(values)


# ---------------------------------------------------------------- jurisdictions


def jurisdiction_add(
    *,
    actor,
    code: str,
    level: str,
    name_en: str,
    name_zh_hans: str = "",
    name_ru: str = "",
    parent: Jurisdiction | None = None,
    is_iso: bool = False,
) -> Jurisdiction:
    """Add a jurisdiction under ``parent`` (a country when there is none), e.g. a city or
    county below an ISO province. Node administrators only."""
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    order = list(JurisdictionLevel.values)
    if level not in order:
        raise DomainError(_("Unknown level."), fields={"level": [_("Unknown level.")]})
    if parent is None and level != JurisdictionLevel.COUNTRY:
        raise DomainError(
            _("Only a country stands at the top; choose the jurisdiction this one is part of."),
            fields={"parent": [_("Required.")]},
        )
    if parent is not None and order.index(level) <= order.index(parent.level):
        raise DomainError(
            _("A %(level)s cannot be part of a %(parent)s.")
            % {"level": JurisdictionLevel(level).label, "parent": parent.get_level_display()},
            fields={"level": [_("Choose a level below the parent's.")]},
        )
    with transaction.atomic():
        if Jurisdiction.objects.filter(code=code).exists():
            raise Conflict(_("A jurisdiction with code %(code)s exists already.") % {"code": code})
        values = dict(
            code=code,
            level=level,
            name_en=name_en,
            name_zh_hans=name_zh_hans,
            name_ru=name_ru,
            is_iso=is_iso,
        )
        node = _add_to_tree(Jurisdiction, parent, values)
        audit_log(who, "directory.jurisdiction.added", node, values)
    return node


# ---------------------------------------------------------------- organisations

ORG_FIELDS = ("code", "kind", "name_en", "name_zh_hans", "name_ru", "jurisdiction")


def organisation_create(*, actor, **values) -> Organisation:
    """A node administrator adds an organisation (``organisation_add`` takes its values)."""
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    return organisation_add(actor=who, **values)


def organisation_add(
    *,
    actor,
    code: str,
    kind: str,
    name_en: str,
    jurisdiction: Jurisdiction,
    name_zh_hans: str = "",
    name_ru: str = "",
    supervisor: Organisation | None = None,
) -> Organisation:
    """Add an organisation below ``supervisor`` in the actor's name, for a use case that has
    checked its own rule: ``organisation_create`` (a node administrator) and the compliance
    app's ``body_register`` (an auditor of the supervising administration)."""
    who = as_actor(actor)
    values = dict(
        code=code.strip().upper(),
        kind=kind,
        name_en=name_en.strip(),
        name_zh_hans=name_zh_hans.strip(),
        name_ru=name_ru.strip(),
        jurisdiction=jurisdiction,
        origin_node=Node.local(),
    )
    with transaction.atomic():
        org = _add_to_tree(Organisation, supervisor, values)
        audit_log(
            who,
            "directory.organisation.created",
            org,
            {
                "code": org.code,
                "kind": org.kind,
                "jurisdiction": jurisdiction.code,
                "supervisor": supervisor.code if supervisor else None,
            },
        )
    return org


def organisation_update(*, actor, organisation: Organisation, **values) -> Organisation:
    """Change an organisation's names, kind, jurisdiction or active flag (node admins)."""
    who = as_actor(actor)
    ensure_node_admin(who.user)
    if organisation.origin_node_id != Node.local_id():
        raise Forbidden(_("This organisation belongs to another node and is read-only here."))
    allowed = {"kind", "name_en", "name_zh_hans", "name_ru", "jurisdiction", "is_active"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    changes = {}
    for field, value in values.items():
        before = getattr(organisation, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(organisation, field, value)
    if not changes:
        return organisation
    with transaction.atomic():
        validate(organisation)
        organisation.save(update_fields=list(values))
        audit_log(who, "directory.organisation.updated", organisation, changes)
    return organisation


def _plain(value):
    if hasattr(value, "code"):
        return value.code
    return value
