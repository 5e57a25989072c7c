"""Checking rows: the header, then every row against the rules of a seizure and its items,
one at a time, with the rows of one seizure grouped; what passes goes to the writer."""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, defaultdict
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError
from ipex.core.models import Distribution
from ipex.directory.models import Jurisdiction, Node, Organisation
from ipex.seizures import rollups
from ipex.seizures.imports import columns as col
from ipex.seizures.imports.columns import COLUMNS, MAX_LENGTH, REQUIRED, SEIZURE_COLUMNS
from ipex.seizures.imports.writer import BATCH_ROWS, _Writer
from ipex.seizures.models import (
    Category,
    Disposition,
    FigureSource,
    ImportBatch,
    Method,
    Unit,
)
from ipex.seizures.services import parsing

MAX_ROW_ERRORS = 200
MAX_CACHE = 20_000  # entries per look-up cache (a file of unique garbage cannot grow it)
MAX_ITEMS_PER_SEIZURE = 32_767  # SeizedItem.line_no is a small integer


def _cached(cache: dict, key, look_up) -> tuple:
    """``look_up()``'s (value, messages) for ``key``, kept while the cache is small."""
    found = cache.get(key)
    if found is None:
        found = look_up()
        if len(cache) < MAX_CACHE:
            cache[key] = found
    return found


class _Importer:
    """Checks rows one at a time and writes them in batches while no row has failed."""

    def __init__(self, *, who, owner_org: Organisation, node: Node, write: bool, progress):
        self.who = who
        self.owner_org = owner_org
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
                    self._fail(number, [("", col.row_too_wide())])
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
                problems.append(col.column_unnamed(index + 1))
            elif name not in COLUMNS:
                problems.append(col.column_unknown(cells[index].strip()))
            elif name in positions:
                problems.append(col.column_twice(name))
            else:
                positions[name] = index
        missing = [c for c in REQUIRED if c not in positions]
        if missing:
            problems.append(col.columns_missing(missing))
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
        if len(reference) > MAX_LENGTH["reference"]:
            errors.append(("reference", col.too_long("reference", MAX_LENGTH["reference"])))
        day, messages = self._date(date_text)
        if messages:
            errors.extend(("date", m) for m in messages)
        area, messages = self._area(area_text)
        if messages:
            errors.extend(("jurisdiction", m) for m in messages)
        place = place.strip()
        if len(place) > MAX_LENGTH["place"]:
            errors.append(("place", col.too_long("place", MAX_LENGTH["place"])))
        method = method.strip().lower()
        if parsing.parse_method(method) is None:
            errors.append(("method", col.choice("method", method, Method.values)))
        category, messages = self._category(category_text, day or self.today)
        if messages:
            errors.extend(("category", m) for m in messages)
        quantity_text = quantity_text.strip()
        if quantity_text.isascii() and quantity_text.isdigit() and len(quantity_text) < 16:
            quantity = int(quantity_text)
        else:
            messages = []
            quantity = parsing.parse_quantity(quantity_text, messages, label="quantity")
            errors.extend(("quantity", m) for m in messages)
        unit_text = unit.strip().lower()
        unit = parsing.parse_unit(unit_text)
        if unit is None:
            errors.append(("unit", col.choice("unit", unit_text, Unit.values)))
        description = description.strip()
        if len(description) > MAX_LENGTH["description"]:
            errors.append(("description", col.too_long("description", MAX_LENGTH["description"])))
        amount = None
        amount_text = amount_text.strip()
        currency = currency.strip().upper()
        if amount_text or currency:
            amount, problems = parsing.parse_value(amount_text, currency)
            if problems:
                col.value_errors(problems, amount_text, currency, errors)
        disposition_text = disposition.strip().lower()
        disposition = parsing.parse_disposition(disposition_text)
        if disposition is None:
            errors.append(
                ("disposition", col.choice("disposition", disposition_text, Disposition.values))
            )

        # one seizure: consecutive rows with the same reference
        seizure_values = (day, area.code if area else area_text.strip().upper(), place, method)
        category_id = category.id if category else None
        if reference and reference == self.group_ref:
            if seizure_values != self.group_values:
                self._compare(reference, seizure_values, errors)
            self.group_lines += 1
            if self.group_lines > MAX_ITEMS_PER_SEIZURE:
                errors.append(("reference", col.too_many_items(MAX_ITEMS_PER_SEIZURE)))
            else:
                key = (category_id or category_text, description, quantity)
                first_row = self.group_keys.get(key)
                if first_row is not None:
                    errors.append(("", col.repeats_row(first_row)))
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
        for column, first, this in zip(SEIZURE_COLUMNS, self.group_values, values, strict=True):
            if first is not None and this is not None and first != this:
                errors.append((column, col.differs(column, this, first, self.group_row, reference)))

    def _fail(self, number: int, errors: list[tuple[str, str]]) -> None:
        self.error_rows += 1
        self.pending_seizures.clear()
        self.pending_items.clear()
        for column, message in errors:
            if len(self.row_errors) < MAX_ROW_ERRORS:
                self.row_errors.append((number, column, message))

    # -- look-ups, cached while the cache is small

    def _date(self, text: str):
        return _cached(self.dates, text, lambda: self._read_date(text))

    def _read_date(self, text: str):
        messages: list[str] = []
        day = parsing.parse_date(text, messages, label="date") if text.strip() else None
        if not text.strip():
            messages.append(col.date_required())
        return day, messages

    def _area(self, text: str):
        return _cached(self.areas, text, lambda: self._read_area(text))

    def _read_area(self, text: str):
        code = text.strip().upper()
        area = Jurisdiction.objects.filter(code=code).first() if code else None
        messages = []
        if not code:
            messages.append(col.jurisdiction_required())
        elif area is None:
            messages.append(col.jurisdiction_unknown(text.strip()))
        elif not parsing.in_jurisdiction(area, self.owner_org):
            messages.append(col.jurisdiction_outside(area.code, self.owner_org.code))
            area = None
        if area is not None:
            self.area_by_pk[area.id] = area
        return area, messages

    def _category(self, text: str, day: dt.date):
        return _cached(self.categories, (text, day), lambda: self._read_category(text, day))

    def _read_category(self, text: str, day: dt.date):
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
            category = parsing.category_on(text, day, messages, label="category")
        if category is not None:
            self.category_by_pk[category.id] = category
        return category, messages

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
