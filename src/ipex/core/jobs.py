"""Running a background job in the worker: status, progress and errors are kept on the job,
messages in the language of whoever started it. (Starting one: ``services.job_start``.)"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log, audit_verify
from ipex.core.errors import DomainError, NotFound
from ipex.core.models import Job, JobStatus
from ipex.core.registry import job_handlers

log = logging.getLogger(__name__)


def job_run(*, job_uuid: str) -> Job:
    """Run a job (in the worker): status, progress and errors are kept on the job."""
    job = Job.objects.filter(uuid=job_uuid).first()
    if job is None:
        raise NotFound()
    if job.is_finished:
        return job
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])

    def progress(percent: int) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)))

    language = job.started_by.language or settings.LANGUAGE_CODE
    try:
        handler = job_handlers[job.kind]
        with translation.override(language):  # messages in the language of who started it
            result = handler.run(job, progress)
    except DomainError as exc:
        with translation.override(language):
            job.status, job.message = JobStatus.FAILED, str(exc)
        job.result = {"code": exc.code, "fields": exc.fields}
    except Exception:
        log.exception("job %s (%s) failed", job.uuid, job.kind)
        job.status = JobStatus.FAILED
        with translation.override(language):
            job.message = _(
                "The job failed unexpectedly; the operator can find the cause in the log."
            )
    else:
        job.status, job.progress, job.result = JobStatus.SUCCEEDED, 100, result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "message", "result", "finished_at"])
    return job


def audit_verify_job(job: Job, progress) -> dict:
    result = audit_verify(progress=progress)
    job.message = (
        _("The audit log is intact: %(count)s entries checked.") % {"count": result.checked}
        if result.ok
        else _("The audit log has been tampered with: %(reason)s.") % {"reason": result.reason}
    )
    audit_log(as_actor(job.started_by), "core.audit.verified", job, result.as_dict())
    return result.as_dict()
