"""Seizure import: CSV or XLSX, streamed, every row validated, all or nothing, idempotent.

The page upload, the API and ``ipex import-seizures`` all call ``seizures_import``; a file
uploaded for the background runs through ``import_job``. One row is one seized item;
consecutive rows with the same non-empty reference make one seizure.

Memory stays flat whatever the file size: rows are read one at a time (``csv.reader`` over an
``io.TextIOWrapper``; openpyxl in read-only mode), written in batches of ``BATCH_ROWS``, and
only bounded state is kept across rows (the current seizure, look-up caches of bounded size,
the roll-up totals per month and jurisdiction, the first ``MAX_ROW_ERRORS`` errors). The
roll-up figures move once per month and jurisdiction at the end, and one audit entry records
the whole import.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import operator
import struct
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError, Forbidden, NotFound
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_member_of
from ipex.directory.models import Jurisdiction, Node, Organisation
from ipex.seizures import rollups
from ipex.seizures.models import (
    Category,
    Disposition,
    FigureSource,
    ImportBatch,
    Method,
    SeizedItem,
    Seizure,
    Unit,
)
from ipex.seizures.services.parsing import category_on, parse_date, parse_quantity

log = logging.getLogger(__name__)

COLUMNS = [
    "reference",
    "date",
    "jurisdiction",
    "place",
    "method",
    "category",
    "quantity",
    "unit",
    "description",
    "value_amount",
    "value_currency",
    "disposition",
]
REQUIRED = ("date", "jurisdiction", "method", "category", "quantity")

MAX_ROW_ERRORS = 200
BATCH_ROWS = 2000
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
CHUNK = 1024 * 1024  # bytes read at a time while hashing
SAMPLE = 64 * 1024  # bytes looked at to recognise an encoding
MAX_LINE = 1024 * 1024  # characters in one physical CSV line
MAX_COLUMNS = 64  # an XLSX sheet is read this wide at most
MAX_CACHE = 20_000  # entries per look-up cache (a file of unique garbage cannot grow it)
MAX_ITEMS_PER_SEIZURE = 32_767  # SeizedItem.line_no is a small integer
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_SMALL_MEMBER = 1024 * 1024  # below this a member cannot be a bomb, whatever its ratio
XLSX_MAX_MEMBERS = 10_000
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files

# The encodings a CSV file may be declared in, and the codec that reads each. GB18030 is a
# superset of GBK and GB2312, so a file saved as either reads with it.
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
}
SUPPORTED_ENCODINGS = "UTF-8, GBK (GB18030), CP1251"
CODEC_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GBK (GB18030)", "cp1251": "CP1251"}
METHODS = frozenset(Method.values)
UNITS = frozenset(Unit.values)
DISPOSITIONS = frozenset(Disposition.values)
MAX_VALUE = Decimal(10) ** 14  # SeizedItem.value_amount: 16 digits, 2 after the point
CENT = Decimal("0.01")


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


# ---------------------------------------------------------------- the service


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
    if who.user is not None:
        ensure_member_of(who.user, owner_org, allow_supervisors=False)
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


# ---------------------------------------------------------------- rows, checked and written


class _Importer:
    """Checks rows one at a time and writes them in batches while no row has failed."""

    def __init__(self, *, who, owner_org: Organisation, node: Node, write: bool, progress):
        self.who = who
        self.owner_org = owner_org
        self.area_path = owner_org.jurisdiction.path
        self.node = node
        self.write = write
        self.progress = progress
        self.writer: _Writer | None = None
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rows = self.seizures = self.items = self.quantity = 0
        self.row_errors: list[tuple[int, str, str]] = []
        self.error_rows = 0
        # look-up caches: raw text -> (value, messages)
        self.dates: dict = {}
        self.areas: dict = {}
        self.categories: dict = {}
        self.by_code: dict[str, list[Category]] = defaultdict(list)
        for category in Category.objects.select_related("parent"):
            self.by_code[category.code].append(category)
        self.category_by_pk: dict[int, Category] = {}
        self.area_by_pk: dict[int, Jurisdiction] = {}
        # roll-up totals: (year, month, jurisdiction pk) -> {category pk: quantity}
        self.totals: dict[tuple[int, int, int], Counter] = defaultdict(Counter)
        # the seizure being read
        self.group_ref = ""
        self.group_row = 0
        self.group_values: tuple = ()
        self.group_seizure: int | None = None  # its id
        self.group_lines = 0
        self.group_keys: dict[tuple, int] = {}
        # what is waiting to be written
        self.pending_seizures: list[tuple] = []
        self.pending_items: list[tuple] = []
        self.since_progress = 0

    # -- reading

    def run(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        header = next(rows, None)
        if header is None:
            raise DomainError(_("The file is empty."), code="empty_file")
        getter, width = self._header(*header)
        if getter is None:
            return
        pad = [""] * (width + 1)
        for number, cells in rows:
            if not any(cells):
                continue  # blank lines are not rows
            first = cells[0]
            if (not first or first.isspace()) and not "".join(cells).strip():
                continue
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    self._fail(number, [("", _("This row has more cells than the header."))])
                    continue
                cells = cells[:width]
            self._row(number, getter(cells + pad))
            self.since_progress += 1
            if self.since_progress >= BATCH_ROWS:
                self.since_progress = 0
                if self.pending_items:
                    self._flush()
                if self.progress:
                    self.progress()
        self._flush()

    def _header(self, number: int, cells: list[str]):
        names = [c.strip().lower().lstrip("\ufeff") for c in cells]
        while names and not names[-1]:
            names.pop()
        problems = []
        positions: dict[str, int] = {}
        for index, name in enumerate(names):
            if not name:
                problems.append(
                    _("column %(n)s has no name; name it or remove it.") % {"n": index + 1}
                )
            elif name not in COLUMNS:
                problems.append(
                    _("unknown column '%(name)s'; the columns are: %(columns)s.")
                    % {"name": cells[index].strip(), "columns": ", ".join(COLUMNS)}
                )
            elif name in positions:
                problems.append(_("the column '%(name)s' appears twice.") % {"name": name})
            else:
                positions[name] = index
        missing = [c for c in REQUIRED if c not in positions]
        if missing:
            problems.append(_("missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if problems:
            self._fail(number, [("", p) for p in problems])
            return None, 0
        width = len(names)
        # a missing optional column reads the blank cell padded after the row
        return operator.itemgetter(*(positions.get(c, width) for c in COLUMNS)), width

    def _row(self, number: int, values: tuple[str, ...]) -> None:
        (
            reference,
            date_text,
            area_text,
            place,
            method,
            category_text,
            quantity_text,
            unit,
            description,
            amount_text,
            currency,
            disposition,
        ) = values
        errors: list[tuple[str, str]] = []

        reference = reference.strip()
        if len(reference) > 60:
            errors.append(("reference", _too_long("reference", 60)))
        day, messages = self._date(date_text)
        if messages:
            errors.extend(("date", m) for m in messages)
        area, messages = self._area(area_text)
        if messages:
            errors.extend(("jurisdiction", m) for m in messages)
        place = place.strip()
        if len(place) > 200:
            errors.append(("place", _too_long("place", 200)))
        method = method.strip().lower()
        if method not in METHODS:
            errors.append(("method", _choice("method", method, Method.values)))
        category, messages = self._category(category_text, day or self.today)
        if messages:
            errors.extend(("category", m) for m in messages)
        quantity_text = quantity_text.strip()
        if quantity_text.isascii() and quantity_text.isdigit() and len(quantity_text) < 16:
            quantity = int(quantity_text)
        else:
            messages = []
            quantity = parse_quantity(quantity_text, messages, label="quantity")
            errors.extend(("quantity", m) for m in messages)
        unit = unit.strip().lower() or Unit.ITEMS
        if unit not in UNITS:
            errors.append(("unit", _choice("unit", unit, Unit.values)))
        description = description.strip()
        if len(description) > 300:
            errors.append(("description", _too_long("description", 300)))
        amount = None
        amount_text = amount_text.strip()
        currency = currency.strip().upper()
        if amount_text:
            amount = _decimal(amount_text, errors)
            if amount is not None and not currency:
                errors.append(
                    (
                        "value_currency",
                        _("value_currency: give the currency of the value, e.g. CNY."),
                    )
                )
        if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            errors.append(
                (
                    "value_currency",
                    _("value_currency: '%(value)s' is not a currency; use three letters, e.g. CNY.")
                    % {"value": currency},
                )
            )
        disposition = disposition.strip().lower() or Disposition.CONFISCATED
        if disposition not in DISPOSITIONS:
            errors.append(("disposition", _choice("disposition", disposition, Disposition.values)))

        # one seizure: consecutive rows with the same reference
        seizure_values = (day, area.code if area else area_text.strip().upper(), place, method)
        category_id = category.id if category else None
        if reference and reference == self.group_ref:
            if seizure_values != self.group_values:
                self._compare(reference, seizure_values, errors)
            self.group_lines += 1
            if self.group_lines > MAX_ITEMS_PER_SEIZURE:
                errors.append(
                    (
                        "reference",
                        _("reference: a seizure can have at most %(n)s items.")
                        % {"n": MAX_ITEMS_PER_SEIZURE},
                    )
                )
            else:
                key = (category_id or category_text, description, quantity)
                first_row = self.group_keys.get(key)
                if first_row is not None:
                    errors.append(
                        (
                            "",
                            _(
                                "This row repeats row %(row)s: the same reference, category, "
                                "description and quantity."
                            )
                            % {"row": first_row},
                        )
                    )
                else:
                    self.group_keys[key] = number
            new_seizure = False
        else:
            self.group_ref, self.group_row, self.group_values = reference, number, seizure_values
            self.group_lines = 1
            self.group_keys = (
                {(category_id or category_text, description, quantity): number} if reference else {}
            )
            self.group_seizure = None
            new_seizure = True

        if errors:
            self._fail(number, errors)
            return
        self.rows += 1
        self.items += 1
        self.quantity += quantity
        if new_seizure:
            self.seizures += 1
        if self.error_rows:
            return  # still checking the rest, but nothing more is written
        self.totals[(day.year, day.month, area.id)][category_id] += quantity
        if not self.write:
            return
        writer = self.writer
        if new_seizure:
            self.group_seizure = writer.next_id()
            self.pending_seizures.append(
                (
                    self.group_seizure,
                    writer.new_uuid(),
                    day,
                    area.id,
                    place,
                    method,
                    reference,
                    *writer.seizure_constants,
                )
            )
        self.pending_items.append(
            (
                self.group_seizure,
                self.group_lines,
                category_id,
                description,
                quantity,
                unit,
                amount,
                currency,
                disposition,
                *writer.item_constants,
            )
        )

    def _compare(self, reference: str, values: tuple, errors: list) -> None:
        """The rows of one seizure must agree on what is said of the seizure."""
        for column, first, this in zip(
            ("date", "jurisdiction", "place", "method"), self.group_values, values, strict=True
        ):
            if first is not None and this is not None and first != this:
                errors.append(
                    (
                        column,
                        _(
                            "%(column)s: '%(value)s' differs from '%(first)s' given on row "
                            "%(row)s for seizure %(reference)s; the rows of one seizure must "
                            "agree on date, jurisdiction, place and method."
                        )
                        % {
                            "column": column,
                            "value": this,
                            "first": first,
                            "row": self.group_row,
                            "reference": reference,
                        },
                    )
                )

    def _fail(self, number: int, errors: list[tuple[str, str]]) -> None:
        self.error_rows += 1
        self.pending_seizures.clear()
        self.pending_items.clear()
        for column, message in errors:
            if len(self.row_errors) < MAX_ROW_ERRORS:
                self.row_errors.append((number, column, message))

    # -- look-ups, cached while the cache is small

    def _date(self, text: str):
        found = self.dates.get(text)
        if found is None:
            messages: list[str] = []
            day = parse_date(text, messages, label="date") if text.strip() else None
            if not text.strip():
                messages.append(_("date: a date is required (YYYY-MM-DD)."))
            found = (day, messages)
            if len(self.dates) < MAX_CACHE:
                self.dates[text] = found
        return found

    def _area(self, text: str):
        found = self.areas.get(text)
        if found is None:
            code = text.strip().upper()
            area = Jurisdiction.objects.filter(code=code).first() if code else None
            messages = []
            if not code:
                messages.append(_("jurisdiction: say where the seizure took place (a code)."))
            elif area is None:
                messages.append(
                    _("jurisdiction: unknown jurisdiction '%(code)s'.") % {"code": text.strip()}
                )
            elif not area.path.startswith(self.area_path):
                messages.append(
                    _("jurisdiction: %(place)s is outside the jurisdiction of %(org)s.")
                    % {"place": area.code, "org": self.owner_org.code}
                )
                area = None
            if area is not None:
                self.area_by_pk[area.id] = area
            found = (area, messages)
            if len(self.areas) < MAX_CACHE:
                self.areas[text] = found
        return found

    def _category(self, text: str, day: dt.date):
        key = (text, day)
        found = self.categories.get(key)
        if found is None:
            code = text.strip().lower()
            category = next(
                (
                    c
                    for c in self.by_code.get(code, ())
                    if c.valid_from <= day and (c.valid_to is None or c.valid_to >= day)
                ),
                None,
            )
            messages: list[str] = []
            if category is None:  # the message of the one rule, and the one query it costs
                category = category_on(text, day, messages, label="category")
            if category is not None:
                self.category_by_pk[category.id] = category
            found = (category, messages)
            if len(self.categories) < MAX_CACHE:
                self.categories[key] = found
        return found

    # -- writing

    def start_writing(self, batch: ImportBatch) -> None:
        self.writer = _Writer(
            seizure={
                "origin_node_id": self.node.pk,
                "owner_org_id": self.owner_org.pk,
                "distribution": Distribution.ORG,
                "created_by_id": getattr(self.who.user, "pk", None),
                "import_batch_id": batch.pk,
                "created_at": self.now,
                "updated_at": self.now,
            }
        )

    def _flush(self) -> None:
        if self.error_rows or not self.write:
            return
        self.writer.write(self.pending_seizures, self.pending_items)
        self.pending_seizures.clear()
        self.pending_items.clear()

    def apply_figures(self) -> None:
        """Add the file's quantities to the roll-ups: once per month and jurisdiction."""
        for (year, month, area_pk), by_category in sorted(self.totals.items()):
            rollups.apply(
                source=FigureSource.RECORDS,
                **rollups.period_of(dt.date(year, month, 1)),
                jurisdiction=self.area_by_pk[area_pk],
                org_kind=self.owner_org.kind,
                contributions=rollups.contributions_from_items(
                    (self.category_by_pk[pk], quantity) for pk, quantity in by_category.items()
                ),
            )


