"""Evidence files: type decided by content (not by name), size limited, stored under
IPEX_DATA_DIR/evidence (never served by the web server), downloads audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ipex.cases.models import Case, CaseStatus, Evidence
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_actor_can_write
from ipex.core.services import shared_record_write

# Magic numbers of the accepted kinds, and the names they may carry.
SIGNATURES = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"PK\x03\x04", "application/zip", {".zip", ".docx", ".xlsx"}),
]
MAX_BYTES = 50 * 1024 * 1024


def evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def sniff(head: bytes, filename: str, *, allowed: set[str] | None = None) -> str:
    """The file's type by its first bytes; a name that does not match its content is refused
    (an executable named .pdf), as is a type outside ``allowed`` (content types)."""
    suffix = Path(filename or "").suffix.lower()
    for magic, content_type, suffixes in SIGNATURES:
        if allowed is not None and content_type not in allowed:
            continue
        if head.startswith(magic):
            if suffix not in suffixes:
                break
            return content_type
    raise DomainError(
        _(
            "%(name)s is not an accepted evidence file: PDF, PNG, JPEG or ZIP (Office) files "
            "whose content matches their name."
        )
        % {"name": filename},
        fields={"file": [_("Not an accepted file type.")]},
        code="bad_file_type",
    )


def read_within(uploads, max_bytes: int, problems: list, *, default_name: str = "file"):
    """Each upload's plain name (at most 200 characters) and content, for those of at most
    ``max_bytes`` (read no further than one byte past it); a larger one is left out with
    "<name> is larger than <size>." in ``problems``."""
    for upload in uploads:
        name = Path(getattr(upload, "name", "") or default_name).name[:200]
        too_large = getattr(upload, "size", 0) > max_bytes
        data = b"" if too_large else upload.read(max_bytes + 1)
        if too_large or len(data) > max_bytes:
            problems.append(
                _("%(name)s is larger than %(size)s.")
                % {"name": name, "size": filesizeformat(max_bytes)}
            )
            continue
        yield name, data


def checked_upload(upload) -> str:
    """An uploaded evidence file (or proof) within the size limit, its type read from its
    content and matching its name; the content type."""
    limit = getattr(settings, "IPEX_EVIDENCE_MAX_BYTES", MAX_BYTES)
    if upload.size > limit:
        raise DomainError(
            _("The file is %(size)s; evidence files are limited to %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            fields={"file": [_("Too large.")]},
            code="too_large",
        )
    upload.seek(0)
    content_type = sniff(upload.read(16), upload.name)
    upload.seek(0)
    return content_type


def evidence_add(*, actor, case: Case, upload, description: str = "") -> Evidence:
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(
            _("A closed case takes no new evidence; reopen it first."), code="illegal_transition"
        )
    content_type = checked_upload(upload)
    evidence_dir().mkdir(parents=True, exist_ok=True)
    with shared_record_write(who, case, "cases.evidence.added") as write:
        row = Evidence(
            case=case,
            filename=Path(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256="",
            description=(description or "").strip()[:300],
            uploaded_by=who.user,
        )
        digest = hashlib.sha256()
        path = evidence_dir() / str(row.uuid)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                digest.update(chunk)
                handle.write(chunk)
        row.sha256 = digest.hexdigest()
        row.save()
        write.note(evidence=str(row.uuid), sha256=row.sha256, size=row.size)
    return row


def evidence_open(*, actor, evidence: Evidence):
    """The stored file, for a user who reached the case through the one door; audited."""
    path = evidence_dir() / str(evidence.uuid)
    audit_log(
        as_actor(actor),
        "cases.evidence.downloaded",
        evidence.case,
        {"evidence": str(evidence.uuid), "sha256": evidence.sha256},
    )
    return path.open("rb")
