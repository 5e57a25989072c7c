"""The import service: the checks of the file, one transaction, the figures and the audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError, Forbidden
from ipex.core.permissions import ensure_actor_member_of
from ipex.directory.models import Node, Organisation
from ipex.seizures.imports.reading import (
    CODEC_NAMES,
    OLE2_MAGIC,
    SUPPORTED_ENCODINGS,
    XLSX_MAGIC,
    _check_xlsx_container,
    _csv_rows,
    _declared_codec,
    _detect_encoding,
    _not_a_table_message,
    _scan,
    _size,
    _xlsx_rows,
)
from ipex.seizures.imports.results import ImportFailed, ImportResult
from ipex.seizures.imports.rows import _Importer
from ipex.seizures.models import ImportBatch, SeizedItem

DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def seizures_import(
    *,
    actor,
    owner_org: Organisation,
    fileobj,
    filename: str,
    dry_run: bool = False,
    encoding: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import seizures from a CSV or XLSX file (binary, seekable) for ``owner_org``.

    All or nothing: every row is checked and, if any has an error, nothing is written and
    ``ImportFailed`` lists the rows. The same file twice (by SHA-256, per organisation)
    imports once. A dry run checks and counts, and writes nothing.
    """
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    node = Node.local()
    if owner_org.origin_node_id != node.pk or not owner_org.is_active:
        raise Forbidden(
            _("Seizures can only be imported for an active organisation of this node."),
            code="read_only",
        )
    codec = _declared_codec(encoding)
    size = _size(fileobj)
    limit = getattr(settings, "IPEX_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if size > limit:
        raise DomainError(
            _("The file is %(size)s; the largest file that can be imported is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise DomainError(_("The file is empty."), code="empty_file")
    head = fileobj.read(len(OLE2_MAGIC))
    fileobj.seek(0)
    is_xlsx = head.startswith(XLSX_MAGIC)
    if head.startswith(OLE2_MAGIC):
        raise DomainError(
            _(
                "This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) or as "
                "CSV UTF-8 and import that."
            ),
            code="bad_file",
        )
    scan = _scan(fileobj, check_text=not is_xlsx, codec=None if is_xlsx else (codec or "utf-8-sig"))
    previous = ImportBatch.objects.filter(owner_org=owner_org, sha256=scan.sha256).first()
    if previous is not None:
        return _already(previous, dry_run)

    if is_xlsx:
        _check_xlsx_container(fileobj, size)
        rows = _xlsx_rows(fileobj)
    else:
        if scan.has_nul:
            raise DomainError(_not_a_table_message(), code="bad_file")
        if codec is not None and not scan.decodes:
            raise DomainError(
                _(
                    "The file is not valid %(encoding)s text (line %(line)s). Choose its "
                    "encoding; supported: %(supported)s."
                )
                % {
                    "encoding": CODEC_NAMES[codec],
                    "line": scan.bad_line,
                    "supported": SUPPORTED_ENCODINGS,
                },
                code="bad_encoding",
            )
        if codec is None:
            codec = "utf-8-sig" if scan.decodes else _detect_encoding(fileobj, scan.first_bad)
        rows = _csv_rows(fileobj, codec)

    def position() -> int:
        try:
            return fileobj.tell()
        except (OSError, ValueError):
            return 0

    importer = _Importer(
        who=who,
        owner_org=owner_org,
        node=node,
        write=not dry_run,
        progress=(lambda: progress(min(95, position() * 95 // size))) if progress else None,
    )
    with transaction.atomic():
        batch = None
        if not dry_run:
            try:
                with transaction.atomic():
                    batch = ImportBatch.objects.create(
                        owner_org=owner_org,
                        sha256=scan.sha256,
                        filename=Path(filename or "").name[:255],
                        created_by=who.user,
                    )
            except IntegrityError:  # the same file, imported by a concurrent request
                previous = ImportBatch.objects.get(owner_org=owner_org, sha256=scan.sha256)
                return _already(previous, dry_run)
        if batch is not None:
            importer.start_writing(batch)
        try:
            importer.run(rows)
        finally:
            close = getattr(rows, "close", None)
            if close:
                close()
        if importer.error_rows:
            raise ImportFailed(importer.row_errors, importer.error_rows)  # rolls back
        if importer.rows == 0:
            raise DomainError(_("The file has no rows to import."), code="empty_file")
        counts = {
            "rows": importer.rows,
            "seizures": importer.seizures,
            "items": importer.items,
            "quantity": importer.quantity,
        }
        if dry_run:
            transaction.set_rollback(True)
        else:
            importer.apply_figures()
            batch.rows, batch.seizures = importer.rows, importer.seizures
            batch.save(update_fields=["rows", "seizures"])
            audit_log(
                who,
                "seizures.import.completed",
                batch,
                {"filename": batch.filename, "sha256": scan.sha256, **counts},
            )
    if progress:
        progress(100)
    return ImportResult(
        dry_run=dry_run,
        already_imported=False,
        batch=batch,
        imported_at=batch.created_at if batch else None,
        **counts,
    )


def _already(batch: ImportBatch, dry_run: bool) -> ImportResult:
    quantity = SeizedItem.objects.filter(seizure__import_batch=batch).aggregate(
        total=Sum("quantity")
    )["total"]
    return ImportResult(
        dry_run=dry_run,
        already_imported=True,
        rows=batch.rows,
        seizures=batch.seizures,
        items=batch.rows,  # one row is one item
        quantity=quantity or 0,
        batch=batch,
        imported_at=batch.created_at,
    )
