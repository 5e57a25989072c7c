"""Publishing the national bulletin: the paragraph in every language, from the roll-ups."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import Distribution
from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, Role
from ipex.seizures.models import Bulletin

PUBLISHER_ROLES = {Role.STATISTICIAN, Role.SUPERVISOR}


def publisher_org(user, country: Jurisdiction):
    """The user's national organisation for that country, if they may publish for it."""
    for m in getattr(user, "active_memberships", []):
        if m.role in PUBLISHER_ROLES and m.organisation.jurisdiction_id == country.pk:
            return m.organisation
    return None


def bulletin_publish(*, actor, country: str, year: int) -> Bulletin:
    from ipex.seizures.queries import bulletin_text

    who = as_actor(actor)
    place = Jurisdiction.objects.filter(
        code=(country or "").upper(), level=JurisdictionLevel.COUNTRY
    ).first()
    if place is None:
        raise DomainError(
            _("Unknown country '%(code)s'.") % {"code": country},
            fields={"country": [_("Unknown country.")]},
        )
    owner = publisher_org(who.user, place)
    if owner is None:
        raise Forbidden(
            _(
                "Only statisticians and supervisors of a national organisation of "
                "%(country)s publish its bulletin."
            )
            % {"country": place.name},
            code="not_publisher",
        )
    texts = {
        lang: bulletin_text(country=place.code, year=year, language=lang)
        for lang in ("en", "zh-hans", "ru")
    }
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(country=place, year=year).first()
        if bulletin is None:
            bulletin = Bulletin(
                origin_node=Node.local(),
                owner_org=owner,
                country=place,
                year=year,
                distribution=Distribution.PUBLIC,
            )
        else:
            bulletin.version += 1
        bulletin.text_en, bulletin.text_zh_hans, bulletin.text_ru = (
            texts["en"],
            texts["zh-hans"],
            texts["ru"],
        )
        bulletin.published_by, bulletin.updated_at = who.user, timezone.now()
        bulletin.save()
        audit_log(who, "seizures.bulletin.published", bulletin, {"en": texts["en"]})
    return bulletin