class _Writer:
    """Appends seizures and their items straight to their tables: COPY on PostgreSQL, one
    prepared INSERT run over the batch elsewhere.

    With ``bulk_create`` the import ran at about 9,000 rows/s on SQLite, most of it spent
    building model objects and preparing each of their fields (cProfile, see
    bench/import_seizures.py); this way it runs at about 40,000. The values are already
    checked and of their column's type, the fields that are the same for the whole file are
    prepared once by Django, and the seizures' ids are taken from the table's sequence ahead,
    so that items point to them without anything being read back.
    """

    SEIZURE_VARYING = ("id", "uuid", "seized_on", "jurisdiction_id", "place", "method")
    SEIZURE_VARYING += ("reference",)
    ITEM_VARYING = ("seizure_id", "line_no", "category_id", "description", "quantity", "unit")
    ITEM_VARYING += ("value_amount", "value_currency", "disposition")

    def __init__(self, *, seizure: dict):
        self.connection = connection = transaction.get_connection()
        self.postgres = connection.vendor == "postgresql"
        self.native_uuid = connection.features.has_native_uuid_field
        self.seizure_table, self.seizure_columns, self.seizure_constants = self._layout(
            Seizure(**seizure), self.SEIZURE_VARYING
        )
        self.item_table, self.item_columns, self.item_constants = self._layout(
            SeizedItem(), ("id", *self.ITEM_VARYING)
        )
        self.item_columns = self.item_columns[1:]  # the database numbers the items
        self.ids: list[int] = []
        self.block = 16  # ids taken from the sequence at a time, growing to a batch
        self.last_id = None

    def _layout(self, template, varying: tuple[str, ...]):
        """(table, columns, prepared constants): the varying columns first, in that order,
        then every other column with the template's value, prepared for this database."""
        fields = {f.attname: f for f in template._meta.concrete_fields}
        rest = [f for name, f in fields.items() if name not in varying]
        quote = self.connection.ops.quote_name
        columns = [quote(fields[name].column) for name in varying] + [quote(f.column) for f in rest]
        constants = tuple(
            f.get_db_prep_save(f.pre_save(template, add=True), self.connection) for f in rest
        )
        return quote(template._meta.db_table), columns, constants

    def new_uuid(self):
        value = uuid.uuid4()
        return value if self.native_uuid else value.hex

    def next_id(self) -> int:
        if self.postgres:
            if not self.ids:
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [Seizure._meta.db_table, Seizure._meta.pk.column, self.block],
                    )
                    self.ids = [row[0] for row in cursor.fetchall()]
                    self.ids.reverse()
                self.block = min(self.block * 4, BATCH_ROWS)
            return self.ids.pop()
        if self.last_id is None:
            # SQLite: the import's transaction holds the database's one write lock, so the
            # numbers after the highest ever given (AUTOINCREMENT's rule) are ours.
            with self.connection.cursor() as cursor:
                sequence = "SELECT seq FROM sqlite_sequence WHERE name = %s"
                pk = self.connection.ops.quote_name(Seizure._meta.pk.column)
                highest = f"SELECT MAX({pk}) FROM {self.seizure_table}"  # noqa: S608 - a model's
                sql = f"SELECT MAX(COALESCE(({sequence}), 0), COALESCE(({highest}), 0))"
                cursor.execute(sql, [Seizure._meta.db_table])
                self.last_id = cursor.fetchone()[0]
        self.last_id += 1
        return self.last_id

    def write(self, seizures: list[tuple], items: list[tuple]) -> None:
        for table, columns, rows in (
            (self.seizure_table, self.seizure_columns, seizures),
            (self.item_table, self.item_columns, items),
        ):
            if not rows:
                continue
            names = ", ".join(columns)
            with self.connection.cursor() as cursor:
                if self.postgres:
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    # table and column names come from the models, quoted
                    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, rows)


