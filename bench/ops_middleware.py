"""Per-request cost of the operations middleware: 2,000 GETs of /api/v1/me (bearer token)
through the Django test client, with the middleware of each profile, rounds interleaved so
that a busy machine weighs on every profile alike.

    make bench            # embedded SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1/ipex_bench .venv/bin/python bench/ops_middleware.py

Profiles: ``without`` (no OperationsMiddleware, as before /healthz existed), ``default``
(OperationsMiddleware: what every node runs) and ``metrics`` (plus RequestMetricsMiddleware,
what a node with IPEX_METRICS_TOKEN runs); multiprocess mode (PROMETHEUS_MULTIPROC_DIR, as
under gunicorn) is timed in a child process, since prometheus-client reads that variable
when imported. Prints microseconds per request and
the difference to ``without``; a request of ~10 ms on a shared machine hides a few
microseconds, so it also times each profile's middleware alone around an empty view.
Targets (middleware alone): OperationsMiddleware < 2 us; with RequestMetricsMiddleware
< 30 us, < 60 us in multiprocess mode (django-prometheus's own pair is shown for comparison).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

N = int(os.environ.get("IPEX_BENCH_N", "2000"))
ROUNDS = int(os.environ.get("IPEX_BENCH_ROUNDS", "5"))
CHILD = "IPEX_BENCH_OPS_CHILD"


def setup() -> None:
    # Production settings (debug off: no query log), HTTPS left to the (absent) proxy.
    os.environ.setdefault("IPEX_DEBUG", "false")
    os.environ.setdefault("IPEX_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("IPEX_ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("IPEX_SSL_REDIRECT", "false")
    os.environ.setdefault("IPEX_DATA_DIR", tempfile.mkdtemp(prefix="ipex-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipex.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if not os.environ.get(CHILD):
        call_command("migrate", verbosity=0)


def profiles(middleware: list[str]) -> dict[str, list[str]]:
    ops = "ipex.core.middleware.OperationsMiddleware"
    metrics = "ipex.core.metrics.RequestMetricsMiddleware"
    rest = [m for m in middleware if m not in (ops, metrics)]
    return {"without": rest, "default": [ops, *rest], "metrics": [ops, metrics, *rest]}


def measure(names: list[str]) -> dict[str, float]:
    """Microseconds per request of each profile: the fastest of ROUNDS interleaved rounds
    (the least disturbed by whatever else the machine runs)."""
    from django.conf import settings
    from django.test import Client, override_settings

    from ipex.core.audit import Actor
    from ipex.directory.models import User
    from ipex.directory.services import token_create, user_create

    user = User.objects.filter(email="bench@example.org").first() or user_create(
        actor=Actor.system("bench"), email="bench@example.org", full_name="Bench"
    )
    _token, secret = token_create(actor=Actor.system("bench"), user=user, name="bench")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_HOST": "127.0.0.1"}
    chosen = profiles(list(settings.MIDDLEWARE))
    timings: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(ROUNDS):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            with override_settings(MIDDLEWARE=chosen[name.removesuffix("-multiprocess")]):
                client = Client(**headers)
                assert client.get("/api/v1/me").status_code == 200
                start = time.perf_counter()
                for _ in range(N):
                    client.get("/api/v1/me")
                timings[name].append((time.perf_counter() - start) / N * 1e6)
    return {name: min(values) for name, values in timings.items()}


def isolated(calls: int = 50_000) -> dict[str, float]:
    """Microseconds per request spent in the middleware alone: each profile's own hooks
    around a view that does nothing, on a request for /api/v1/me (no database, no noise
    from the rest of the request)."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve
    from django_prometheus.middleware import (
        PrometheusAfterMiddleware,
        PrometheusBeforeMiddleware,
    )

    from ipex.core.metrics import RequestMetricsMiddleware
    from ipex.core.middleware import OperationsMiddleware

    request = RequestFactory().get("/api/v1/me", HTTP_HOST="127.0.0.1")
    request.resolver_match = match = resolve("/api/v1/me")

    def view(request):
        return HttpResponse(b"{}", content_type="application/json")

    def with_view_hook(middleware):  # the handler calls process_view between the two
        def inner(request):
            if hasattr(middleware, "process_view"):
                middleware.process_view(request, match.func, (), {})
            return view(request)

        return inner

    after = PrometheusAfterMiddleware(view)
    after.get_response = with_view_hook(after)
    lean = RequestMetricsMiddleware(view)
    chains = {
        "none": view,
        "operations": OperationsMiddleware(view),
        "operations+request-metrics": OperationsMiddleware(lean),
        "operations+django-prometheus-pair": OperationsMiddleware(
            PrometheusBeforeMiddleware(after)
        ),
    }
    result = {}
    for name, chain in chains.items():
        best = float("inf")
        for _round in range(5):
            start = time.perf_counter()
            for _ in range(calls):
                chain(request)
            best = min(best, (time.perf_counter() - start) / calls * 1e6)
        result[name] = best
    return {name: value - result["none"] for name, value in result.items() if name != "none"}


def main() -> int:
    setup()
    if os.environ.get(CHILD):
        iso = isolated()
        print(f"{iso['operations+request-metrics']:.2f}")
        return 0
    result = measure(["without", "default", "metrics"])
    iso = isolated()
    with tempfile.TemporaryDirectory(prefix="ipex-bench-metrics-") as directory:
        env = {**os.environ, CHILD: "1", "PROMETHEUS_MULTIPROC_DIR": directory}
        out = subprocess.run(  # noqa: S603
            [sys.executable, __file__], env=env, check=True, capture_output=True, text=True
        ).stdout.split()
    multiprocess = float(out[-1])
    base = result["without"]
    print(f"/api/v1/me (bearer token) through the test client, {N} requests, best of {ROUNDS}:")
    for name in ("without", "default", "metrics"):
        print(f"  {name:10} {result[name]:8.1f} us/request  ({result[name] - base:+7.1f} us)")
    print("the middleware alone, around a view that does nothing (us/request):")
    rows = [
        ("OperationsMiddleware", iso["operations"]),
        ("+ RequestMetricsMiddleware", iso["operations+request-metrics"]),
        ("+ RequestMetricsMiddleware, multiprocess", multiprocess),
        ("+ django-prometheus's Before/After pair", iso["operations+django-prometheus-pair"]),
    ]
    for label, value in rows:
        print(f"  {label:42} {value:6.2f}")
    ok = iso["operations"] < 2 and iso["operations+request-metrics"] < 30 and multiprocess < 60
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
