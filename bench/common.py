"""What every in-process benchmark does first: a Django set up on a database of its own."""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path


def setup(*, empty: bool = False) -> None:
    """Django on ``DATABASE_URL`` (else an embedded SQLite file that lives and dies with the
    run), migrated, with DEBUG off: DEBUG keeps every query's SQL in memory, which a
    production node does not. ``empty``: a PostgreSQL database is dropped and made again
    first, so that a run starts from what a bare migrate writes (give the benchmark a
    database of its own)."""
    if "IPEX_DATA_DIR" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="ipex-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["IPEX_DATA_DIR"] = data_dir
    os.environ.setdefault("IPEX_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipex.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if empty and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        recreate(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    settings.DEBUG = False


def recreate(database: dict) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        password=database.get("PASSWORD") or None,
        autocommit=True,
    ) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{database["NAME"]}"')


def max_rss_mb() -> float:
    """The process's largest resident set so far (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
