"""Browser sessions in the database, read together with the audit head.

Every signed-in page reads its session first; this store reads it in the same statement as
the audit head (``core.freshness.read_with_head``), so the values a page keeps under the
head — the signed-in user, their memberships, the page itself — cost no other round trip.
Stored, saved and deleted as Django's database sessions are (``SESSION_ENGINE``)."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from ipex.core.freshness import read_with_head


class SessionStore(db.SessionStore):
    def _get_session_data(self) -> str | None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        row = read_with_head(
            f"SELECT session_data FROM {table} "  # noqa: S608
            "WHERE session_key = %s AND expire_date > %s",
            [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        if row is None:
            self._session_key = None  # as Django's store: a new key when next saved
            return None
        return row[0]

    def load(self):
        data = self._get_session_data()
        return self.decode(data) if data is not None else {}
