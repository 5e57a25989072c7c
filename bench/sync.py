"""Exchange between nodes: a full sync of N shared records from node A to node B (signed
requests and answers, every envelope verified and applied, batch and cursor committed
together), against a raw transfer of the same bytes over HTTP on loopback (no signature, no
verification, no apply), measured in the same run; and how long a change on A takes to be
visible on B through the doorbell.

    .venv/bin/python bench/sync.py --records 100000          # two embedded SQLite nodes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_sync \\
        .venv/bin/python bench/sync.py --records 100000      # two PostgreSQL databases

Both nodes live in this process, each with its own database and its own HTTP server thread
on 127.0.0.1. Targets: at least 5,000 records/s and at least 0.25x the raw rate; a change on
A visible on B within 2 s (p95) through the doorbell.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from wsgiref.simple_server import make_server

from nodes import Loopback, Quiet, fork, setup

TARGET_RATE = 5000
TARGET_RATIO = 0.25
TARGET_P95 = 2.0


def cpu_seconds(pid: int | None = None) -> float:
    """User and system processor time of this process, or of a child by its pid."""
    if pid is None:
        usage = os.times()
        return usage.user + usage.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--doorbell", type=int, default=40, help="changes timed through it")
    args = parser.parse_args()
    setup(("a", "b"), prefix="ipex-bench-sync-")

    import httpx
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections, transaction

    from ipex.directory import services as directory
    from ipex.directory.models import Node
    from ipex.federation.outbox import publish_many
    from ipex.federation.sync import sync_partner
    from ipex.seizures.models import Category, SeizedItem, Seizure

    # Identities, places, organisations; the partnership both ways; each signs with its key.
    nodes = Loopback(("a", "b"))
    on, conn, data = nodes.on, nodes.conn, nodes.data
    made = {n: (m.node, m.orgs[0], m.country) for n, m in nodes.identities().items()}
    nodes.partner_all()

    # B serves from a thread of this process (its doorbell); A from a process of its own, as
    # a partner would: its side of the sync (query, egress check, signing) runs beside B's.
    nodes.serve_thread("b")
    app_a = None
    if os.environ.get("IPEX_BENCH_PROFILE") == "serve":  # A's side, profiled, request by request
        import cProfile

        served, profiler_a = WSGIHandler(), cProfile.Profile()

        def app_a(environ, start_response):
            profiler_a.enable()
            try:
                return served(environ, start_response)
            finally:
                profiler_a.disable()
                profiler_a.dump_stats(Path(data) / "serve.prof")

    # N shared records on A (set-up, not timed): written and published in bulk.
    on("a")
    node_a, org_a, cn = made["a"]
    group = directory.sharing_group_create(actor=None, owner_org=org_a, name="bench")
    directory.sharing_group_add_member(
        actor=None, group=group, node=Node.objects.get(uuid=made["b"][0].uuid)
    )
    category = Category.objects.get(code="audiovisual.dvd")
    import ipex.federation.outbox as outbox

    ring = outbox._ring_after_commit
    outbox._ring_after_commit = lambda partner_ids: None  # no doorbell during the set-up
    started = time.perf_counter()
    if os.environ.get("IPEX_BENCH_PROFILE") == "setup":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with transaction.atomic():
        for start in range(0, args.records, 2000):
            batch = [
                Seizure(
                    origin_node=node_a,
                    owner_org=org_a,
                    distribution="group",
                    sharing_group=group,
                    seized_on="2013-05-06",
                    jurisdiction=cn,
                    method="raid",
                    reference=f"B-{i:07d}",
                )
                for i in range(start, min(start + 2000, args.records))
            ]
            Seizure.objects.bulk_create(batch)
        rows = list(Seizure.objects.filter(owner_org=org_a))
        SeizedItem.objects.bulk_create(
            SeizedItem(seizure=s, line_no=1, category=category, quantity=1200) for s in rows
        )
        publish_many(rows)
    outbox._ring_after_commit = ring
    if os.environ.get("IPEX_BENCH_PROFILE") == "setup":
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"set-up: {args.records:,} shared records on A in {time.perf_counter() - started:.0f} s")
    server_a = nodes.serve_process("a", app_a)

    # The full sync A → B, recording the bytes of every page.
    pages: list[bytes] = []
    real_request = httpx.Client.request

    def recording(self, method, url_, *a, **kw):
        response = real_request(self, method, url_, *a, **kw)
        if "/federation/v1/changes" in str(url_) or "/federation/v1/snapshot" in str(url_):
            pages.append(response.content)
        return response

    on("b")
    a_on_b = Node.objects.get(uuid=node_a.uuid)
    timed = {}
    if os.environ.get("IPEX_BENCH_PROFILE") == "times":  # B's phases, wall time, no profiler
        from ipex.federation import apply as apply_module
        from ipex.seizures import federation as seizure_types

        def timer(owner, name, label):
            real = getattr(owner, name)

            def wrapped(*a, **kw):
                t = time.perf_counter()
                try:
                    return real(*a, **kw)
                finally:
                    timed[label] = timed.get(label, 0) + time.perf_counter() - t

            setattr(owner, name, wrapped)

        timer(apply_module._Page, "__init__", "read states (and checks not made before)")
        timer(apply_module._Page, "take", "take (prepare included)")
        timer(seizure_types.SeizureType, "prepare", "prepare")
        timer(apply_module._Page, "finish", "write")
        from ipex.federation import protocol as protocol_module

        timer(protocol_module.PendingCall, "result", "waiting for a page (served, then checked)")
    httpx.Client.request = recording
    cpu_started = (cpu_seconds(), cpu_seconds(server_a.pid))
    started = time.perf_counter()
    if os.environ.get("IPEX_BENCH_PROFILE") == "sync":
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        outcome = sync_partner(a_on_b, page=args.page)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("IPEX_BENCH_SORT", "tottime")).print_stats(
            40
        )
    else:
        outcome = sync_partner(a_on_b, page=args.page)
    elapsed = time.perf_counter() - started
    cpu_b, cpu_a = (cpu_seconds() - cpu_started[0], cpu_seconds(server_a.pid) - cpu_started[1])
    httpx.Client.request = real_request
    for label, seconds in timed.items():
        print(f"  {label}: {seconds * 1e6 / args.records:.0f} µs a record")
    if os.environ.get("IPEX_BENCH_PROFILE") == "serve":
        import pstats

        pstats.Stats(str(Path(data) / "serve.prof")).sort_stats(
            os.environ.get("IPEX_BENCH_SORT", "tottime")
        ).print_stats(40)
    assert outcome.applied == args.records, outcome
    assert sum(len(json.loads(p)["changes"]) for p in pages) == args.records, "pages not recorded"
    rate = args.records / elapsed
    size = sum(len(p) for p in pages)

    # The raw transfer of the same bytes, page by page, over HTTP on loopback, from a server
    # process of its own as A's was.
    def raw_app(environ, start_response):
        index = int(environ.get("QUERY_STRING", "0") or 0)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [pages[index]]

    raw = make_server("127.0.0.1", 0, raw_app, handler_class=Quiet)
    serve_raw = fork(raw.serve_forever, conn)
    started = time.perf_counter()
    with httpx.Client() as client:
        got = sum(
            len(client.get(f"http://127.0.0.1:{raw.server_port}/?{i}").content)
            for i in range(len(pages))
        )
    raw_elapsed = time.perf_counter() - started
    serve_raw.terminate()
    assert got == size
    raw_rate = args.records / raw_elapsed
    ratio = rate / raw_rate

    # What checking every envelope's signature alone costs, once, nothing else (the floor
    # of any verified sync on this machine).
    from ipex.federation import canonical

    envelopes = [e for p in pages for e in json.loads(p)["changes"]]
    started = time.perf_counter()
    for e in envelopes:
        unsigned = {k: v for k, v in e.items() if k != "signature"}
        assert canonical.verify(node_a.public_key, canonical.canonical(unsigned), e["signature"])
    verify_rate = len(envelopes) / (time.perf_counter() - started)

    # The doorbell: a change on A, committed, rings B, which pulls; time to visible on B.
    from ipex.seizures.services import seizure_update

    on("a")
    sample = list(Seizure.objects.filter(owner_org=org_a)[: args.doorbell])
    user = nodes.made["a"].user
    latencies = []
    for i, seizure in enumerate(sample):
        version = seizure.version
        started = time.perf_counter()
        seizure_update(actor=user, seizure=seizure, place=f"Dock {i}")
        # The ring ran at commit (immediate task backend): B has pulled by now.
        on("b")
        replica = Seizure.objects.get(uuid=seizure.uuid)
        on("a")
        latencies.append(time.perf_counter() - started)
        assert replica.version > version and replica.place == f"Dock {i}", "not delivered"
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies)

    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    print(
        f"database: {connections['default'].vendor}, records: {args.records:,}, "
        f"pages of {args.page}, {size / 1e6:.1f} MB"
    )
    print(f"raw transfer (baseline): {raw_rate:,.0f} records/s ({raw_elapsed:.2f} s)")
    print(
        f"processor time of the full sync: B (pulling, checking, applying) "
        f"{cpu_b * 1e6 / args.records:.0f} µs a record, A (serving) "
        f"{cpu_a * 1e6 / args.records:.0f} µs a record; {elapsed * 1e6 / args.records:.0f} µs "
        f"a record elapsed on {os.cpu_count()} cores"
    )
    print(
        f"full sync A → B: {rate:,.0f} records/s ({elapsed:.2f} s) — "
        f"target ≥ {TARGET_RATE:,}: {verdict(rate >= TARGET_RATE)}"
    )
    print(
        f"ratio to raw: {ratio:.2f}x — target ≥ {TARGET_RATIO}x: {verdict(ratio >= TARGET_RATIO)}"
    )
    print(
        f"for comparison, verifying each envelope's signature once and nothing else: "
        f"{verify_rate:,.0f} records/s ({verify_rate / raw_rate:.2f}x raw)"
    )
    print(
        f"doorbell, change on A visible on B: p95 {p95 * 1000:.0f} ms over {len(latencies)} "
        f"changes — target ≤ {TARGET_P95:.0f} s: {verdict(p95 <= TARGET_P95)}"
    )


if __name__ == "__main__":
    main()
