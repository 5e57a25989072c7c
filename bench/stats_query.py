"""Statistics reads: national figures by category, year and province through the statistics
API's query function (``seizure_stats``, over the roll-ups), against a DuckDB group-by over
the same seized items, measured in the same run.

    .venv/bin/python bench/stats_query.py --items 10000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_stats \\
        .venv/bin/python bench/stats_query.py --items 10000000

The items are generated in DuckDB (deterministic pseudo-random years, provinces, categories,
organisation kinds, months and quantities). The roll-up rows are the sums the incremental
roll-up keeps for those items (``StatFigure``: one row per year × month × jurisdiction ×
category × kind; ``StatTotal``: one per year × jurisdiction × category; for each province and
for the country); they are bulk-loaded rather than replayed item by item,
and the benchmark checks that both sides give identical figures before it times anything.

Targets: p95 ≤ 50 ms per statistics call, and at least 10× faster than the DuckDB scan.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from common import p95, setup

YEARS = list(range(2008, 2018))
CATEGORIES = ["books", "periodicals", "audiovisual", "electronic_publications", "software", "other"]
KINDS = ["copyright_admin", "police", "customs"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000_000)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    setup()
    import duckdb
    from django.db import connection, transaction

    from ipex.directory.jurisdictions import seed_jurisdictions
    from ipex.directory.models import Jurisdiction
    from ipex.seizures.models import StatFigure, StatTotal
    from ipex.seizures.queries import seizure_stats

    seed_jurisdictions(countries=["CN"], subdivisions=True)
    country = Jurisdiction.objects.get(code="CN")
    provinces = list(
        Jurisdiction.objects.filter(depth=2, path__startswith=country.path).order_by("code")
    )
    StatFigure.objects.all().delete()
    StatTotal.objects.all().delete()

    duck = duckdb.connect()
    start = time.perf_counter()
    duck.execute(f"""
        CREATE TABLE items AS
        SELECT {YEARS[0]} + (hash(i) % {len(YEARS)})::INT AS year,
               1 + (hash(i * 7) % 12)::INT AS month,
               (hash(i * 13) % {len(provinces)})::INT AS province,
               (hash(i * 17) % {len(CATEGORIES)})::INT AS category,
               (hash(i * 19) % {len(KINDS)})::INT AS kind,
               1 + (hash(i * 23) % 1000)::BIGINT AS quantity
        FROM range({args.items}) t(i)
    """)
    print(f"generated {args.items:,} items in DuckDB in {time.perf_counter() - start:.1f} s")

    groups = duck.execute("""
        SELECT year, month, province, category, kind, sum(quantity)
        FROM items GROUP BY ALL
    """).fetchall()
    start = time.perf_counter()
    rows = []
    for year, month, province, category, kind, quantity in groups:
        for area in (provinces[province], country):
            rows.append(
                StatFigure(
                    source="reports",
                    year=year,
                    quarter=(month - 1) // 3 + 1,
                    month=month,
                    jurisdiction=area,
                    depth=area.depth,
                    category=CATEGORIES[category],
                    subcategory="",
                    org_kind=KINDS[kind],
                    quantity=int(quantity),
                )
            )
    # Country rows of one key gather several provinces: merge them as the roll-up would.
    merged: dict[tuple, StatFigure] = {}
    for row in rows:
        key = (row.year, row.month, row.jurisdiction_id, row.category, row.org_kind)
        if key in merged:
            merged[key].quantity += row.quantity
        else:
            merged[key] = row
    totals: dict[tuple, StatTotal] = {}
    for row in merged.values():
        key = (row.year, row.jurisdiction_id, row.category)
        if key in totals:
            totals[key].quantity += row.quantity
        else:
            totals[key] = StatTotal(
                source="reports",
                year=row.year,
                jurisdiction=row.jurisdiction,
                depth=row.depth,
                category=row.category,
                subcategory="",
                quantity=row.quantity,
            )
    with transaction.atomic():
        StatFigure.objects.bulk_create(merged.values(), batch_size=5000)
        StatTotal.objects.bulk_create(totals.values(), batch_size=5000)
    print(
        f"roll-up: {len(merged):,} rows loaded in {time.perf_counter() - start:.1f} s "
        f"({connection.vendor})"
    )

    # Same figures on both sides before anything is timed.
    for year in (YEARS[0], YEARS[-1]):
        ours = {
            r["category"]: r["quantity"]
            for r in seizure_stats(None, area="CN", year=year, by="category")
        }
        theirs = dict(
            duck.execute(
                "SELECT category, sum(quantity) FROM items WHERE year = ? GROUP BY category", [year]
            ).fetchall()
        )
        assert {CATEGORIES[k]: int(v) for k, v in theirs.items()} == {
            k: v for k, v in ours.items() if v
        }, "figures differ"
        ours_p = {
            r["jurisdiction"]: r["quantity"]
            for r in seizure_stats(None, area="CN", year=year, by="jurisdiction")
        }
        theirs_p = dict(
            duck.execute(
                "SELECT province, sum(quantity) FROM items WHERE year = ? GROUP BY province", [year]
            ).fetchall()
        )
        assert {provinces[k].code: int(v) for k, v in theirs_p.items()} == ours_p

    def timed(function) -> list[float]:
        samples = []
        for call in range(args.calls):
            year = YEARS[call % len(YEARS)]
            begin = time.perf_counter()
            function(year, "category" if call % 2 == 0 else "jurisdiction")
            samples.append((time.perf_counter() - begin) * 1000)
        return samples

    def ours(year, by):
        return seizure_stats(None, area="CN", year=year, by=by)

    def duck_scan(year, by):
        column = "category" if by == "category" else "province"
        return duck.execute(
            f"SELECT {column}, sum(quantity) FROM items WHERE year = ? GROUP BY {column}", [year]
        ).fetchall()

    ours(YEARS[0], "category")
    duck_scan(YEARS[0], "category")
    mine, base = timed(ours), timed(duck_scan)

    ratio = statistics.median(base) / statistics.median(mine)
    print(f"items: {args.items:,}; calls: {args.calls} (category and province, {len(YEARS)} years)")
    print(
        f"statistics query (roll-ups):  p50 {statistics.median(mine):.2f} ms, "
        f"p95 {p95(mine):.2f} ms (target p95 <= 50 ms)"
    )
    print(
        f"DuckDB group-by (baseline):   p50 {statistics.median(base):.2f} ms, "
        f"p95 {p95(base):.2f} ms"
    )
    print(
        f"ratio: the statistics query is {ratio:.1f}x faster than the DuckDB scan (target >= 10x)"
    )
    ok = p95(mine) <= 50 and ratio >= 10
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
