"""What the node publishes to the public: news items and events (issue 16).

A news item is a shared record of the press office's organisation: its drafts are seen as
any record of that organisation; once published (and its time has come) anyone may read it,
signed in or not (``NewsItem.objects.published()``).
"""

from __future__ import annotations

import bisect
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin, transition

from ipex.core.freshness import kept
from ipex.core.models import (
    MultilingualName,
    SharedRecord,
    SharedRecordQuerySet,
    protected_fk,
    unique,
    user_fk,
    workflow_status,
)
from ipex.core.textsearch import terms


class ContentLanguage(models.TextChoices):
    """The languages an item is written in (the node's languages, as URLs spell them)."""

    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    RU = "ru", _("Russian")


class NewsCategory(models.TextChoices):
    NEWS = "news", _("News")
    EVENT_REPORT = "event_report", _("Event report")
    POLICY = "policy", _("Policy")
    ENFORCEMENT = "enforcement", _("Enforcement results")


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class NewsItemQuerySet(SharedRecordQuerySet):
    def published(self, now=None) -> NewsItemQuerySet:
        """What an anonymous reader may see: published, its time come, not withdrawn."""
        return self.filter(
            status=NewsStatus.PUBLISHED,
            published_at__lte=now or timezone.now(),
            withdrawn_at__isnull=True,
        )

    def readable(self, user) -> NewsItemQuerySet:
        """Of what ``visible_to`` lets ``user`` see, what the API lists: published items, and
        to the staff of the owning organisation its drafts and scheduled items."""
        public = Q(
            status=NewsStatus.PUBLISHED,
            published_at__lte=timezone.now(),
            withdrawn_at__isnull=True,
        )
        return self.filter(public | Q(owner_org__in=_own_orgs(user)))


def _own_orgs(user) -> list[int]:
    return [org.pk for org in getattr(user, "organisations", None) or ()]


def search_text(*texts: str) -> str:
    """What search matches: the terms of the texts, space-separated and framed by spaces
    (so a phrase is found as `` term term`` from a term's start, on any database)."""
    found = terms(" ".join(t for t in texts if t))
    return f" {' '.join(found)} " if found else ""