def _too_long(column: str, limit: int) -> str:
    return _("%(column)s: longer than %(limit)s characters.") % {"column": column, "limit": limit}


def _choice(column: str, value: str, allowed) -> str:
    return _("%(column)s: unknown value '%(value)s'; use one of: %(allowed)s.") % {
        "column": column,
        "value": value,
        "allowed": ", ".join(allowed),
    }


def _decimal(text: str, errors: list) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        errors.append(
            ("value_amount", _("value_amount: '%(value)s' is not a number.") % {"value": text})
        )
        return None
    if value < 0:
        errors.append(("value_amount", _("value_amount: a value cannot be negative.")))
        return None
    if value >= MAX_VALUE or value != value.quantize(CENT):
        errors.append(
            (
                "value_amount",
                _("value_amount: '%(value)s' has more than two decimals or is too large.")
                % {"value": text},
            )
        )
        return None
    return value


# ---------------------------------------------------------------- the file


@dataclass
class _Scan:
    sha256: str
    decodes: bool  # as the codec checked, if any
    first_bad: int  # offset of the first byte that does not decode
    bad_line: int  # its line number
    has_nul: bool


def _size(fileobj) -> int:
    try:
        size = fileobj.seek(0, io.SEEK_END)
        fileobj.seek(0)
    except (AttributeError, OSError, ValueError) as exc:
        raise DomainError(_("The file cannot be read."), code="bad_file") from exc
    return size


