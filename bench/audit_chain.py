"""Audit log cost: appending hash-chained entries, and verifying the chain, against unchained
inserts of the same entries measured in the same run.

    make bench            # embedded SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench .venv/bin/python bench/audit_chain.py

Prints entries per second and the ratio to the baseline. Target: appending costs at most
3x an unchained insert of the same entry; verifying runs at least 10,000 entries per second.
"""

from __future__ import annotations

import os
import sys
import time

from common import setup

N = int(os.environ.get("IPEX_BENCH_N", "3000"))


def main() -> int:
    setup()
    from django.db import connection, transaction

    from ipex.core.audit import Actor, audit_log, audit_verify
    from ipex.core.models import AuditEntry

    actor = Actor.system("bench")
    changes = {"field": ["before", "after"], "n": 0}

    # Baseline: the same entry written by the ORM in its own transaction, without the chain
    # (no head row, no hashing): what an unchained audit table would cost.
    from django.utils import timezone

    start = time.perf_counter()
    for n in range(N):
        changes["n"] = n
        with transaction.atomic():
            AuditEntry.objects.create(
                seq=10_000_000 + n,
                at=timezone.now(),
                actor_kind="system",
                actor_label="bench",
                action="bench.thing.done",
                changes=dict(changes),
                prev_hash="-",
                hash=f"plain-{n}",
            )
    baseline = time.perf_counter() - start
    with connection.cursor() as cursor:  # the log is append-only for the ORM; clear by SQL
        cursor.execute("DELETE FROM core_auditentry")

    start = time.perf_counter()
    for n in range(N):
        changes["n"] = n
        audit_log(actor, "bench.thing.done", None, changes)
    chained = time.perf_counter() - start

    start = time.perf_counter()
    result = audit_verify()
    verify = time.perf_counter() - start
    assert result.ok and result.checked == AuditEntry.objects.count()

    append_ratio = chained / baseline
    print(f"database: {connection.vendor}, entries: {N}")
    print(f"unchained insert (baseline): {N / baseline:,.0f} rows/s")
    print(
        f"audit append:            {N / chained:,.0f} entries/s  "
        f"ratio to baseline {append_ratio:.2f}x (target <= 3x)"
    )
    print(
        f"audit verify:            {result.checked / verify:,.0f} entries/s "
        f"(target >= 10,000/s; per entry {verify / (baseline / N) / result.checked:.2f}x "
        "an unchained insert)"
    )
    ok = append_ratio <= 3 and result.checked / verify >= 10_000
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
