"""scripts/demo-production.sh (make demo-production) as an operator runs it: PostgreSQL, a
database of its own created when missing, gunicorn and two task workers on 127.0.0.1, ready
by /readyz, metrics behind the token, and everything stopped at the end. The profile is
PostgreSQL, so this runs when the suite does (DATABASE_URL set); on SQLite it is skipped."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("DATABASE_URL", "")
# Named after the suite's database, so that suites run by others on the server do not meet.
DATABASE = f"{URL.rsplit('/', 1)[-1].split('?')[0]}_production_profile"

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"), reason="the production profile runs on PostgreSQL"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_url():
    """The PostgreSQL server of the suite, without the profile's database (the script must
    create it); dropped again afterwards."""
    base = URL.rsplit("/", 1)[0]

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    drop()
    yield base
    drop()


def test_the_production_profile_starts_is_ready_and_stops(tmp_path, server_url):
    port = free_port()
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IPEX_", "DJANGO_", "PROMETHEUS_")) and k != "DATABASE_URL"
    }
    env = {
        **clean,
        "IPEX": str(ROOT / ".venv" / "bin" / "ipex"),
        "IPEX_PRODUCTION_DATABASE_URL": f"{server_url}/{DATABASE}",
        "IPEX_PRODUCTION_PORT": str(port),
        "IPEX_PRODUCTION_DIR": str(tmp_path / "production"),
        "IPEX_DEMO_CHECK_ONLY": "1",
        "IPEX_PRODUCTION_NO_DEMO": "1",
    }
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo-production.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Created the database {DATABASE}." in run.stdout
    assert '"checks": {"database": "ok", "migrations": "ok", "worker": "ok"}' in run.stdout
    assert "ipex_task_workers 2.0" in run.stdout  # both task workers reported
    # Everything stopped: nothing listens on the port, and both workers stopped cleanly
    # (a clean stop removes the worker's heartbeat).
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    with psycopg.connect(f"{server_url}/{DATABASE}") as connection:
        left = connection.execute("SELECT worker_id FROM core_workerheartbeat").fetchall()
    assert left == []
    logs = tmp_path / "production" / "log"
    assert "Booting worker" in (logs / "gunicorn.log").read_text()
    for n in (1, 2):
        assert f"worker_id=production-{n}" in (logs / f"worker-{n}.log").read_text()