class NewsItem(FSMModelMixin, SharedRecord):
    """One language version of an article; versions of one item share ``group``."""

    group = models.UUIDField(_("item"), default=uuid.uuid4, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=ContentLanguage.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("body (Markdown)"))
    category = models.CharField(
        _("category"), max_length=16, choices=NewsCategory.choices, default=NewsCategory.NEWS
    )
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    # The workflow (django-fsm-2): only the transitions below change it.
    status = workflow_status(NewsStatus, NewsStatus.DRAFT)
    author = user_fk(_("author"))
    approved_by = user_fk(_("approved by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)
    correction_note = models.TextField(_("correction"), blank=True)
    # The terms search matches (``ipex.core.textsearch.terms``), kept by ``save``.
    search_terms = models.TextField(blank=True, default="", editable=False)

    objects = NewsItemQuerySet.as_manager()

    class Meta(SharedRecord.Meta):
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        constraints = [unique("group", "language", name="unique_news_language")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_terms = search_text(self.title, self.summary, self.body, self.tags)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_terms"}
        super().save(*args, **kwargs)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_public(self) -> bool:
        return (
            self.status == NewsStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self.withdrawn_at is None
        )

    @transition(field=status, source=NewsStatus.DRAFT, target=NewsStatus.REVIEW)
    def submit(self) -> None:
        """Sent to an approver."""

    @transition(field=status, source=NewsStatus.REVIEW, target=NewsStatus.DRAFT)
    def send_back(self) -> None:
        """Returned to the press officer."""

    @transition(field=status, source=NewsStatus.REVIEW, target=NewsStatus.PUBLISHED)
    def publish(self) -> None:
        """Approved and published (now, or at ``published_at``)."""


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class EventQuerySet(SharedRecordQuerySet):
    def published(self) -> EventQuerySet:
        """What an anonymous reader may see."""
        return self.filter(status=EventStatus.PUBLISHED, withdrawn_at__isnull=True)

    def readable(self, user) -> EventQuerySet:
        """Of what ``visible_to`` lets ``user`` see: published events, and to the owning
        organisation's staff its drafts."""
        public = Q(status=EventStatus.PUBLISHED, withdrawn_at__isnull=True)
        return self.filter(public | Q(owner_org__in=_own_orgs(user)))


class Event(FSMModelMixin, MultilingualName, SharedRecord):
    """A meeting, conference or video conference the node announces and reports on: its
    time with its time zone, its place or "online", the organisations taking part (of this
    node or of partner nodes) and the records it concerns."""

    description = models.TextField(_("description (Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    online = models.BooleanField(_("online (video conference)"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("participating organisations"),
    )
    campaign = protected_fk("campaigns.Campaign", _("special action"), optional=True)
    statistics_year = models.PositiveSmallIntegerField(_("statistics year"), null=True, blank=True)
    news_item = protected_fk(NewsItem, _("news item"), optional=True)
    status = workflow_status(EventStatus, EventStatus.DRAFT)
    author = user_fk(_("author"))
    approved_by = user_fk(_("approved by"))

    objects = EventQuerySet.as_manager()

    class Meta(SharedRecord.Meta):
        ordering = ["-starts_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = [_("An event cannot end before it starts.")]
        if not self.online and not (self.place or "").strip():
            errors["place"] = [_('Give the place, or mark the event "online".')]
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = [_("Unknown time zone.")]
        if self.statistics_year is not None and not 1990 <= self.statistics_year <= 2100:
            errors["statistics_year"] = [_("Give a year between 1990 and 2100.")]
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @transition(field=status, source=EventStatus.DRAFT, target=EventStatus.PUBLISHED)
    def publish(self) -> None:
        """Announced to the public."""


def _coming_changes() -> list:
    """The moments after now at which a public page changes by the clock alone: a scheduled
    item's time comes, an announced event ends (it leaves "coming up"); earliest first."""
    now = timezone.now()
    scheduled = NewsItem.objects.filter(
        status=NewsStatus.PUBLISHED, published_at__gt=now, withdrawn_at__isnull=True
    )
    ending = Event.objects.published().filter(ends_at__gt=now)
    moments = (
        scheduled.order_by()
        .values_list("published_at", flat=True)
        .union(ending.order_by().values_list("ends_at", flat=True))
    )
    return sorted(moments)


def next_public_change():
    """The next moment at which a public page changes by the clock alone, or None: what the
    public pages are kept and tagged under besides the audit head (``core.views.
    validated_pages``). The list of moments is itself kept under the head: publishing,
    scheduling and announcing are audited, so it is read again after any of them."""
    moments = kept("portal-moments", "", _coming_changes)
    found = bisect.bisect_right(moments, timezone.now())
    return moments[found] if found < len(moments) else None


class DatasetVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DatasetVersionQuerySet:  # noqa: ARG002 - open data
        """Open data: every published version, current or superseded, is public."""
        return self.all()

    def current(self) -> DatasetVersionQuerySet:
        return self.filter(superseded_at__isnull=True)


class DatasetVersion(models.Model):
    """A year of an open dataset as it was published (``ipex.core.registry.open_datasets``):
    its rows frozen when the figures were published. Publishing the year again with other
    figures adds the next version and marks this one superseded; it stays downloadable at
    its own address."""

    dataset = models.CharField(_("dataset"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("rows"), default=list)
    digest = models.CharField(_("SHA-256 of the rows"), max_length=64)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = user_fk(_("published by"))
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = DatasetVersionQuerySet.as_manager()

    class Meta:
        ordering = ["dataset", "-year", "-number"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [unique("dataset", "year", "number", name="unique_dataset_version")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.year} v{self.number}"

    @property
    def changed_at(self):
        """When what is said about this version last changed (superseded, or published)."""
        return self.superseded_at or self.published_at
