"""Appending many rows to a table at once, without building a model object per row: COPY on
PostgreSQL, one prepared INSERT run over the rows elsewhere.

``bulk_create`` spends most of its time building model objects and preparing each of their
fields one by one (about 170 µs a row in a profile of a page of replicas, against some 15 µs
this way). What goes through here is already checked: no ``save()``, no signals; the
caller owns the transaction.
"""

from __future__ import annotations

import uuid as uuidlib

from django.db import models, transaction


def append(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Rows of values already of their column's database type; table and column names
    quoted by the caller (from the models, never from input)."""
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _converter(field, connection):
    """How one field's Python value becomes what the database driver takes."""
    if connection.vendor == "postgresql":
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None  # psycopg takes uuids, dates, times and decimals as they are
    if isinstance(field, models.UUIDField) and not connection.features.has_native_uuid_field:
        return lambda v: v.hex if isinstance(v, uuidlib.UUID) else uuidlib.UUID(str(v)).hex
    if isinstance(field, models.DateField | models.DecimalField | models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)  # dates and times too
    return None  # text, numbers, booleans and keys go as they are


def _memo(convert):
    """The converter, remembering its last value: rows of one page share most dates."""
    if convert is None:
        return None
    last = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def insert_rows(model, rows: list[dict]) -> None:
    """Append rows, each a dict of field attname → value, to a model's table; the database
    numbers them; fields a row leaves out take their default."""
    if not rows:
        return
    connection = transaction.get_connection()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    plan = []
    for field in fields:
        # A time's default is worked out once for the statement (one "now" for all its rows);
        # any other callable default (a new uuid, say) once per row.
        per_row = field.has_default() and callable(field.default)
        per_row = per_row and not isinstance(field, models.DateField)
        default = field.default if per_row else field.get_default()
        plan.append((field.attname, _memo(_converter(field, connection)), default, per_row))
    prepared = []
    for row in rows:
        values = []
        for name, convert, default, per_row in plan:
            value = row[name] if name in row else (default() if per_row else default)
            values.append(value if convert is None or value is None else convert(value))
        prepared.append(tuple(values))
    append(
        connection,
        quote(model._meta.db_table),
        [quote(f.column) for f in fields],
        prepared,
    )


def update_by_id(
    table: str, column: str, values: dict[int, int], *, add: bool = False, where: str = ""
) -> None:
    """Set (or, ``add``, move by) one integer column of many rows, by id: one set-based UPDATE
    per 400 rows, joined to a VALUES list of id and value, in id order (so that two writers
    lock rows in the same order). ``where``, a further condition on the table's row (SQL of
    the caller's, never from input). Table and column quoted by the caller."""
    moves = sorted(values.items())
    connection = transaction.get_connection()
    value = f"{column} + v.column2" if add else "v.column2"
    also = f" AND {where}" if where else ""
    with connection.cursor() as cursor:
        for start in range(0, len(moves), 400):
            part = moves[start : start + 400]
            marks = ", ".join(["(%s, %s)"] * len(part))
            cursor.execute(
                f"UPDATE {table} SET {column} = {value} FROM (VALUES {marks}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1{also}",
                [number for move in part for number in move],
            )
