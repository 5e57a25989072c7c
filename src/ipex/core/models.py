"""Core models: the shared-record base, the audit log and background jobs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

# Distribution and directory_model live with the rule that uses them; imported from here too.
from ipex.core.visibility import Distribution, directory_model, shared_record_q

# ---------------------------------------------------------------- references
# A record keeps what it refers to (PROTECT): organisations, places, people and vocabularies
# are deactivated or superseded, never deleted from under the records that name them; a row
# that is part of a record goes with it (parent_fk). These return the same ForeignKey as
# written out, so columns and migrations are those of Django.


def protected_fk(
    to, verbose_name=None, *, related_name: str | None = "+", optional: bool = False, **options
) -> models.ForeignKey:
    """A reference that keeps what it points at; ``optional`` may be left empty. No reverse
    accessor (``related_name="+"``) unless one is named."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def user_fk(verbose_name, **options) -> models.ForeignKey:
    """The user who did something to a record; empty when the system did it."""
    return protected_fk(settings.AUTH_USER_MODEL, verbose_name, optional=True, **options)


def unique(*fields: str, name: str) -> models.UniqueConstraint:
    """A model's ``Meta.constraints`` entry: no two rows share ``fields`` (``name`` names the
    constraint in the database, and in the message of a row refused for it)."""
    return models.UniqueConstraint(fields=list(fields), name=name)


def parent_fk(to, verbose_name=None, *, related_name: str, **options) -> models.ForeignKey:
    """The record a row is part of (a seizure's item, a case's action, a group's member): the
    row goes when its record goes and never reaches further than it. The record reaches its
    rows through ``related_name``."""
    return models.ForeignKey(
        to,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def workflow_status(choices: type[models.TextChoices], default, *, max_length: int = 16):
    """The state of a record's workflow (django-fsm-2): protected, so only the model's
    ``@transition`` methods move it."""
    return FSMField(
        _("status"), max_length=max_length, choices=choices.choices, default=default, protected=True
    )


class MultilingualName(models.Model):
    """A name in each of the node's languages; ``name`` picks the active one."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    #: The name in every language, as admin pages, searches and partner nodes list them.
    NAME_FIELDS = ("name_en", "name_zh_hans", "name_ru")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def localized_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").lower()
        if language.startswith("zh"):
            return self.name_zh_hans or self.name_en
        if language.startswith("ru"):
            return self.name_ru or self.name_en
        return self.name_en

    @property
    def name(self) -> str:
        return self.localized_name()


class SharedRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> SharedRecordQuerySet:
        return self.filter(shared_record_q(user))

    def live(self) -> SharedRecordQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class SharedRecord(models.Model):
    """Base of every record that can cross a border (DESIGN, Core concepts)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin_node = protected_fk("directory.Node", _("origin node"))
    owner_org = protected_fk("directory.Organisation", _("owner organisation"))
    distribution = models.CharField(
        _("distribution"), max_length=8, choices=Distribution.choices, default=Distribution.ORG
    )
    sharing_group = protected_fk("directory.SharingGroup", _("sharing group"), optional=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = SharedRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def clean(self) -> None:
        super().clean()
        if self.distribution == Distribution.GROUP and not self.sharing_group_id:
            raise ValidationError(
                {"sharing_group": _("Choose the sharing group this record is shared with.")}
            )
        if self.distribution != Distribution.GROUP and self.sharing_group_id:
            raise ValidationError(
                {"sharing_group": _("A sharing group is only used with the 'sharing group' level.")}
            )

    @property
    def is_replica(self) -> bool:
        return self.origin_node_id != directory_model("Node").local_id()


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEntryQuerySet:
        if getattr(user, "is_node_admin", False):
            return self.all()
        return self.none()

    def update(self, **kwargs):  # noqa: ARG002 - the log is append-only
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One entry of the append-only, hash-chained audit log."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=16, editable=False)
    actor_user = user_fk(_("actor"), editable=False)
    actor_label = models.CharField(_("actor"), max_length=255, editable=False)
    action = models.CharField(_("action"), max_length=100, db_index=True, editable=False)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, editable=False)
    object_uuid = models.CharField(
        _("record"), max_length=64, blank=True, db_index=True, editable=False
    )
    object_repr = models.CharField(_("record"), max_length=255, blank=True, editable=False)
    changes = models.JSONField(_("changes"), default=dict, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries cannot be deleted.")


class AuditHead(models.Model):
    """The newest entry's sequence and hash, so removing the last entries is detected too."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit head")


class JobKind(models.TextChoices):
    AUDIT_VERIFY = "audit.verify", _("Verify the audit log")
    SEIZURE_IMPORT = "seizures.import", _("Import seizures")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(started_by=user)


class Job(models.Model):
    """A piece of background work and what became of it, for the user who started it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=50, choices=JobKind.choices)
    started_by = protected_fk(settings.AUTH_USER_MODEL, _("started by"), related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}


class WorkerHeartbeat(models.Model):
    """A task worker (``ipex db_worker``) that is alive says so here every few seconds; the
    readiness check and the metrics read how long ago the newest one spoke."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker heartbeat")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"