def _scan(fileobj, *, check_text: bool, codec: str | None) -> _Scan:
    """One pass over the bytes, a chunk at a time: the SHA-256 (so that a file imported
    before is recognised before any row is read) and whether the text decodes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec)() if codec else None
    decodes, first_bad, bad_line, has_nul, offset, lines = True, -1, 0, False, 0, 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        if check_text and not has_nul and b"\x00" in chunk:
            has_nul = True
        if decoder is not None and decodes:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                decodes, first_bad = False, offset + exc.start
                bad_line = lines + chunk.count(b"\n", 0, exc.start) + 1
            lines += chunk.count(b"\n")
        offset += len(chunk)
    if decoder is not None and decodes:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            decodes, first_bad, bad_line = False, max(0, offset - 4), lines + 1
    fileobj.seek(0)
    return _Scan(digest.hexdigest(), decodes, first_bad, bad_line, has_nul)


def _not_a_table_message() -> str:
    return _(
        "The file is neither CSV text nor an Excel workbook (.xlsx). Save it as CSV or .xlsx "
        "and import that."
    )


def _declared_codec(encoding: str | None) -> str | None:
    if not encoding:
        return None
    codec = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise DomainError(
            _("The encoding %(encoding)s is not supported; use one of: %(supported)s.")
            % {"encoding": encoding, "supported": SUPPORTED_ENCODINGS},
            code="bad_encoding",
            fields={"encoding": [_("Use one of: %(s)s.") % {"s": SUPPORTED_ENCODINGS}]},
        )
    return codec


def _bad_encoding() -> DomainError:
    return DomainError(
        _(
            "The file is not UTF-8 text and its encoding could not be recognised. Save it as "
            "CSV UTF-8, or choose its encoding; supported: %(supported)s."
        )
        % {"supported": SUPPORTED_ENCODINGS},
        code="bad_encoding",
    )


def _detect_encoding(fileobj, first_bad: int) -> str:
    """GB18030 or CP1251 for a file that is not UTF-8, from a sample taken where the first
    non-UTF-8 byte is (from the start of its line, as no multi-byte character spans one)."""
    start = max(0, first_bad - SAMPLE // 2)
    fileobj.seek(start)
    sample = fileobj.read(SAMPLE)
    fileobj.seek(0)
    if start:
        newline = sample.find(b"\n", 0, first_bad - start)
        sample = sample[newline + 1 :] if newline >= 0 else sample
    if not any(b >= 0x80 for b in sample):
        raise _bad_encoding()
    chinese = common = russian = lower = 0.0
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        wide = [c for c in text if ord(c) >= 0x80]
        cjk = [c for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\uffef"]
        chinese = len(cjk) / len(wide) if wide else 0.0
        # most characters of real Chinese text are in GB2312's first level, 0xB0-0xD7
        common = sum(1 for c in cjk if 0xB0 <= c.encode("gb18030")[0] <= 0xD7) / max(1, len(cjk))
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError:
        pass
    else:
        wide = [c for c in text if ord(c) >= 0x80]
        cyrillic = [c for c in wide if "\u0410" <= c <= "\u044f" or c in "\u0401\u0451"]
        russian = len(cyrillic) / len(wide) if wide else 0.0
        # most letters of real Russian text are lower case
        lower = sum(1 for c in cyrillic if c >= "\u0430") / max(1, len(cyrillic))
    looks_chinese, looks_russian = chinese >= 0.8, russian >= 0.8
    if looks_chinese and looks_russian:  # short samples can read as both
        return "gb18030" if common > lower else "cp1251"
    if looks_chinese:
        return "gb18030"
    if looks_russian:
        return "cp1251"
    raise _bad_encoding()


def _csv_rows(fileobj, codec: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV file, decoded as it is read."""
    text = io.TextIOWrapper(fileobj, encoding=codec, errors="strict", newline="")
    number = 0
    try:
        lines = _lines(text)
        first = next(lines, "")
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - read in except
            yield number, cells
    except UnicodeDecodeError as exc:
        raise DomainError(
            _(
                "The file is not valid %(encoding)s text (after row %(row)s). Choose its "
                "encoding; supported: %(supported)s."
            )
            % {
                "encoding": CODEC_NAMES.get(codec, codec),
                "row": number,
                "supported": SUPPORTED_ENCODINGS,
            },
            code="bad_encoding",
        ) from exc
    except csv.Error as exc:
        raise DomainError(
            _("The CSV file cannot be read at row %(row)s: %(error)s.")
            % {"row": number + 1, "error": exc},
            code="bad_csv",
        ) from exc
    finally:
        text.detach()  # the caller's file stays open


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    readline = text.readline
    while line := readline(MAX_LINE):
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise DomainError(
                _("A line of the file is longer than %(n)s characters.") % {"n": MAX_LINE},
                code="bad_csv",
            )
        yield line


