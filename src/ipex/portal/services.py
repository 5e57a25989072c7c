"""The portal's writes: news items from draft to publication (issue 16). Each step is a
shared-record write (core.services), so it is checked, versioned and audited once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.core.audit import as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.services import (
    shared_record_create,
    shared_record_transition,
    shared_record_write,
)
from ipex.core.visibility import Distribution, may_name
from ipex.directory.models import Role
from ipex.directory.shareable import local_record
from ipex.portal.models import Event, NewsItem, NewsStatus

# A time "now" typed on a form is a little in the past by the time it arrives.
SCHEDULE_SLACK = dt.timedelta(minutes=1)


def _holds(role: str):
    """A permission for ``shared_record_write``: a person holding ``role`` in the item's
    organisation (a system actor acts for the node)."""

    def check(who, item) -> None:
        if who.is_system or who.user.has_role(role, item.owner_org):
            return
        if role == Role.NEWS_APPROVER:
            raise Forbidden(_("Only a news approver of the organisation can do this."))
        raise Forbidden(_("Only a press officer of the organisation can do this."))

    return check


def _refused(message, field: str) -> DomainError:
    """A refusal that concerns one input: said above the form and beside the field."""
    return DomainError(message, fields={field: [message]})


def _only(values: dict, allowed: set) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )


def _in_draft(item: NewsItem) -> None:
    if item.status != NewsStatus.DRAFT:
        raise Conflict(_("Only a draft can be edited; a published item is corrected."))


def news_draft(
    *,
    actor,
    owner_org,
    language: str,
    title: str,
    summary: str,
    body: str,
    category: str = "news",
    tags: str = "",
    translation_of: NewsItem | None = None,
) -> NewsItem:
    """A press officer of ``owner_org`` drafts an item, or a translation of one."""
    who = as_actor(actor)
    if not who.is_system and not who.user.has_role(Role.PRESS_OFFICER, owner_org):
        raise Forbidden(_("Only a press officer of the organisation can do this."))
    item = local_record(
        NewsItem,
        owner_org,
        Distribution.ORG,
        language=language,
        title=title,
        summary=summary,
        body=body,
        category=category,
        tags=tags,
        author=who.user,
    )
    if translation_of is not None:
        if not isinstance(translation_of, NewsItem) or not may_name(who, translation_of):
            raise _refused(_("Unknown news item."), "translation_of")
        if translation_of.owner_org_id != owner_org.pk:
            raise DomainError(
                _("A translation belongs to the organisation of the item it translates."),
                fields={"translation_of": [_("This item belongs to another organisation.")]},
            )
        if NewsItem.objects.filter(group=translation_of.group, language=language).exists():
            raise _refused(_("This item already has a version in that language."), "language")
        item.group = translation_of.group
    with shared_record_create(who, item, "portal.newsitem.drafted") as write:
        write.note(language=language, title=title, translation_of=str(item.group))
    return item


def news_update(*, actor, item: NewsItem, **values) -> NewsItem:
    """A draft's text, category or tags changed by a press officer."""
    _only(values, {"title", "summary", "body", "category", "tags"})
    with shared_record_write(
        actor, item, "portal.newsitem.updated", permission=_holds(Role.PRESS_OFFICER)
    ) as write:
        _in_draft(item)
        write.set(**values)
    return item


def news_submit(*, actor, item: NewsItem) -> NewsItem:
    """A press officer sends the draft for approval."""
    with shared_record_transition(
        actor, item, "submit", "portal.newsitem.submitted", permission=_holds(Role.PRESS_OFFICER)
    ):
        pass
    return item


def news_return(*, actor, item: NewsItem, reason: str = "") -> NewsItem:
    """An approver sends the item back to draft."""
    with shared_record_transition(
        actor, item, "send_back", "portal.newsitem.returned", permission=_holds(Role.NEWS_APPROVER)
    ) as write:
        write.note(reason=reason)
    return item


