"""Seizure import speed and memory: the import service (every row validated, all or nothing,
figures and audit) against a raw bulk load of the same rows into a bare table, measured in
the same run.

    .venv/bin/python bench/import_seizures.py --rows 100000            # embedded SQLite
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ipex_bench_import"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_import \\
        .venv/bin/python bench/import_seizures.py --rows 100000

The baseline reads the same CSV file with ``csv.reader`` and loads its rows into a table of
twelve text columns with no index: ``COPY ... FROM STDIN`` on PostgreSQL, ``executemany`` on
SQLite. A second reference writes the same rows into IPEX's own tables with no checks, to
show what their indexes and foreign keys cost whatever the importer does. Prints rows per
second, the ratio to the baseline and the peak memory (tracemalloc during a second import of
a file of the same size, and the process's maximum resident set once both imports ran, before
the references). Targets: at least 0.5x the raw rate; peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from common import max_rss_mb, setup

TARGET_RATIO = 0.5
TARGET_MEMORY_MB = 300
RAW_COLUMNS = [
    "reference",
    "seized_on",
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


def directory():
    from ipex.core.audit import Actor
    from ipex.directory import services
    from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, Organisation, OrgKind

    system = Actor.system("bench")
    if not Node.objects.filter(is_local=True).exists():
        services.node_init(name="Bench node", base_url="http://127.0.0.1:8000")

    def area(code, level, name, parent=None):
        found = Jurisdiction.objects.filter(code=code).first()
        return found or services.jurisdiction_add(
            actor=system, code=code, level=level, name_en=name, parent=parent
        )

    cn = area("CN", JurisdictionLevel.COUNTRY, "China")
    gd = area("CN-GD", JurisdictionLevel.PROVINCE, "Guangdong", cn)
    area("CN-GD-SZ-BA", JurisdictionLevel.COUNTY, "Bao'an", gd)
    org = Organisation.objects.filter(code="CN-GD-CB").first()
    return org or services.organisation_create(
        actor=system,
        code="CN-GD-CB",
        kind=OrgKind.COPYRIGHT_ADMIN,
        name_en="Guangdong Copyright Bureau",
        jurisdiction=gd,
    )


def clear() -> None:
    """Leave no rows of an earlier run (PostgreSQL keeps its database between runs)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in (
            "seizures_seizeditem",
            "seizures_seizure",
            "seizures_importbatch",
            "seizures_statfigure",
        ):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DROP TABLE IF EXISTS bench_raw_rows")


CATEGORIES = [
    ("books", "copies", "Pirated textbooks"),
    ("periodicals", "copies", "Counterfeit magazines"),
    ("audiovisual.dvd", "discs", "DVD-9 discs, unlicensed film titles"),
    ("audiovisual.cd", "discs", "Music CDs"),
    ("audiovisual.bluray", "discs", "Blu-ray discs bound for export"),
    ("electronic_publications", "discs", "e-book discs"),
    ("software", "discs", "Office suite discs"),
    ("other", "items", "Packaging and inlays"),
]
PLACES = ["Xixiang market", "Fuyong warehouse", "Songgang street shop", ""]
METHODS = ["raid", "market_inspection", "customs_detention", "postal_interception"]


def generate(path: Path, rows: int, tag: str) -> Path:
    """Seizures of one to four items each, through 2012, with values on some lines."""
    pick = random.Random(f"{tag}-{rows}")  # noqa: S311 - test data
    from ipex.seizures.imports import COLUMNS

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        written, seizure = 0, 0
        while written < rows:
            seizure += 1
            reference = f"{tag}-{seizure:07d}"
            day = f"2012-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}"
            where = pick.choice(["CN-GD-SZ-BA", "CN-GD-SZ-BA", "CN-GD"])
            place, method = pick.choice(PLACES), pick.choice(METHODS)
            for category, unit, text in pick.sample(
                CATEGORIES, min(pick.randint(1, 4), rows - written)
            ):
                valued = pick.random() < 0.3
                writer.writerow(
                    [
                        reference,
                        day,
                        where,
                        place,
                        method,
                        category,
                        pick.randint(1, 50_000),
                        unit,
                        f"{text} (lot {pick.randint(1, 999)})",
                        f"{pick.randint(100, 999_999)}.{pick.randint(0, 99):02d}" if valued else "",
                        "CNY" if valued else "",
                        pick.choice(["confiscated", "destroyed", "held_as_evidence"]),
                    ]
                )
                written += 1
    return path


