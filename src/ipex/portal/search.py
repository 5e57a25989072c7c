"""Full-text search over published news items, as ``ipex.core.textsearch`` does it for cases
and laws: text made into terms the same way for what is kept (``NewsItem.search_terms``) and
what is asked; PostgreSQL matches with ``to_tsvector('simple', …)`` over a GIN index
(migration 0003), other databases with a phrase of terms from a term's start (``LIKE``). Only
published items are ever searched."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from ipex.core.textsearch import phrases as query_phrases
from ipex.core.textsearch import tsquery
from ipex.portal.models import NewsItem

MAX_RESULTS = 50


def search_news(query: str, *, language: str | None = None):
    """Published items matching every word of ``query`` (none for an empty query)."""
    phrases = query_phrases(query)
    items = NewsItem.objects.published()
    if not phrases:
        return items.none()
    if language:
        items = items.filter(language=language)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id FROM portal_newsitem "
            "WHERE to_tsvector('simple', search_terms) @@ to_tsquery('simple', %s)"
        )
        # The SQL is fixed text; the reader's words only travel as a bound parameter.
        return items.filter(pk__in=RawSQL(sql, [tsquery(phrases)]))  # noqa: S611
    for phrase in phrases:
        items = items.filter(search_terms__contains=" " + " ".join(phrase))
    return items
