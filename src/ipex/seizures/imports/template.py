"""The file to fill in: the columns and two example rows (declared in ``columns``), as CSV
or XLSX."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from ipex.core.errors import DomainError
from ipex.seizures.imports.columns import COLUMNS, TEMPLATE_ROWS


def import_template(kind: str) -> bytes:
    """An empty file to fill in: the header and two example rows (one seizure, two items)."""
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(TEMPLATE_ROWS)
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
    if kind == "xlsx":
        # openpyxl is large: loaded only when an XLSX file is read or written.
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "seizures"
        sheet.append(COLUMNS)
        for row in TEMPLATE_ROWS:
            sheet.append(
                [
                    dt.date.fromisoformat(v) if c == "date" else int(v) if c == "quantity" else v
                    for c, v in zip(COLUMNS, row, strict=True)
                ]
            )
        for cell in sheet["B"][1:]:
            cell.number_format = "yyyy-mm-dd"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise DomainError(_("Templates are available as csv or xlsx."), code="bad_kind")
