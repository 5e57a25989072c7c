"""Starting an import, the one way the page and the API do it: a small file is imported while
the user waits (``ImportResult``), a large one is stored outside the web root and queued for
the task worker (the ``Job`` whose page shows its progress and outcome); and that job."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor
from ipex.core.errors import DomainError, NotFound
from ipex.core.models import Job, JobKind
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import job_start
from ipex.directory.models import Organisation
from ipex.seizures.imports.columns import row_line
from ipex.seizures.imports.results import ImportFailed, ImportResult
from ipex.seizures.imports.service import seizures_import


def background_threshold() -> int:
    """Files larger than this (bytes) go to the task worker."""
    return int(getattr(settings, "IPEX_IMPORT_SYNC_BYTES", 2 * 1024 * 1024))


def upload_too_large_message() -> str:
    """What the page and the API say of an upload cut off at ``IPEX_IMPORT_MAX_BYTES``."""
    return _("The file is larger than the limit of %(size)s MB.") % {
        "size": settings.IPEX_IMPORT_MAX_BYTES // (1024 * 1024)
    }


def start(
    *, actor, owner_org: Organisation, upload, dry_run: bool = False, encoding: str | None = None
) -> Job | ImportResult:
    """Import ``upload`` (a Django ``UploadedFile``) for ``owner_org``: now if it is small
    (the result; ``ImportFailed`` or ``DomainError`` for a bad file), else in the background
    (the queued job)."""
    encoding = encoding or None
    if upload.size > background_threshold():
        return import_queue(
            actor=actor, owner_org=owner_org, upload=upload, dry_run=dry_run, encoding=encoding
        )
    return seizures_import(
        actor=actor,
        owner_org=owner_org,
        fileobj=upload.file,
        filename=upload.name,
        dry_run=dry_run,
        encoding=encoding,
    )


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def import_queue(
    *, actor, owner_org: Organisation, upload, dry_run: bool = False, encoding: str | None = None
) -> Job:
    """Store the upload outside the web root and queue its import."""
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    folder = import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4()}{Path(upload.name or '').suffix.lower()[:6]}"
    with (folder / name).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return job_start(
        actor=who,
        kind=JobKind.SEIZURE_IMPORT,
        params={
            "path": name,
            "filename": (upload.name or name)[:255],
            "owner_org": owner_org.code,
            "dry_run": bool(dry_run),
            "encoding": encoding or None,
        },
    )


def import_job(job, progress) -> dict:
    """Background import of a stored upload (``job.params``); the file is removed after."""
    params = job.params or {}
    base = import_dir().resolve()
    path = (base / str(params.get("path") or "")).resolve()
    try:
        if not path.is_relative_to(base) or not path.is_file():
            raise NotFound(_("The uploaded file is no longer there; upload it again."))
        owner = Organisation.objects.filter(code=str(params.get("owner_org") or "")).first()
        if owner is None:
            raise NotFound(_("Unknown organisation."))
        with path.open("rb") as fileobj:
            try:
                result = seizures_import(
                    actor=job.started_by,
                    owner_org=owner,
                    fileobj=fileobj,
                    filename=params.get("filename") or path.name,
                    dry_run=bool(params.get("dry_run")),
                    encoding=params.get("encoding") or None,
                    progress=progress,
                )
            except ImportFailed as exc:
                # the job keeps only its message: put the row report in it
                lines = [str(exc)] + [
                    row_line(row, message) for row, _column, message in exc.row_errors
                ]
                raise DomainError("\n".join(lines), code=exc.code, fields=exc.fields) from exc
    finally:
        if path.is_relative_to(base) and path.is_file():
            path.unlink(missing_ok=True)
    job.message = result.message
    return result.as_dict()
