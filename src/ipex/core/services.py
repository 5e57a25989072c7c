"""Core writes: starting background jobs, and the shared-record write path every app uses."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError
from ipex.core.models import Distribution, Job
from ipex.core.permissions import ensure_can_write
from ipex.core.registry import job_handlers
from ipex.core.tasks import run_job
from ipex.core.visibility import UnknownRecord, resolve_visible, unknown_message

log = logging.getLogger(__name__)


def distribution_check(*, actor, distribution: str, sharing_group=None) -> None:
    """Who may see a new or re-shared record: a known level, and a sharing group only with
    the 'sharing group' level and only one the actor may see (one they cannot see is unknown,
    whether it exists or not). Every create service and ``shared_record_share`` call it."""
    who = as_actor(actor)
    problem = None
    if distribution not in Distribution.values:
        problem = "distribution", _("Unknown distribution.")
    elif (
        sharing_group is not None
        and who.user is not None
        and not _group_visible(who.user, sharing_group)
    ):
        # System actors (imports, the demo, partners' changes) may use any group.
        problem = "sharing_group", unknown_message(sharing_group)
    elif distribution == Distribution.GROUP and sharing_group is None:
        problem = "sharing_group", _("Choose the sharing group this record is shared with.")
    elif distribution != Distribution.GROUP and sharing_group is not None:
        problem = "sharing_group", _("A sharing group is only used with the 'sharing group' level.")
    if problem is not None:
        field, message = problem
        raise DomainError(_("Choose who may see it."), fields={field: [message]})


def _group_visible(user, group) -> bool:
    try:
        resolve_visible(type(group), user, group)
    except UnknownRecord:
        return False
    return True


def job_start(*, actor, kind: str, params: dict | None = None) -> Job:
    """Record a job and enqueue it once the transaction commits."""
    who = as_actor(actor)
    handler = job_handlers.get(kind)
    if handler is None:
        raise DomainError(_("Unknown kind of job."), code="unknown_job")
    if handler.permission is not None:
        handler.permission(who.user)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, started_by=who.user, params=params or {})
        audit_log(who, "core.job.started", job, {"kind": kind})
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(str(job.uuid))
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


def validate(instance, *, exclude: Iterable[str] | None = None) -> None:
    """``full_clean`` whose failure is a DomainError with messages per field. Protected
    workflow fields (django-fsm) change only through their transitions and are not cleaned
    (cleaning assigns them)."""
    from django_fsm import FSMField

    protected = [f.name for f in instance._meta.fields if isinstance(f, FSMField) and f.protected]
    try:
        instance.full_clean(exclude=[*(exclude or []), *protected])
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise DomainError(_("Please correct the errors below."), fields=fields) from exc


def shared_record_save(
    *, actor, record, fields: Iterable[str], action: str, changes: dict | None = None
) -> None:
    """Save an edit to a shared record: owner check, validation, version bump, audit."""
    who = as_actor(actor)
    ensure_can_write(who.user, record)
    update_fields = [*fields, "version", "updated_at"]
    record.version += 1
    record.updated_at = timezone.now()
    validate(record)
    record.save(update_fields=update_fields)
    audit_log(who, action, record, changes or {})


def shared_record_share(*, actor, record, distribution: str, sharing_group=None) -> None:
    """Change who may see a record (share, narrow, or make public): the owner organisation
    only; a new version, audited, and so published to partners as the new distribution says
    (a partner that loses access gets a tombstone)."""
    who = as_actor(actor)
    ensure_can_write(who.user, record)
    distribution_check(actor=who, distribution=distribution, sharing_group=sharing_group)
    before = (record.distribution, getattr(record.sharing_group, "uuid", None))
    record.distribution = distribution
    record.sharing_group = sharing_group if distribution == Distribution.GROUP else None
    with transaction.atomic():
        shared_record_save(
            actor=who,
            record=record,
            fields=["distribution", "sharing_group"],
            action=f"{record._meta.label_lower}.distribution_changed",
            changes={
                "distribution": [before[0], distribution],
                "sharing_group": [
                    str(before[1]) if before[1] else None,
                    str(record.sharing_group.uuid) if record.sharing_group else None,
                ],
            },
        )
