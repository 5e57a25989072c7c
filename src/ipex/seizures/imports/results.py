"""What an import tells its caller: the counts of a good file, or the rows of a bad one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipex.core.errors import DomainError
from ipex.seizures.models import ImportBatch


class ImportFailed(DomainError):
    """The file had row errors; nothing was written. ``row_errors`` lists (row, column,
    message) for the first ``MAX_ROW_ERRORS`` of them, the header being row 1."""

    default_code = "import_failed"

    def __init__(self, row_errors: list[tuple[int, str, str]], error_rows: int):
        self.row_errors = row_errors
        self.error_rows = error_rows
        fields: dict[str, list[str]] = {}
        for row, _column, message in row_errors:
            fields.setdefault(f"row {row}", []).append(message)
        super().__init__(
            ngettext(
                "Nothing was imported: %(count)s row has errors.",
                "Nothing was imported: %(count)s rows have errors.",
                error_rows,
            )
            % {"count": error_rows},
            fields=fields,
        )


@dataclass
class ImportResult:
    dry_run: bool
    already_imported: bool
    rows: int
    seizures: int
    items: int
    quantity: int
    batch: ImportBatch | None
    imported_at: dt.datetime | None

    @property
    def message(self) -> str:
        """What happened, in the active language."""
        if self.already_imported:
            return _("This file was imported already on %(date)s; nothing changed.") % {
                "date": timezone.localtime(self.imported_at).strftime("%Y-%m-%d %H:%M")
            }
        counts = {
            "rows": _number(self.rows),
            "seizures": _number(self.seizures),
            "items": _number(self.items),
            "quantity": _number(self.quantity),
        }
        if self.dry_run:
            return (
                _(
                    "Dry run: %(rows)s rows checked, no errors. Importing the file would add "
                    "%(seizures)s seizures with %(items)s items (%(quantity)s seized in all). "
                    "Nothing was written."
                )
                % counts
            )
        return (
            _(
                "Imported %(rows)s rows: %(seizures)s seizures with %(items)s items "
                "(%(quantity)s seized in all)."
            )
            % counts
        )

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "already_imported": self.already_imported,
            "rows": self.rows,
            "seizures": self.seizures,
            "items": self.items,
            "quantity": self.quantity,
            "batch": str(self.batch.uuid) if self.batch else None,
            "imported_at": self.imported_at.isoformat() if self.imported_at else None,
        }


def _number(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)
