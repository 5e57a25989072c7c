"""Core writes: starting background jobs, and the shared-record write path every app uses."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import FSMField, can_proceed

from ipex.core.audit import as_actor, audit_log, record_type
from ipex.core.errors import Conflict, DomainError
from ipex.core.models import Distribution, Job
from ipex.core.permissions import ensure_actor_can_write, ensure_actor_member_of
from ipex.core.registry import job_handlers
from ipex.core.tasks import run_job
from ipex.core.visibility import may_name, unknown_message

log = logging.getLogger(__name__)


def distribution_check(*, actor, distribution: str, sharing_group=None) -> None:
    """Who may see a new or re-shared record: a known level, and a sharing group only with
    the 'sharing group' level and only one the actor may see (one they cannot see is unknown,
    whether it exists or not). Every create service and ``shared_record_share`` call it."""
    who = as_actor(actor)
    problem = None
    if distribution not in Distribution.values:
        problem = "distribution", _("Unknown distribution.")
    elif sharing_group is not None and not may_name(who, sharing_group):
        # System actors (imports, the demo, partners' changes) may use any group.
        problem = "sharing_group", unknown_message(sharing_group)
    elif distribution == Distribution.GROUP and sharing_group is None:
        problem = "sharing_group", _("Choose the sharing group this record is shared with.")
    elif distribution != Distribution.GROUP and sharing_group is not None:
        problem = "sharing_group", _("A sharing group is only used with the 'sharing group' level.")
    if problem is not None:
        field, message = problem
        raise DomainError(_("Choose who may see it."), fields={field: [message]})


def creating_member(actor, owner_org, *, distribution: str, sharing_group=None):
    """The actor of a create of a shared record owned by ``owner_org``: a member of it (its
    supervisors do not create for it), sharing the record at a level and with a group it may
    use (``distribution_check``)."""
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    distribution_check(actor=who, distribution=distribution, sharing_group=sharing_group)
    return who


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
    protected = [f.name for f in instance._meta.fields if isinstance(f, FSMField) and f.protected]
    try:
        instance.full_clean(exclude=[*(exclude or []), *protected])
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise DomainError(_("Please correct the errors below."), fields=fields) from exc


class SharedWrite:
    """What the body of a shared-record write may do besides assigning the record's fields
    (which it may also do directly: every changed field is found and saved)."""

    def __init__(self, record) -> None:
        self.record = record
        self.details: dict = {}
        self.skipped = False
        self._before = _snapshot(record)

    def set(self, **values) -> None:
        """Assign fields of the record."""
        for name, value in values.items():
            setattr(self.record, name, value)

    def note(self, **details) -> None:
        """Add to the audit entry (a key named like a changed field replaces its before/after)."""
        self.details.update(details)

    def skip(self) -> None:
        """Nothing to write after all (the record is as asked already): no new version, no
        audit entry. Whatever the body wrote itself stays, so skip before writing anything."""
        self.skipped = True

    def changed_fields(self) -> list:
        return [
            field
            for field in _tracked_fields(self.record)
            if getattr(self.record, field.attname) != self._before[field.attname]
        ]

    def diff(self, fields) -> dict:
        """Before and after of the changed fields, as the audit log keeps them."""
        return {
            field.name: [
                _audit_value(field, self._before[field.attname]),
                _audit_value(field, getattr(self.record, field.attname)),
            ]
            for field in fields
        }


def _tracked_fields(record) -> list:
    return [
        f
        for f in record._meta.concrete_fields
        if not f.primary_key and f.attname not in ("version", "updated_at")
    ]


def _snapshot(record) -> dict:
    return {f.attname: copy.deepcopy(getattr(record, f.attname)) for f in _tracked_fields(record)}


def _audit_value(field, value):
    """A related record is named by its code or uuid (what users and partners know it by)."""
    if value is None or not field.is_relation:
        return value
    related = field.related_model._base_manager.filter(pk=value).first()
    if related is None:
        return value
    return str(getattr(related, "code", None) or getattr(related, "uuid", None) or related.pk)


@contextmanager
def shared_record_write(
    actor,
    record,
    action: str,
    *,
    allow_supervisors: bool = False,
    permission: Callable | None = None,
    exclude: Iterable[str] = (),
) -> Iterator[SharedWrite]:
    """The one way an existing shared record is changed::

        with shared_record_write(who, seizure, "seizures.seizure.updated") as write:
            write.set(place="Bao'an port")   # or assign seizure.place directly
            write.note(reason=reason)        # more for the audit entry

    In one transaction: the row is locked and the instance brought up to date with it; a
    person must be allowed to write it (``ensure_can_write``, or ``permission(actor, record)``
    where a use case has its own rule; a system actor is not checked); the body runs; then the
    record gets a new version and update time, is validated, saved (its changed fields only)
    and audited with the before and after of what changed. An error raised by the body
    writes nothing."""
    who = as_actor(actor)
    with transaction.atomic():
        locked(record)
        if permission is not None:
            permission(who, record)
        else:
            ensure_actor_can_write(who, record, allow_supervisors=allow_supervisors)
        write = SharedWrite(record)
        yield write
        if write.skipped:
            return
        changed = write.changed_fields()
        validate(record, exclude=exclude)
        record.version += 1
        record.updated_at = timezone.now()
        record.save(update_fields=[*(f.name for f in changed), "version", "updated_at"])
        audit_log(who, action, record, {**write.diff(changed), **write.details})


def locked(record):
    """The record's row locked until the transaction ends, and the instance brought up to
    date with it (call inside ``transaction.atomic``)."""
    record.refresh_from_db(from_queryset=type(record)._base_manager.select_for_update())
    return record


def workflow_step(record, transition: str, refused: Callable | None = None) -> None:
    """Call the django-fsm ``transition`` method of ``record``; one its state does not allow
    raises ``refused(record)`` (by default a Conflict saying so) and changes nothing."""
    method = getattr(record, transition)
    if not can_proceed(method):
        if refused is not None:
            raise refused(record)
        raise Conflict(_("This cannot be done in its current state."), code="illegal_transition")
    method()


@contextmanager
def shared_record_transition(
    actor,
    record,
    transition: str,
    action: str,
    *,
    check: Callable | None = None,
    refused: Callable | None = None,
    **options,
) -> Iterator[SharedWrite]:
    """A workflow step (a django-fsm transition method of the record) as a shared-record
    write: ``check(record)`` runs on the locked record first (the step's own conditions),
    a step the record's state does not allow raises ``refused(record)`` (a Conflict by
    default), then the transition is called and the body may set what goes with it."""
    with shared_record_write(actor, record, action, **options) as write:
        if check is not None:
            check(record)
        workflow_step(record, transition, refused)
        yield write


@contextmanager
def shared_record_create(
    actor, record, action: str, *, exclude: Iterable[str] = ()
) -> Iterator[SharedWrite]:
    """The one way a shared record is created: for a person, only for their own organisation;
    validated and saved, then the body adds what belongs to it (item lines, links) and the
    creation is audited with what the body noted — after the body, so that what is published
    with the audit entry is the whole record."""
    who = as_actor(actor)
    ensure_actor_member_of(who, record.owner_org, allow_supervisors=False)
    with transaction.atomic():
        validate(record, exclude=exclude)
        record.save()
        write = SharedWrite(record)
        yield write
        changed = write.changed_fields()
        if changed:  # what the body set once the record had its id
            validate(record, exclude=exclude)
            record.save(update_fields=[f.name for f in changed])
        audit_log(who, action, record, write.details)


def shared_record_share(*, actor, record, distribution: str, sharing_group=None) -> None:
    """Change who may see a record (share, narrow, or make public): the owner organisation
    only; a new version, audited, and so published to partners as the new distribution says
    (a partner that loses access gets a tombstone)."""
    who = as_actor(actor)
    ensure_actor_can_write(who, record)
    distribution_check(actor=who, distribution=distribution, sharing_group=sharing_group)
    with shared_record_write(who, record, f"{record_type(record)}.distribution_changed") as write:
        before = (record.distribution, getattr(record.sharing_group, "uuid", None))
        record.distribution = distribution
        record.sharing_group = sharing_group if distribution == Distribution.GROUP else None
        write.note(
            distribution=[before[0], distribution],
            sharing_group=[
                str(before[1]) if before[1] else None,
                str(record.sharing_group.uuid) if record.sharing_group else None,
            ],
        )
