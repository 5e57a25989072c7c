"""Software legalisation at scale: inventory import, normalisation of raw install strings, the
reconciliation of every body, and the compliance statistics, each against a reference
measured in the same run.

    .venv/bin/python bench/compliance.py --installs 1000000            # embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_compliance \\
        .venv/bin/python bench/compliance.py --installs 1000000

On PostgreSQL the database named is dropped and made again at the start: give it its own.

The data: ``--installs`` installs on devices of 50 programs each (1,000,000: 20,000 devices
in 200 bodies), drawn from 3,000 distinct raw strings, 1,000 normalisation rules (exact,
prefix, regular expression, ignore) naming 2,500 of them, licences for part of what each body
installed; one CSV inventory per body.

- **Import**: every body's file through ``inventory_import`` (the page's, the API's and the
  CLI's service: every row checked, all or nothing, strings named, the body reconciled),
  against the same devices and installs written into IPEX's tables with no checks, by the
  same plain write the importer uses (``installs_write``: COPY on PostgreSQL, one prepared
  INSERT on SQLite), so that the ratio is the cost of the checks. Target ≥ 0.5×, and peak memory
  < 300 MB (tracemalloc during the import of one file holding a tenth of the installs, and
  the process's maximum resident set).
- **Normalisation**: naming every install's (name, publisher), distinct strings matched once,
  by the rule book the importer uses, against the first-match scan of the ordered rules.
  Target ≥ 200,000 strings/s.
- **Reconciliation**: every body again, against one read of all install rows (what any
  reconciliation reads at least). Target ≤ 10 s per million installs.
- **Statistics**: the compliance figures by jurisdiction through the statistics API's query
  function (``compliance_stats``, over the kept roll-ups), against DuckDB computing the same
  from the install rows in memory (checked equal first). Target p95 ≤ 10 ms and ≥ 10× faster.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

from common import max_rss_mb, p95, setup, verdict

YEAR = 2013
STRINGS = 3_000
PER_DEVICE = 50
FAMILIES = ["os", "office", "antivirus", "other"]
PROVINCES = ["CN-GD", "CN-ZJ", "CN-BJ", "CN-SH"]
KINDS = ["government", "state_owned", "private"]


def raw_strings() -> list[tuple[str, str]]:
    """3,000 distinct (name, publisher): 0-699 named by exact rules, 700-1699 by prefix rules
    (5 each), 1700-2199 by regular expressions (10 each), 2200-2499 ignored (a prefix rule of
    6 each), 2500-2999 unknown to every rule."""
    out = []
    for i in range(STRINGS):
        if i < 700:
            out.append((f"App{i:04d} Professional", f"Vendor {i % 40}"))
        elif i < 1700:
            out.append((f"Suite{(i - 700) // 5:03d} Edition {i % 5}", f"Vendor {i % 40}"))
        elif i < 2200:
            out.append((f"Tool{(i - 1700) // 10:02d} build v{i % 10}", f"Toolmaker {i % 7}"))
        elif i < 2500:
            out.append((f"Driver{(i - 2200) // 6:02d} pack {i % 6}", "Hardware Inc"))
        else:
            out.append((f"Homemade utility {i}", ""))
    return out


def catalogue_and_rules() -> None:
    """200 products (every fifth free software) and the 1,000 rules, written directly: the
    bench times their use, not their entry (each rule's examples are its own strings)."""
    from ipex.compliance.models import NormalisationRule, Product, RuleKind

    products = Product.objects.bulk_create(
        Product(
            publisher=f"Bench vendor {j % 40}",
            name=f"Bench product {j}",
            family=FAMILIES[j % 4],
            licence_model="foss" if j % 5 == 0 else "commercial",
            spdx_id="MIT" if j % 5 == 0 else "",
        )
        for j in range(200)
    )
    products = list(Product.objects.filter(name__startswith="Bench product").order_by("id"))
    strings = raw_strings()
    rules = []
    for i in range(700):
        rules.append((RuleKind.EXACT, strings[i][0], strings[i][0], False))
    for k in range(200):
        rules.append((RuleKind.PREFIX, f"Suite{k:03d} ", strings[700 + 5 * k][0], False))
    for k in range(50):
        rules.append(
            (RuleKind.REGEX, rf"^tool{k:02d} build v\d+$", strings[1700 + 10 * k][0], False)
        )
    for k in range(50):
        rules.append((RuleKind.PREFIX, f"Driver{k:02d} ", strings[2200 + 6 * k][0], True))
    start = (
        NormalisationRule.objects.order_by("-position").values_list("position", flat=True).first()
        or 0
    ) + 10
    NormalisationRule.objects.bulk_create(
        NormalisationRule(
            position=start + n,
            kind=kind,
            pattern=pattern,
            product=None if ignore else products[n % len(products)],
            ignore=ignore,
            examples=[example],
        )
        for n, (kind, pattern, example, ignore) in enumerate(rules)
    )


def bodies(count: int):
    """``count`` audited bodies under four provincial copyright administrations."""
    from ipex.compliance.services import body_register
    from ipex.core.audit import Actor
    from ipex.directory import services
    from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, OrgKind

    system = Actor.system("bench compliance")
    if not Node.objects.filter(is_local=True).exists():
        services.node_init(name="Bench node", base_url="http://127.0.0.1:8000")
    country = Jurisdiction.objects.filter(code="CN").first() or services.jurisdiction_add(
        actor=system, code="CN", level=JurisdictionLevel.COUNTRY, name_en="China"
    )
    admins = []
    for code in PROVINCES:
        area = Jurisdiction.objects.filter(code=code).first() or services.jurisdiction_add(
            actor=system, code=code, level=JurisdictionLevel.PROVINCE, name_en=code, parent=country
        )
        admins.append(
            services.organisation_create(
                actor=system,
                code=f"{code}-BENCH-CB",
                kind=OrgKind.COPYRIGHT_ADMIN,
                name_en=f"{code} copyright bureau (bench)",
                jurisdiction=area,
            )
        )
    return [
        body_register(
            actor=system,
            administration=admins[n % len(admins)],
            code=f"BENCH-BODY-{n:04d}",
            name_en=f"Synthetic body {n} (bench)",
            body_kind=KINDS[n % len(KINDS)],
        )
        for n in range(count)
    ]


def inventories(folder: Path, bodies, devices: int, seed: str) -> list[tuple[object, Path]]:
    """One CSV per body; each device has 50 programs, ten of them among the 100 most common."""
    pick = random.Random(seed)  # noqa: S311 - test data
    strings = raw_strings()
    files = []
    per_body = devices // len(bodies)
    for b, body in enumerate(bodies):
        path = folder / f"{body.code}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["device", "name", "publisher", "version"])
            for d in range(per_body):
                chosen = set(pick.sample(range(100), 10))
                while len(chosen) < PER_DEVICE:
                    chosen.add(pick.randrange(STRINGS))
                for i in sorted(chosen):
                    name, publisher = strings[i]
                    writer.writerow([f"PC-{b:04d}-{d:05d}", name, publisher, f"{i % 9}.{d % 3}"])
        files.append((body, path))
    return files


def licences(files, seed: str) -> None:
    """Each body holds licences for 60-120 % of the devices of each product it installs
    (per device; a few site licences)."""
    import datetime as dt

    from ipex.compliance.models import Entitlement, RawString

    pick = random.Random(seed)  # noqa: S311 - test data
    product_of = dict(
        RawString.objects.filter(product__isnull=False).values_list("name", "product_id")
    )
    rows = []
    for body, path in files:
        held = defaultdict(set)
        with path.open(encoding="utf-8", newline="") as source:
            for row in csv.DictReader(source):
                product = product_of.get(row["name"])
                if product is not None:
                    held[product].add(row["device"])
        for product, devices in held.items():
            site = pick.random() < 0.02
            rows.append(
                Entitlement(
                    body=body,
                    product_id=product,
                    metric="site" if site else "device",
                    quantity=0 if site else max(1, int(len(devices) * pick.uniform(0.6, 1.2))),
                    valid_from=dt.date(YEAR, 1, 1),
                )
            )
    Entitlement.objects.bulk_create(rows, batch_size=2000)


def name_strings(files) -> None:
    """The strings named once before licences are drawn (the import would name them too)."""
    from ipex.compliance.services.products import strings_note

    seen = Counter()
    for _body, path in files[:1]:
        with path.open(encoding="utf-8", newline="") as source:
            for row in csv.DictReader(source):
                seen[(row["name"], row["publisher"])] += 0
    seen.update({pair: 0 for pair in raw_strings()})
    strings_note(dict(seen))


def import_all(files) -> float:
    from ipex.compliance.inventories.service import inventory_import
    from ipex.core.audit import Actor

    system = Actor.system("bench compliance")
    start = time.perf_counter()
    for body, path in files:
        with path.open("rb") as fileobj:
            inventory_import(
                actor=system, body=body, fileobj=fileobj, file_name=path.name, year=YEAR
            )
    return time.perf_counter() - start


def floor(files) -> float:
    """The same devices and installs into IPEX's tables, with no checks, for the next year:
    each file in a transaction of its own, committed, as each import is (a commit waits for
    the disk on PostgreSQL; one transaction for all the files would pay that wait once, and
    the ratio would count commits, not checks)."""
    from django.db import transaction

    from ipex.compliance.inventories.service import installs_write
    from ipex.compliance.models import Device, Inventory, RawString

    raw_id = {(n, p): pk for pk, n, p in RawString.objects.values_list("pk", "name", "publisher")}
    start = time.perf_counter()
    for body, path in files:
        with transaction.atomic():
            inventory = Inventory.objects.create(
                body=body,
                year=YEAR + 1,
                taken_on=f"{YEAR + 1}-12-31",
                file_name=path.name,
                sha256=f"floor-{body.pk}",
                format="csv",
            )
            devices, installs = {}, []
            with path.open(encoding="utf-8", newline="") as source:
                reader = csv.reader(source)
                next(reader)
                for device, name, publisher, version in reader:
                    if device not in devices:
                        devices[device] = Device(
                            body=body, year=YEAR + 1, name=device, inventory=inventory
                        )
                    installs.append((device, raw_id[(name, publisher)], version))
            Device.objects.bulk_create(devices.values())
            installs_write([(devices[d].pk, r, v) for d, r, v in installs])
    return time.perf_counter() - start


def big_file_peak(folder: Path, body, installs: int) -> tuple[float, int]:
    """Peak traced memory (MB) while one file of ``installs`` rows is imported."""
    from ipex.compliance.inventories.service import inventory_import
    from ipex.core.audit import Actor

    strings = raw_strings()
    path = folder / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["device", "name", "publisher", "version"])
        for n in range(installs):
            name, publisher = strings[(n * 7) % STRINGS]
            writer.writerow([f"BIG-{n // PER_DEVICE:06d}", name, publisher, "1.0"])
    tracemalloc.start()
    with path.open("rb") as fileobj:
        inventory_import(
            actor=Actor.system("bench compliance"),
            body=body,
            fileobj=fileobj,
            file_name=path.name,
            year=YEAR - 1,
        )
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024, installs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installs", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=0, help="default: one per 100 devices")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    devices = max(1, args.installs // PER_DEVICE)
    body_count = args.bodies or max(1, min(200, devices // 100))
    setup(empty=True)
    from django.db import connection

    print(
        f"database: {connection.vendor}; {args.installs:,} installs, {devices:,} devices, "
        f"{body_count} bodies, {STRINGS:,} distinct strings, 1,000 rules"
    )
    catalogue_and_rules()
    people = bodies(body_count)
    folder = Path(tempfile.mkdtemp(prefix="ipex-bench-inventories-"))
    files = inventories(folder, people, devices, "bench")
    installs = devices // body_count * body_count * PER_DEVICE
    name_strings(files)
    licences(files, "bench")

    ok = True
    took = import_all(files)
    base = floor(files)
    rate, base_rate = installs / took, installs / base
    ratio = rate / base_rate
    print(
        f"import: {rate:,.0f} installs/s ({took:.1f} s); IPEX's tables with no checks "
        f"{base_rate:,.0f}/s; ratio {ratio:.2f}x (target >= 0.5x) {verdict(ratio >= 0.5)}"
    )
    ok &= ratio >= 0.5
    peak, rows = big_file_peak(folder, people[0], max(PER_DEVICE, args.installs // 10))
    rss = max_rss_mb()
    print(
        f"memory: {peak:.1f} MB traced while importing one file of {rows:,} installs; "
        f"process maximum {rss:.0f} MB (target < 300 MB) {verdict(peak < 300 and rss < 300)}"
    )
    ok &= peak < 300 and rss < 300

    ok &= normalisation(files)
    ok &= reconciliation(people, installs)
    ok &= compliance_stats(args.calls)
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


def normalisation(files) -> bool:
    from ipex.compliance.services.products import RuleBook, normalise, ordered_rules

    pairs = []
    for _body, path in files:
        with path.open(encoding="utf-8", newline="") as source:
            reader = csv.reader(source)
            next(reader)
            pairs.extend((name, publisher) for _d, name, publisher, _v in reader)
    rules = ordered_rules()

    def name_all(naming) -> float:
        cache = {}
        start = time.perf_counter()
        for pair in pairs:
            if pair not in cache:
                cache[pair] = naming(*pair)
        return time.perf_counter() - start, cache

    book = RuleBook(rules)
    took, mine = name_all(book.first)
    base, theirs = name_all(lambda n, p: normalise(n, p, rules))
    if mine != theirs:
        print("normalisation: the rule book and the ordered scan disagree")
        return False
    rate = len(pairs) / took
    print(
        f"normalisation: {rate:,.0f} strings/s ({len(mine):,} distinct, {len(pairs):,} in all); "
        f"first-match scan {len(pairs) / base:,.0f}/s; ratio {base / took:.1f}x "
        f"(target >= 200,000/s) {verdict(rate >= 200_000)}"
    )
    return rate >= 200_000


def reconciliation(people, installs: int) -> bool:
    from ipex.compliance.models import Install
    from ipex.compliance.reconcile import reconcile

    start = time.perf_counter()
    rows = Install.objects.filter(device__year=YEAR).values_list("device_id", "raw__product_id")
    for _row in rows.iterator(chunk_size=5000):
        pass
    base = time.perf_counter() - start
    start = time.perf_counter()
    for body in people:
        reconcile(body, YEAR)
    took = time.perf_counter() - start
    per_million = took / (installs / 1_000_000)
    print(
        f"reconciliation: {len(people)} bodies in {took:.1f} s = {per_million:.1f} s per million "
        f"installs; one read of the install rows {base:.1f} s; ratio {took / base:.1f}x "
        f"(target <= 10 s per million) {verdict(per_million <= 10)}"
    )
    return per_million <= 10


def kept_figures() -> dict[str, tuple[int, int]]:
    """Devices and compliant devices by jurisdiction (the country and each province), through
    the statistics API's query function over the kept figures."""
    from ipex.compliance.queries import compliance_stats

    rows = compliance_stats(country="CN", year=YEAR, by="jurisdiction")
    return {row["key"]: (row["devices"], row["compliant_devices"]) for row in rows}


SCAN = """
WITH held AS (
    SELECT DISTINCT i.body_id, i.device_id, i.device, i.product_id, i.free
    FROM installs i WHERE i.product_id IS NOT NULL
), ranked AS (
    SELECT h.*, row_number() OVER (PARTITION BY h.body_id, h.product_id ORDER BY h.device)
        AS n, coalesce(l.quantity, 0) AS quantity, coalesce(l.site, false) AS site
    FROM held h LEFT JOIN licences l ON l.body_id = h.body_id AND l.product_id = h.product_id
), uncovered AS (
    SELECT DISTINCT device_id FROM ranked WHERE NOT free AND NOT site AND n > quantity
), devices AS (
    SELECT DISTINCT body_id, device_id FROM installs
)
SELECT b.jurisdiction, count(*) AS devices,
       count(*) FILTER (WHERE u.device_id IS NULL) AS compliant
FROM devices d JOIN bodies b ON b.body_id = d.body_id
LEFT JOIN uncovered u ON u.device_id = d.device_id
GROUP BY b.jurisdiction
"""


def compliance_stats(calls: int) -> bool:
    """The kept figures against DuckDB computing them from the install rows in memory."""
    import duckdb

    from ipex.compliance.models import AuditedBody, Entitlement, Install

    database = duckdb.connect()
    installs = Install.objects.filter(device__year=YEAR).values_list(
        "device__body_id",
        "device_id",
        "device__name",
        "raw__product_id",
        "raw__product__licence_model",
    )
    database.execute(
        "CREATE TABLE installs (body_id INT, device_id INT, device VARCHAR, product_id INT, "
        "free BOOLEAN)"
    )
    database.executemany(
        "INSERT INTO installs VALUES (?, ?, ?, ?, ?)",
        [(b, d, n, p, m == "foss") for b, d, n, p, m in installs.iterator(chunk_size=10_000)],
    )
    licences = {}
    for body, product, metric, quantity in Entitlement.objects.values_list(
        "body_id", "product_id", "metric", "quantity"
    ):
        total, site = licences.get((body, product), (0, False))
        licences[(body, product)] = (total + quantity, site or metric == "site")
    database.execute("CREATE TABLE licences (body_id INT, product_id INT, quantity INT, site BOOL)")
    database.executemany(
        "INSERT INTO licences VALUES (?, ?, ?, ?)",
        [(b, p, q, s) for (b, p), (q, s) in licences.items()],
    )
    database.execute("CREATE TABLE bodies (body_id INT, jurisdiction VARCHAR)")
    database.executemany(
        "INSERT INTO bodies VALUES (?, ?)",
        list(AuditedBody.objects.values_list("id", "organisation__jurisdiction__code")),
    )
    theirs = {j: (d, c) for j, d, c in database.execute(SCAN).fetchall()}
    theirs["CN"] = tuple(sum(figures[n] for figures in theirs.values()) for n in (0, 1))
    mine = kept_figures()
    if mine != theirs:
        print(f"statistics: the kept figures {mine} differ from DuckDB's {theirs}")
        return False

    def timed(read) -> list[float]:
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            read()
            samples.append((time.perf_counter() - start) * 1000)
        return samples

    kept = timed(kept_figures)
    scan = timed(lambda: database.execute(SCAN).fetchall())
    ratio = p95(scan) / p95(kept)
    ok = p95(kept) <= 10 and ratio >= 10
    print(
        f"statistics: kept figures p95 {p95(kept):.2f} ms; DuckDB over the install rows in "
        f"memory p95 {p95(scan):.2f} ms; {ratio:.1f}x faster (target p95 <= 10 ms and >= 10x) "
        f"{verdict(ok)}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
