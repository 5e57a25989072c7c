"""Publishing the national bulletin: the paragraph in every language, from the roll-ups."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ipex.core.audit import as_actor
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import Distribution
from ipex.core.registry import announce_published
from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, Role
from ipex.seizures.models import Bulletin
from ipex.seizures.queries import bulletin_text

PUBLISHER_ROLES = {Role.STATISTICIAN, Role.SUPERVISOR}


def publisher_org(user, country: Jurisdiction):
    """The user's national organisation for that country, if they may publish for it."""
    for m in getattr(user, "active_memberships", []):
        if m.role in PUBLISHER_ROLES and m.organisation.jurisdiction_id == country.pk:
            return m.organisation
    return None


def bulletin_publish(*, actor, country: str, year: int) -> Bulletin:

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
    existing = Bulletin.objects.filter(country=place, year=year).first()
    if existing is None:
        bulletin = Bulletin(
            origin_node=Node.local(),
            owner_org=owner,
            country=place,
            year=year,
            distribution=Distribution.PUBLIC,
            published_by=who.user,
            text_en=texts["en"],
            text_zh_hans=texts["zh-hans"],
            text_ru=texts["ru"],
        )
        with shared_record_create(who, bulletin, "seizures.bulletin.published") as write:
            write.note(en=texts["en"])
            announce_published("bulletin", year=year, actor=who)
        return bulletin
    with shared_record_write(
        who,
        existing,
        "seizures.bulletin.published",
        # Any publisher of the country publishes its bulletin again (checked above).
        permission=lambda who, bulletin: None,
    ) as write:
        write.set(
            text_en=texts["en"],
            text_zh_hans=texts["zh-hans"],
            text_ru=texts["ru"],
            published_by=who.user,
        )
        write.note(en=texts["en"])
        announce_published("bulletin", year=year, actor=who)
    return existing
