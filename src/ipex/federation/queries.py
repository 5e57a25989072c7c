"""What a partner is given: the rows of its change feed and of its first snapshot, read a
page at a time. Raw SQL where the planner had to be led (see ``NEWEST``)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Max

from ipex.federation.models import Disclosure

ROW = ("change_id", "action", "change__envelope", "change__seal")  # what a page reads


def changes_after(node, since: int):
    """The partner's disclosures after its cursor, in order, as rows of ROW."""
    return (
        Disclosure.objects.filter(partner=node, change_id__gt=since)
        .order_by("change_id")
        .values_list(*ROW)
    )


def snapshot_rows(node, after: int, wanted: int) -> tuple[list, int]:
    """Up to ``wanted`` rows of the partner's snapshot after ``after``, and the cursor its
    change feed continues from."""
    mine = Disclosure.objects.filter(partner=node)
    cursor = mine.aggregate(m=Max("change_id"))["m"] or 0
    return latest_disclosures(mine, node.pk, after, wanted), cursor


# The latest disclosure to a partner of each record the change log's stretch (after, upto]
# names, or NULL for a record it was never given: one small look-up per record, through the
# record's changes (indexed) and their disclosures to the partner (indexed). Written so that
# neither database can start from every disclosure of the partner instead — both did, SQLite
# without statistics and PostgreSQL with stale ones after a bulk load, which made a snapshot
# of 100,000 records quadratic. (CROSS JOIN makes SQLite take the change log first;
# PostgreSQL plans it as any join.)
NEWEST = """
    SELECT (
        SELECT MAX(d.change_id)
        FROM exchange_changelog c CROSS JOIN exchange_disclosure d
        WHERE c.record_type = n.record_type AND c.record_uuid = n.record_uuid
        AND d.change_id = c.seq AND d.partner_id = %s
    )
    FROM (
        SELECT DISTINCT record_type, record_uuid FROM exchange_changelog
        WHERE seq > %s AND seq <= %s
    ) n
"""


def latest_disclosures(mine, partner_id: int, after: int, wanted: int) -> list:
    """Up to ``wanted`` rows of ROW after ``after``, in order, each the latest disclosure of
    its record to the partner (``mine``: its disclosures). Disclosures are read in order a
    batch at a time; the latest disclosure of each record a batch names is looked up for those
    records only (NEWEST: no list of ids goes through Python), never by grouping every
    disclosure."""
    rows: list = []
    last = after
    while len(rows) < wanted:
        batch = list(
            mine.filter(change_id__gt=last)
            .order_by("change_id")
            .values_list(*ROW)[: wanted - len(rows)]
        )
        if not batch:
            break
        with connection.cursor() as cursor:
            cursor.execute(NEWEST, [partner_id, last, batch[-1][0]])
            newest = {row[0] for row in cursor.fetchall()}
        rows += [row for row in batch if row[0] in newest]
        last = batch[-1][0]
    return rows
