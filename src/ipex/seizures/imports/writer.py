"""Writing checked rows: seizures and their items appended in batches, COPY on PostgreSQL."""

from __future__ import annotations

import uuid

from django.db import transaction

from ipex.core.bulk import append
from ipex.seizures.models import SeizedItem, Seizure

BATCH_ROWS = 2000


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
        append(self.connection, self.seizure_table, self.seizure_columns, seizures)
        append(self.connection, self.item_table, self.item_columns, items)