def _check_xlsx_container(fileobj, size: int) -> None:
    """Refuse a ZIP bomb before anything decompresses it: too many members, too much
    uncompressed data, or a member compressed more than real spreadsheets are."""
    bomb = DomainError(
        _(
            "The workbook is refused: it would unpack to more than %(limit)s or is compressed "
            "suspiciously well. Save the sheet as CSV and import that."
        )
        % {"limit": filesizeformat(XLSX_MAX_UNCOMPRESSED)},
        code="xlsx_bomb",
    )
    entries, directory_size = _zip_directory(fileobj, size)
    if entries > XLSX_MAX_MEMBERS or directory_size > XLSX_MAX_MEMBERS * 1024:
        raise bomb
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise _bad_xlsx() from exc
    finally:
        fileobj.seek(0)
    if len(members) > XLSX_MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > XLSX_SMALL_MEMBER and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb
    if total > XLSX_MAX_UNCOMPRESSED:
        raise bomb
    if "xl/workbook.xml" not in names:
        raise _bad_xlsx()


def _zip_directory(fileobj, size: int) -> tuple[int, int]:
    """(members, central directory size) from the end records, read before zipfile builds
    one object per member."""
    tail_size = min(size, 22 + 65_535)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise _bad_xlsx()
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # ZIP64: the real counts are before
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            raise _bad_xlsx()
        (offset,) = struct.unpack("<Q", locator[8:16])
        fileobj.seek(offset)
        record = fileobj.read(56)
        fileobj.seek(0)
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            raise _bad_xlsx()
        entries, directory_size = struct.unpack("<QQ", record[32:48])
    return entries, directory_size


