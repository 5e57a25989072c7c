"""Who reads software-legalisation records: by the organisation tree (a body its own, an
administration the bodies below it), curators the raw strings, any signed-in user the
vocabulary."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ipex.core.visibility import SignedInQuerySet, signed_in  # noqa: F401 (read from here)
from ipex.directory.models import Role


def within_reach(user, field: str) -> Q:
    """Rows whose ``field`` (an organisation) is one of the user's organisations or below one
    of them in the tree; nothing for a visitor, a deactivated user or one in no organisation."""
    q = Q(pk__in=[])
    if not signed_in(user):
        return q
    for organisation in user.organisations:
        q |= Q(**{f"{field}__path__startswith": organisation.path})
    return q


class ReachQuerySet(models.QuerySet):
    """``visible_to`` for a model whose rows belong to an organisation named by ``reach``."""

    reach = "body__organisation"

    def visible_to(self, user):
        return self.filter(within_reach(user, self.reach))


def reach_queryset(path: str):
    return type("ReachQuerySet", (ReachQuerySet,), {"reach": path}).as_manager()


def is_curator(user) -> bool:
    """Who keeps the catalogue and the rules: compliance auditors and node administrators."""
    return signed_in(user) and (user.is_node_admin or Role.AUDITOR in user.roles)


class CuratorQuerySet(models.QuerySet):
    """What only curators read: the raw strings of every body's inventories."""

    def visible_to(self, user):
        return self.all() if is_curator(user) else self.none()