def _not_the_author(who):
    def check(item: NewsItem) -> None:
        if not who.is_system and item.author_id == who.user.pk:
            raise Forbidden(
                _("An item is approved by someone other than its author."), code="own_item"
            )

    return check


def news_publish(*, actor, item: NewsItem, publish_at: dt.datetime | None = None) -> NewsItem:
    """An approver who is not the author approves the item: published now, or at
    ``publish_at`` (a time to come)."""
    who = as_actor(actor)
    now = timezone.now()
    if publish_at is not None:
        if timezone.is_naive(publish_at):
            raise _refused(_("Give the time of publication with its time zone."), "publish_at")
        if publish_at < now - SCHEDULE_SLACK:
            raise _refused(_("A publication cannot be scheduled in the past."), "publish_at")
    with shared_record_transition(
        who,
        item,
        "publish",
        "portal.newsitem.published",
        check=_not_the_author(who),
        permission=_holds(Role.NEWS_APPROVER),
    ):
        item.published_at = max(publish_at or now, now)
        item.approved_by = who.user
        item.distribution = Distribution.PUBLIC
    return item


def news_correct(*, actor, item: NewsItem, note: str, **values) -> NewsItem:
    """A press officer corrects a published item; the page shows the correction, its note and
    its date."""
    _only(values, {"title", "summary", "body", "tags"})
    if not (note or "").strip():
        raise _refused(_("Say what the correction changes."), "note")
    with shared_record_write(
        actor, item, "portal.newsitem.corrected", permission=_holds(Role.PRESS_OFFICER)
    ) as write:
        if item.status != NewsStatus.PUBLISHED:
            raise Conflict(_("Only a published item is corrected; a draft is edited."))
        write.set(**values, corrected_at=timezone.now(), correction_note=note.strip())
    return item


# ---------------------------------------------------------------- events


def _named(who, records, field: str):
    """Records an input names, each one the actor may name; else the one "unknown" answer."""
    for record in records:
        if record is not None and not may_name(who, record):
            raise _refused(_("Unknown %(thing)s.") % {"thing": record._meta.verbose_name}, field)


def event_create(
    *,
    actor,
    owner_org,
    name_en: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str = "Asia/Shanghai",
    online: bool = False,
    place: str = "",
    name_zh_hans: str = "",
    name_ru: str = "",
    description: str = "",
    organisations=(),
    campaign=None,
    statistics_year: int | None = None,
    news_item: NewsItem | None = None,
) -> Event:
    """A press officer of ``owner_org`` records an event (a draft until an approver
    publishes it). An event ending before it starts, without a place unless online, or in
    an unknown time zone is refused; the records it names must be ones the officer sees."""
    who = as_actor(actor)
    if not who.is_system and not who.user.has_role(Role.PRESS_OFFICER, owner_org):
        raise Forbidden(_("Only a press officer of the organisation can do this."))
    organisations = list(organisations or ())
    _named(who, organisations, "organisations")
    _named(who, [campaign], "campaign")
    _named(who, [news_item], "news_item")
    event = local_record(
        Event,
        owner_org,
        Distribution.ORG,
        name_en=(name_en or "").strip(),
        name_zh_hans=(name_zh_hans or "").strip(),
        name_ru=(name_ru or "").strip(),
        description=description or "",
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        online=online,
        place="" if online else (place or "").strip(),
        campaign=campaign,
        statistics_year=statistics_year,
        news_item=news_item,
        author=who.user,
    )
    with shared_record_create(who, event, "portal.event.created") as write:
        if organisations:
            event.organisations.set(organisations)
        write.note(organisations=sorted(o.code for o in organisations))
    return event


def event_publish(*, actor, event: Event) -> Event:
    """A news approver who did not record the event announces it to the public."""
    who = as_actor(actor)
    with shared_record_transition(
        who,
        event,
        "publish",
        "portal.event.published",
        check=_not_the_author(who),
        permission=_holds(Role.NEWS_APPROVER),
    ):
        event.approved_by = who.user
        event.distribution = Distribution.PUBLIC
    return event