def _bad_xlsx() -> DomainError:
    return DomainError(
        _("The file looks like an Excel workbook (.xlsx) but cannot be read."),
        code="bad_xlsx",
    )


def _xlsx_rows(fileobj) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet, read-only (streamed)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _bad_xlsx() from exc
    try:
        if not workbook.worksheets:
            raise _bad_xlsx()
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                log.info("unreadable workbook row %s: %s", number + 1, exc)
                raise _bad_xlsx() from exc
            number += 1
            yield number, [_text(v) for v in values]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- template and job

TEMPLATE_ROWS = [
    [
        "BA-2012-0100",
        "2012-05-04",
        "CN-GD-SZ-BA",
        "Xixiang market",
        "raid",
        "audiovisual.dvd",
        "1200",
        "discs",
        "DVD-9 discs, unlicensed film titles",
        "6000.00",
        "CNY",
        "confiscated",
    ],
    [
        "BA-2012-0100",
        "2012-05-04",
        "CN-GD-SZ-BA",
        "Xixiang market",
        "raid",
        "books",
        "300",
        "copies",
        "Pirated textbooks",
        "",
        "",
        "destroyed",
    ],
]


def import_template(kind: str) -> bytes:
    """An empty file to fill in: the header and two example rows (one seizure, two items)."""
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(TEMPLATE_ROWS)
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
    if kind == "xlsx":
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


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


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
                    _("Row %(row)s: %(message)s") % {"row": row, "message": message}
                    for row, _column, message in exc.row_errors
                ]
                raise DomainError("\n".join(lines), code=exc.code, fields=exc.fields) from exc
    finally:
        if path.is_relative_to(base) and path.is_file():
            path.unlink(missing_ok=True)
    job.message = result.message
    return result.as_dict()
