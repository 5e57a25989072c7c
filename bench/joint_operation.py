"""Joint operations: what keeping a participant's result summary current costs. An operation
with N participating organisations spread over K nodes (this node and K-1 partners, whose
summaries are held as replicas) and R linked records of this node's organisations; timed:
linking one more seizure (the whole service: its contribution, the summary changed by it,
audited and published to the participating nodes, in one transaction) and reading the
combined figures, against the baseline of working one organisation's figures out by
scanning its linked records (what a summary computed on read would cost), measured in the
same run.

    .venv/bin/python bench/joint_operation.py --records 100000 --organisations 20 --nodes 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_joint \\
        .venv/bin/python bench/joint_operation.py --records 100000

Target: computing a summary kept current ≤ 20 ms p95 (it does not grow with the linked
records). Not measured here: the time from a link on one node to the combined figure on
another through the doorbell (that path is the exchange's, timed by bench/sync.py).
"""

from __future__ import annotations

import argparse
import atexit
import base64
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_P95 = 0.020


def setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="ipex-bench-joint-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["IPEX_DATA_DIR"] = data_dir
    os.environ.setdefault("IPEX_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipex.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):  # start empty
        call_command("flush", interactive=False, verbosity=0)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="linked records")
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--links", type=int, default=100, help="links timed")
    args = parser.parse_args()
    setup()

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from django.db import connection, transaction
    from django.utils import timezone

    from ipex.cooperation import results, services
    from ipex.cooperation.models import OperationLink, ResultSummary
    from ipex.cooperation.services import links
    from ipex.directory import services as directory
    from ipex.directory.models import JurisdictionLevel, Node, Organisation, OrgKind
    from ipex.federation.services import partner_add
    from ipex.seizures.categories import seed_categories
    from ipex.seizures.models import Category, SeizedItem, Seizure

    seed_categories(Category)
    node, _ = directory.node_init(name="Bench CN", base_url="http://127.0.0.1:8000")
    cn = directory.jurisdiction_add(
        actor=None, code="CN", level=JurisdictionLevel.COUNTRY, name_en="China"
    )
    partners = []
    for n in range(1, args.nodes):
        key = ed25519.Ed25519PrivateKey.generate().public_key()
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        partners.append(
            partner_add(
                actor=None,
                node_id=f"00000000-0000-4000-8000-{n:012d}",
                name=f"Bench partner {n}",
                base_url=f"http://127.0.0.1:{8000 + n}",
                public_key=base64.b64encode(raw).decode(),
            ).node
        )
    homes = [node, *partners]
    orgs = []
    for i in range(args.organisations):
        home = homes[i % len(homes)]
        fields = {"code": f"BENCH-{i:02d}", "kind": OrgKind.POLICE, "name_en": f"Org {i}"}
        if home.pk == node.pk:
            orgs.append(directory.organisation_create(actor=None, jurisdiction=cn, **fields))
        else:
            orgs.append(
                Organisation.objects.add_root({**fields, "jurisdiction": cn, "origin_node": home})
            )
    local = [o for o in orgs if o.origin_node_id == node.pk]
    user = directory.user_create(actor=None, email="bench@cn.test", full_name="bench")
    for org in local:
        directory.membership_grant(actor=None, user=user, organisation=org, role="officer")
    operation = services.operation_create(
        actor=user,
        owner_org=local[0],
        participants=orgs,
        title="Bench operation",
        starts_on="2013-06-01",
        ends_on="2013-09-30",
    )

    # R linked records of this node's organisations (set-up, not timed), their summaries as
    # the links made them; the partners' summaries as replicas.
    started = time.perf_counter()
    category = Category.objects.get(code="audiovisual.dvd")
    per = {o.pk: 0 for o in local}
    with transaction.atomic():
        for start in range(0, args.records, 2000):
            batch = [
                Seizure(
                    origin_node=node,
                    owner_org=local[i % len(local)],
                    seized_on="2013-06-05",
                    jurisdiction=cn,
                    method="raid",
                )
                for i in range(start, min(start + 2000, args.records))
            ]
            Seizure.objects.bulk_create(batch)
            SeizedItem.objects.bulk_create(
                SeizedItem(seizure=s, line_no=1, category=category, quantity=100) for s in batch
            )
            OperationLink.objects.bulk_create(
                OperationLink(
                    operation=operation,
                    organisation_id=s.owner_org_id,
                    kind="seizure",
                    record_uuid=s.uuid,
                    figures={"seizures": 1, "items:audiovisual.dvd": 100},
                )
                for s in batch
            )
            for s in batch:
                per[s.owner_org_id] += 1
        for org in orgs:
            count = per.get(org.pk, 1000)
            summary = services.for_parties(
                ResultSummary,
                org if org.origin_node_id == node.pk else local[0],
                f"Results {org.code}",
                orgs,
                operation=operation,
                figures={"seizures": count, "items:audiovisual.dvd": count * 100},
                computed_at=timezone.now(),
            )
            summary.owner_org, summary.origin_node = org, org.origin_node
            summary.save()
    print(f"set-up: {args.records:,} linked records in {time.perf_counter() - started:.0f} s")

    # Linking one more seizure: the summary changes by what it adds (kept), timed whole.
    org = local[0]
    kept, computed = [], []
    for _ in range(args.links):
        seizure = Seizure.objects.create(
            origin_node=node, owner_org=org, seized_on="2013-06-06", jurisdiction=cn, method="raid"
        )
        SeizedItem.objects.create(seizure=seizure, line_no=1, category=category, quantity=7)
        started = time.perf_counter()  # the summary's new figures alone: read, add, no write
        held = ResultSummary.objects.get(operation=operation, owner_org=org).figures
        links.add(held, links.contribution(seizure))
        computed.append(time.perf_counter() - started)
        started = time.perf_counter()
        links.operation_link(actor=user, operation=operation, kind="seizure", record=seizure)
        kept.append(time.perf_counter() - started)

    # Baseline: the same organisation's figures worked out by scanning its linked records.
    scans = []
    for _ in range(max(5, args.links // 10)):
        started = time.perf_counter()
        figures: dict[str, int] = {}
        for row in OperationLink.objects.filter(operation=operation, organisation=org).values_list(
            "figures", flat=True
        ):
            figures = links.add(figures, row)
        scans.append(time.perf_counter() - started)

    reads = []
    for _ in range(args.links):
        started = time.perf_counter()
        combined = results.combined(operation)
        reads.append(time.perf_counter() - started)
    assert combined["total"]["seizures"] == sum(per.get(o.pk, 1000) for o in orgs) + args.links, (
        "figures do not add up"
    )
    assert Node.objects.count() == args.nodes

    verdict = "PASS" if p95(computed) <= TARGET_P95 else "MISS"
    print(
        f"database: {connection.vendor}, linked records: {args.records:,}, organisations: "
        f"{args.organisations} on {args.nodes} nodes ({len(local)} here)"
    )
    print(
        f"baseline, one organisation's figures by scanning its {per[org.pk]:,} linked records: "
        f"p95 {p95(scans) * 1000:.1f} ms"
    )
    print(
        f"computing the summary kept current (held figures + the new record's): p95 "
        f"{p95(computed) * 1000:.1f} ms ({p95(computed) / p95(scans):.3f}x the scan) — target ≤ "
        f"{TARGET_P95 * 1000:.0f} ms: {verdict}"
    )
    print(
        f"a whole link (the above, written, audited, published to the partners): p95 "
        f"{p95(kept) * 1000:.1f} ms over {len(kept)} links ({p95(kept) / p95(scans):.2f}x the scan)"
    )
    print(
        f"combined figures read ({args.organisations} summaries): p95 "
        f"{p95(reads) * 1000:.1f} ms ({p95(reads) / p95(scans):.2f}x the scan)"
    )


if __name__ == "__main__":
    main()
