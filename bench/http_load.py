"""Speed under load: IPEX's busiest pages and API endpoints, each against a Django hello-world
view served by the same gunicorn in the same run.

    .venv/bin/python bench/http_load.py                      # PostgreSQL ipex_bench_http
    .venv/bin/python bench/http_load.py --seconds 10 --reuse # quicker, keeps the data

The node runs as in production (``IPEX_DEBUG`` off, gunicorn with 4 workers, PostgreSQL on
127.0.0.1, the settings of the README's production profile) on a database holding the demo
plus 100,000 synthetic seizures (one item each) and 10,000 synthetic cases spread over the
demo's organisations, distributions and special action. ``wrk`` (Debian's package) keeps 50
connections busy for 30 s on each URL, as the national supervisor (an API token for the API,
a signed-in session for the pages; ``/tips/new`` signed out). The hello-world view
(``bench/http/http_app.py``) goes through the same settings and middleware, so each ratio is what
an IPEX view costs over the floor every request pays. The hello-world is loaded for 10 s just
before each URL and each ratio is to that neighbour: on a shared machine the load of other
work drifts during a run, and one baseline at the start would tilt the later ratios.

Targets: ``/api/v1/me`` >= 0.5x hello-world; every other list and page >= 0.2x; p95 <= 100 ms
for all at 50 clients; no answer other than 2xx.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH = ROOT / "bench" / "http"  # the app and data scripts it runs (not benchmarks of their own)
SERVER = "postgres://postgres@127.0.0.1:5432"
PORT = 8765
USER = "supervisor@ncac.demo"
SEIZURES = 100_000
CASES = 10_000

ENDPOINTS = [
    # (path, how it is reached, target ratio to hello-world)
    ("/bench/hello", "anonymous", None),
    ("/api/v1/me", "token", 0.5),
    ("/api/v1/seizures", "token", 0.2),
    ("/api/v1/cases", "token", 0.2),
    ("/api/v1/stats/seizures?country=CN&year=2012&by=category", "token", 0.2),
    ("/statistics/", "session", 0.2),
    ("/cases/", "session", 0.2),
    ("/tips/new", "anonymous", 0.2),
]
TARGET_P95_MS = 100.0

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(95), bad, e.connect + e.read + e.write + e.timeout))
end
"""


def environment(database: str, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "IPEX_DATA_DIR": data_dir,
        "IPEX_DEBUG": "false",
        "IPEX_SECRET_KEY": "bench-only-" + "x" * 40,
        "IPEX_ALLOWED_HOSTS": "127.0.0.1",
        "IPEX_SSL_REDIRECT": "false",
        "IPEX_SECURE_COOKIES": "false",
        "IPEX_BASE_URL": f"http://127.0.0.1:{PORT}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
    }


def ipex(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "ipex"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"ipex {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def exists(database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
    return row is not None


def fill(env: dict[str, str]) -> None:
    """The demo, then the synthetic seizures and cases (bench/http/http_data.py, in its own process
    with the node's settings)."""
    ipex(env, "migrate", "--noinput")
    ipex(env, "collectstatic", "--noinput")
    ipex(env, "node", "init", "--name", "Benchmark node")
    ipex(env, "demo")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(BENCH / "http_data.py"), str(SEIZURES), str(CASES)],
        env=env,
        check=True,
    )
    print(f"synthetic records in {time.perf_counter() - started:.0f} s")


def prepared(database: str, *, reuse: bool, fill) -> dict[str, str]:
    """The node's environment on ``database``, emptied and filled by ``fill(env)`` unless
    ``reuse`` and a fill of an earlier run is there."""
    data_dir = str(Path(tempfile.gettempdir()) / f"{database}-data")
    env = environment(database, data_dir)
    filled = Path(data_dir) / "bench-filled"
    if not (reuse and exists(database) and filled.exists()):
        shutil.rmtree(data_dir, ignore_errors=True)
        recreate(database)
        fill(env)
        filled.touch()
    return env


def credentials(env: dict[str, str]) -> tuple[str, str]:
    """An API token, and the cookies of a signed-in browser, for the national supervisor."""
    out = subprocess.run(
        [sys.executable, str(BENCH / "http_data.py"), "--credentials", USER],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    token = re.search(r"^token (\S+)$", out, re.M).group(1)
    cookie = re.search(r"^cookie (.+)$", out, re.M).group(1)
    return token, cookie


def serve(env: dict[str, str], workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "http_app:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/hello", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start")


def load(path: str, headers: list[str], seconds: int, clients: int, script: str) -> dict:
    command = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", script]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    requests, duration_us, p95_us, bad, errors = map(
        int, re.search(r"^RESULT (.*)$", out, re.M).group(1).split()
    )
    return {
        "rate": requests / (duration_us / 1e6),
        "p95": p95_us / 1000,
        "bad": bad + errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="ipex_bench_http")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--baseline-seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep a database filled before")
    parser.add_argument("--only", help="a regular expression: the paths to load")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    env = prepared(args.database, reuse=args.reuse, fill=fill)
    token, cookie = credentials(env)
    headers = {
        "anonymous": [],
        "token": [f"Authorization: Bearer {token}"],
        "session": [f"Cookie: {cookie}"],
    }

    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    lua = str(script)
    server = serve(env, args.workers)
    results, hellos = {}, {}
    try:
        for path, reached, target in ENDPOINTS:
            if target is None or (args.only and not re.search(args.only, path)):
                continue
            # A short warm-up: each worker's first requests load templates and translations.
            load(path, headers[reached], 2, args.clients, lua)
            # The hello-world just before each endpoint: on a shared machine the load of
            # other work drifts, and each ratio compares two neighbouring measurements.
            hellos[path] = load("/bench/hello", [], args.baseline_seconds, args.clients, lua)
            results[path] = load(path, headers[reached], args.seconds, args.clients, lua)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        script.unlink()

    print(
        f"\n{args.clients} clients, {args.seconds} s each (hello-world {args.baseline_seconds} s "
        f"just before each), gunicorn {args.workers} workers, PostgreSQL, "
        f"demo + {SEIZURES:,} seizures + {CASES:,} cases"
    )
    print(
        f"{'path':58} {'req/s':>7} {'hello':>7} {'ratio':>6} {'p95 ms':>7} {'non-2xx':>7}  verdict"
    )
    missed = 0
    for path, _reached, target in ENDPOINTS:
        if path not in results:
            continue
        r, hello = results[path], hellos[path]
        ratio = r["rate"] / hello["rate"]
        ok = r["p95"] <= TARGET_P95_MS and r["bad"] == 0 and ratio >= target
        ok = ok and hello["bad"] == 0
        missed += not ok
        verdict = (
            f"{'PASS' if ok else 'MISS'} (>= {target}x, p95 <= {TARGET_P95_MS:.0f} ms, all 2xx)"
        )
        print(
            f"{path:58} {r['rate']:7,.0f} {hello['rate']:7,.0f} {ratio:5.2f}x "
            f"{r['p95']:7.1f} {r['bad']:7d}  {verdict}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
