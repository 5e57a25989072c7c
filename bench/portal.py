"""The public portal under load: the public home, a news item and the open-data JSON of a
year, each against a Django hello-world view served by the same gunicorn in the same run, and
the conditional GETs of the home and of that JSON (answered 304 without rendering: the audit
head's query alone, ``core.views.validated_pages``).

    .venv/bin/python bench/portal.py                      # PostgreSQL ipex_bench_portal
    .venv/bin/python bench/portal.py --seconds 10 --reuse # quicker, keeps the data
    .venv/bin/python bench/portal.py --database NAME      # another database (emptied first)

The node runs as ``bench/http_load.py`` runs it (production settings, gunicorn with 4
workers, PostgreSQL on 127.0.0.1, ``wrk`` with 50 connections, the hello-world loaded just
before each URL and each ratio to that neighbour), on the demo: the 2013 video conference
news item and the 2012 seizure dataset the demo publishes with the 2012 bulletin. Every
request is anonymous, as a visitor's.

Targets: each URL >= 0.5x hello-world, p95 <= 50 ms at 50 clients; every answer 2xx, and
304 to every conditional request. The hello-world's own p95 is printed beside each: at 50
clients it is the floor of the machine (on a loaded one, above 50 ms).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import urllib.request
from pathlib import Path

from http_load import (
    PORT,
    WRK_SCRIPT,
    ipex,
    load,
    prepared,
    serve,
)

TARGET_RATIO = 0.5
TARGET_P95_MS = 50.0
HOME = "/public/"
DATASET = "/public/data/seizures/2012/data.json"
NEWS_ITEM = """
from ipex.portal.models import NewsItem
item = NewsItem.objects.published().filter(language="en", tags__contains="video-conference-2013")
print("group", item.get().group)
"""


def fill(env: dict[str, str]) -> None:
    ipex(env, "migrate", "--noinput")
    ipex(env, "collectstatic", "--noinput")
    ipex(env, "node", "init", "--name", "Benchmark node")
    ipex(env, "demo")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="ipex_bench_portal")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--baseline-seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep a database filled before")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    env = prepared(args.database, reuse=args.reuse, fill=fill)
    group = re.search(r"^group (\S+)$", ipex(env, "shell", "-c", NEWS_ITEM), re.M).group(1)

    scripts = {}
    for name, wanted in (("2xx", "status < 200 or status > 299"), ("304", "status ~= 304")):
        path = Path(tempfile.mkstemp(suffix=".lua")[1])
        path.write_text(WRK_SCRIPT.replace("status < 200 or status > 299", wanted))
        scripts[name] = str(path)
    server = serve(env, args.workers)
    results = []
    try:
        etags = {}
        for path in (HOME, DATASET):
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}") as answer:  # noqa: S310
                etags[path] = answer.headers["ETag"]
        urls = [
            (HOME, [], "2xx"),
            (HOME, [f"If-None-Match: {etags[HOME]}"], "304"),
            (f"/news/en/{group}/", [], "2xx"),
            (DATASET, [], "2xx"),
            (DATASET, [f"If-None-Match: {etags[DATASET]}"], "304"),
        ]
        for path, headers, expected in urls:
            load(path, headers, 2, args.clients, scripts[expected])  # warm-up
            hello = load("/bench/hello", [], args.baseline_seconds, args.clients, scripts["2xx"])
            mine = load(path, headers, args.seconds, args.clients, scripts[expected])
            results.append((path, bool(headers), expected, mine, hello))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        for script in scripts.values():
            Path(script).unlink()

    print(
        f"\n{args.clients} clients, {args.seconds} s each (hello-world {args.baseline_seconds} s "
        f"just before each), gunicorn {args.workers} workers, PostgreSQL, the demo, anonymous"
    )
    print(
        f"{'path':48} {'req/s':>7} {'hello':>7} {'ratio':>6} {'p95 ms':>7} {'hello':>6} "
        f"{'other':>6}  verdict"
    )
    missed = 0
    for path, conditional, expected, mine, hello in results:
        ratio = mine["rate"] / hello["rate"]
        ok = ratio >= TARGET_RATIO and mine["p95"] <= TARGET_P95_MS
        ok = ok and mine["bad"] == 0 and hello["bad"] == 0
        missed += not ok
        label = f"{path} (If-None-Match)" if conditional else path
        print(
            f"{label:48} {mine['rate']:7,.0f} {hello['rate']:7,.0f} {ratio:5.2f}x "
            f"{mine['p95']:7.1f} {hello['p95']:6.1f} {mine['bad']:6d}  "
            f"{'PASS' if ok else 'MISS'} "
            f"(>= {TARGET_RATIO}x, p95 <= {TARGET_P95_MS:.0f} ms, all {expected})"
        )
    print(
        "(p95 ms: this URL's; hello: the hello-world's just before it, the floor on this "
        "machine under its load at the time)"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
