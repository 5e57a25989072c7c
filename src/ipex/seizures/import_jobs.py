"""Large uploads are imported in the background: the file is stored, a job records progress
and outcome for the user who started it. Small files are imported while the user waits."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings

from ipex.core.audit import as_actor
from ipex.core.models import Job, JobKind
from ipex.core.permissions import ensure_member_of
from ipex.core.services import job_start
from ipex.directory.models import Organisation
from ipex.seizures.imports import import_dir


def background_threshold() -> int:
    """Files larger than this (bytes) go to the task worker."""
    return int(getattr(settings, "IPEX_IMPORT_SYNC_BYTES", 2 * 1024 * 1024))


def import_start_job(
    *, actor, owner_org: Organisation, upload, dry_run: bool = False, encoding: str | None = None
) -> Job:
    """Store the upload outside the web root and queue its import."""
    who = as_actor(actor)
    if who.user is not None:
        ensure_member_of(who.user, owner_org, allow_supervisors=False)
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
