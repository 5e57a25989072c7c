"""Importing a period report from CSV: the national figures of ``seizures/data`` as they are
published (``country,year,category,quantity[,published_as]``)."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError, refuse_if
from ipex.directory.models import Organisation
from ipex.seizures import services
from ipex.seizures.models import PeriodKind, PeriodReport, ReportSource

REQUIRED = ("country", "year", "category", "quantity")
MAX_BYTES = 1_000_000


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM); a report file in another encoding is refused clearly."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."),
            code="bad_encoding",
        ) from exc


def report_import_csv(
    *, actor, owner_org: Organisation, raw: bytes, approve: bool = False
) -> PeriodReport:
    """One yearly report from the rows; all or nothing, errors numbered by row."""
    if len(raw) > MAX_BYTES:
        raise DomainError(_("The file is larger than %(limit)s bytes.") % {"limit": MAX_BYTES})
    reader = csv.DictReader(io.StringIO(decode(raw)))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code="bad_columns",
        )
    errors: dict[str, list[str]] = {}
    lines: dict[str, object] = {}
    years: set[str] = set()
    country = (
        owner_org.jurisdiction.get_root().code
        if owner_org.jurisdiction.depth > 1
        else owner_org.jurisdiction.code
    )
    for number, row in enumerate(reader, start=2):
        row_errors = []
        if (row.get("country") or "").strip().upper() != country:
            row_errors.append(
                _("country %(value)s is not %(country)s, the country of %(org)s.")
                % {"value": row.get("country"), "country": country, "org": owner_org.code}
            )
        years.add((row.get("year") or "").strip())
        code = (row.get("category") or "").strip().lower()
        if code in lines:
            row_errors.append(_("category %(code)s appears twice.") % {"code": code})
        lines[code] = row.get("quantity")
        if row_errors:
            errors[f"row {number}"] = row_errors
    if len(years) != 1 or not next(iter(years)).isdigit():
        errors["year"] = [_("All rows must give the same year.")]
    if not lines:
        errors["rows"] = [_("The file has no rows.")]
    refuse_if(errors, _("Nothing was imported; correct the errors."))
    year = int(next(iter(years)))
    with transaction.atomic():
        report = services.report_create(
            actor=actor,
            owner_org=owner_org,
            period_kind=PeriodKind.YEAR,
            year=year,
            source=ReportSource.IMPORTED,
        )
        services.report_set_lines(actor=actor, report=report, lines=lines)
        report = services.report_submit(actor=actor, report=report)
        if approve:
            report = services.report_approve(actor=actor, report=report)
    return report
