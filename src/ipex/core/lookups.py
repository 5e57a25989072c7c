"""``uuid__any=[...]``: records by a long list of uuids (a pulled page names a thousand).

Django's ``__in`` writes a placeholder per value and converts each value through the lookup
machinery; psycopg then parses the thousand placeholders out of the query on every call. In a
pull on PostgreSQL that was some 40 µs a record. Here the list is one array parameter
(``= ANY(%s)``) on PostgreSQL, and elsewhere the values are converted once, directly.
"""

from __future__ import annotations

import uuid as uuidlib

from django.core.exceptions import EmptyResultSet
from django.db import models


@models.UUIDField.register_lookup
class AnyOf(models.Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        values = [v if isinstance(v, uuidlib.UUID) else uuidlib.UUID(str(v)) for v in value]
        if connection.vendor == "postgresql":
            return "%s", [values]
        if not connection.features.has_native_uuid_field:
            values = [v.hex for v in values]
        return "(" + ", ".join(["%s"] * len(values)) + ")", values

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not (rhs_params[0] if connection.vendor == "postgresql" else rhs_params):
            raise EmptyResultSet
        operator = f"= ANY({rhs})" if connection.vendor == "postgresql" else f"IN {rhs}"
        return f"{lhs} {operator}", [*lhs_params, *rhs_params]