def raw_load(path: Path) -> float:
    """Seconds to load the file's rows into a bare table: the fastest the database takes them."""
    from django.db import connection, transaction

    columns = ", ".join(f"{c} TEXT" for c in RAW_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_raw_rows ({columns})")
    start = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                names = ", ".join(RAW_COLUMNS)
                with cursor.cursor.copy(f"COPY bench_raw_rows ({names}) FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(RAW_COLUMNS))
                cursor.cursor.executemany(f"INSERT INTO bench_raw_rows VALUES ({marks})", reader)
    return time.perf_counter() - start


def bare_floor(path: Path, org) -> float:
    """Seconds to write the same seizures and items as ``schema_floor`` does, but into bare
    copies of IPEX's tables (same columns; no index, no key, no constraint): what writing the
    rows an import makes costs at the very least, whatever the tables carry."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("seizures_seizure", "seizures_seizeditem"):
            cursor.execute(f"DROP TABLE IF EXISTS bare_{table}")
            if connection.vendor == "postgresql":
                like = f"LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY"
                cursor.execute(f"CREATE TABLE bare_{table} ({like})")
            else:
                cursor.execute(f"CREATE TABLE bare_{table} AS SELECT * FROM {table} WHERE 0")
    try:
        return schema_floor(path, org, tables=("bare_seizures_seizure", "bare_seizures_seizeditem"))
    finally:
        with connection.cursor() as cursor:
            for table in ("seizures_seizure", "seizures_seizeditem"):
                cursor.execute(f"DROP TABLE IF EXISTS bare_{table}")


def schema_floor(path: Path, org, tables: tuple[str, str] | None = None) -> float:
    """Seconds to write the same seizures and items into IPEX's own tables (or ``tables``)
    with no checks at all (the import's writer, fed by the plainest parsing), committed: what
    the tables' indexes and foreign keys cost whatever the importer does. The rows are
    removed after."""
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from ipex.directory.models import Jurisdiction, Node
    from ipex.seizures.imports import BATCH_ROWS, _Writer
    from ipex.seizures.models import Category, ImportBatch

    areas = dict(Jurisdiction.objects.values_list("code", "id"))
    categories = dict(Category.objects.values_list("code", "id"))
    start = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8", newline="") as source:
        batch = ImportBatch.objects.create(owner_org=org, sha256="floor", filename=path.name)
        now = timezone.now()
        writer = _Writer(
            seizure={
                "origin_node_id": Node.local_id(),
                "owner_org_id": org.pk,
                "distribution": "org",
                "import_batch_id": batch.pk,
                "created_at": now,
                "updated_at": now,
            }
        )
        if tables:
            writer.seizure_table, writer.item_table = tables
        reader = csv.reader(source)
        next(reader)
        seizures, items, current, seizure_id, line = [], [], None, 0, 0
        for ref, day, area, place, method, cat, qty, unit, text, amount, cur, disp in reader:
            if ref != current:
                current, seizure_id, line = ref, writer.next_id(), 0
                seizures.append(
                    (seizure_id, writer.new_uuid(), dt.date.fromisoformat(day), areas[area],
                     place, method, ref, *writer.seizure_constants)
                )  # fmt: skip
            line += 1
            items.append(
                (seizure_id, line, categories[cat], text, int(qty), unit,
                 Decimal(amount) if amount else None, cur, disp, *writer.item_constants)
            )  # fmt: skip
            if len(items) >= BATCH_ROWS:
                writer.write(seizures, items)
                seizures, items = [], []
        writer.write(seizures, items)
    elapsed = time.perf_counter() - start
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM seizures_seizeditem WHERE seizure_id IN "
            "(SELECT id FROM seizures_seizure WHERE import_batch_id = %s)",
            [batch.pk],
        )
        cursor.execute("DELETE FROM seizures_seizure WHERE import_batch_id = %s", [batch.pk])
        cursor.execute("DELETE FROM seizures_importbatch WHERE id = %s", [batch.pk])
    return elapsed


def run_import(path: Path, org):
    from ipex.core.audit import Actor
    from ipex.seizures.imports import seizures_import

    with path.open("rb") as fileobj:
        return seizures_import(
            actor=Actor.system("bench import-seizures"),
            owner_org=org,
            fileobj=fileobj,
            filename=path.name,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", help="write a cProfile of the timed import to this file")
    args = parser.parse_args()

    setup()
    from django.db import connection

    rss_after_setup = max_rss_mb()

    org = directory()
    clear()
    workdir = Path(tempfile.mkdtemp(prefix="ipex-bench-import-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    tag = uuid.uuid4().hex[:6].upper()
    timed_file = generate(workdir / "timed.csv", args.rows, f"T{tag}")
    traced_file = generate(workdir / "traced.csv", args.rows, f"M{tag}")
    size_mb = timed_file.stat().st_size / 1e6

    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    result = run_import(timed_file, org)
    elapsed = time.perf_counter() - start
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
    assert result.rows == args.rows and not result.already_imported

    tracemalloc.start()
    traced = run_import(traced_file, org)
    traced_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    assert traced.rows == args.rows
    max_rss = max_rss_mb()  # before the references below, which take memory of their own

    clear()  # the references start from the same empty tables as the timed import did
    floor = schema_floor(timed_file, org)
    bare = bare_floor(timed_file, org)
    baseline = raw_load(timed_file)

    raw_rate, rate = args.rows / baseline, args.rows / elapsed
    ratio = rate / raw_rate
    print(f"database: {connection.vendor}, rows: {args.rows:,} ({size_mb:,.1f} MB of CSV)")
    print(f"raw bulk load (baseline): {raw_rate:>10,.0f} rows/s  ({baseline:.2f} s)")
    print(
        f"same rows into IPEX's tables, no checks: {args.rows / floor:,.0f} rows/s "
        f"({floor:.2f} s; {args.rows / floor / raw_rate:.2f}x the baseline: the indexes and "
        "foreign keys of the real tables)"
    )
    print(
        f"same rows into bare copies of those tables (no index, key or constraint), no checks: "
        f"{args.rows / bare:,.0f} rows/s ({bare:.2f} s; {args.rows / bare / raw_rate:.2f}x the "
        "baseline: the least that writing an import's rows costs)"
    )
    print(
        f"import service:           {rate:>10,.0f} rows/s  ({elapsed:.2f} s; "
        f"{result.seizures:,} seizures)  ratio to baseline {ratio:.2f}x "
        f"(target >= {TARGET_RATIO}x)"
    )
    print(
        f"peak memory: {traced_peak:,.1f} MB traced by tracemalloc during an import, "
        f"{max_rss:,.1f} MB maximum resident set of the process "
        f"({rss_after_setup:,.1f} MB after set-up and migrations) (target < {TARGET_MEMORY_MB} MB)"
    )
    ok = ratio >= TARGET_RATIO and max(traced_peak, max_rss) < TARGET_MEMORY_MB
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
