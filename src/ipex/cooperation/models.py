"""Cooperation across borders: agreements between organisations of several nodes, meetings
with their action items, and joint operations whose results each participating node
publishes as a summary of figures (never the records behind them)."""

from __future__ import annotations

import uuid as uuidlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.core.models import SharedRecord, parent_fk, protected_fk, unique


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    PROTOCOL = "protocol", _("Protocol")
    AGREEMENT = "agreement", _("Agreement")


class Agreement(SharedRecord):
    """A cooperation agreement between organisations (its parties), on one or several nodes,
    shared with them; owned by the party that recorded it."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    parties = models.ManyToManyField(
        "directory.Organisation", related_name="+", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signed"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    # kinds of shareable record (``seizures.seizure``…) and category codes it covers
    scope_kinds = models.JSONField(_("kinds of records"), default=list, blank=True)
    scope_categories = models.JSONField(_("categories"), default=list, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    # [{"language": "ru", "title": "…", "url": "…"}]
    documents = models.JSONField(_("documents"), default=list, blank=True)
    groups = models.ManyToManyField(
        "directory.SharingGroup", blank=True, related_name="+", verbose_name=_("sharing groups")
    )

    class Meta(SharedRecord.Meta):
        ordering = ["-signed_on", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class MeetingKind(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    MULTILATERAL = "multilateral", _("Multilateral")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video conference")


class Meeting(SharedRecord):
    """A meeting of organisations of several nodes, recorded by the one that convened it."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    mode = models.CharField(_("form"), max_length=10, choices=MeetingMode.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    participants = models.ManyToManyField(
        "directory.Organisation", related_name="+", verbose_name=_("participants")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    # {"en": "…", "ru": "…"}: the minutes in the languages used
    minutes = models.JSONField(_("minutes"), default=dict, blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["-starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_ITEM = {ItemStatus.DONE, ItemStatus.DROPPED}


class ActionItem(models.Model):
    """Something a participant promised at a meeting: part of the meeting (it travels with
    it); its owner reports progress with updates of its own (``ItemUpdate``)."""

    meeting = parent_fk(Meeting, _("meeting"), related_name="items")
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    owner = protected_fk("directory.Organisation", _("owner organisation"))
    text = models.TextField(_("action"))
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text[:80]


class ItemUpdate(SharedRecord):
    """The owner's word on its action item: a record of its own, on its own node, pointing to
    the meeting; the latest one gives the item's status on every participant's node."""

    meeting = parent_fk(Meeting, _("meeting"), related_name="updates")
    item = parent_fk(ActionItem, _("action item"), related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("action item update")
        verbose_name_plural = _("action item updates")


class JointOperation(SharedRecord):
    """An operation of organisations of several nodes, led by its owner."""

    title = models.CharField(_("title"), max_length=200)
    participants = models.ManyToManyField(
        "directory.Organisation", related_name="+", verbose_name=_("participants")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # [{"name": "…", "starts_on": "YYYY-MM-DD", "ends_on": "YYYY-MM-DD"}]
    phases = models.JSONField(_("phases"), default=list, blank=True)
    targets = models.TextField(_("targets"), blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["-starts_on", "id"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on


class LinkKind(models.TextChoices):
    SEIZURE = "seizure", _("Seizure")
    CASE = "case", _("Case")
    ALERT = "alert", _("Alert")


class OperationLink(models.Model):
    """One of this node's own records linked to a joint operation by its organisation, with
    what it adds to that organisation's figures (kept, so a summary is never a scan). It
    never leaves the node: only the summary does."""

    operation = parent_fk(JointOperation, _("joint operation"), related_name="links")
    organisation = protected_fk("directory.Organisation", _("organisation"))
    kind = models.CharField(_("kind"), max_length=8, choices=LinkKind.choices)
    record_uuid = models.UUIDField(_("record"), db_index=True)
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [unique("operation", "kind", "record_uuid", name="unique_operation_link")]


class ResultSummary(SharedRecord):
    """One participating organisation's figures in a joint operation, computed on its own
    node from its own linked records and published to the other participants at every
    change; ``computed_at`` orders them (an older one never replaces a newer)."""

    operation = parent_fk(JointOperation, _("joint operation"), related_name="summaries")
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["owner_org__code"]
        verbose_name = _("result summary")
        verbose_name_plural = _("result summaries")
        constraints = [unique("operation", "owner_org", name="unique_operation_summary")]
