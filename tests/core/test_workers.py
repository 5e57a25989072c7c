"""Two real ``ipex db_worker`` processes share one queue: every task runs exactly once, and
both workers take some. The workers run against the ``workers`` test database (a file on
SQLite, test_<name>_workers on PostgreSQL), which this test fills and reads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

import ipex
import tests
from ipex.core.models import WorkerHeartbeat
from tests.memos.models import TaskRun
from tests.memos.tasks import record_run

TASKS = 40
TIMEOUT = 60  # seconds; the whole test takes about 10 on two busy cores


@contextmanager
def on_workers_database():
    """ORM calls without ``using`` go to the workers' database (as in tests/federation)."""
    default = connections["default"]
    connections["default"] = connections["workers"]
    try:
        yield
    finally:
        connections["default"] = default


def worker_environment() -> dict[str, str]:
    """The environment of a worker process: the test settings (the ``database`` task backend
    and the test task), pointed at the workers' database."""
    db = connections["workers"].settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(ipex.__file__).parent.parent), str(Path(tests.__file__).parent.parent)]
    )
    if db["ENGINE"].endswith("postgresql"):
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}/{db['NAME']}"
    else:
        assert Path(db["NAME"]).name == "ipex.sqlite3"  # what IPEX_DATA_DIR leads a worker to
        env["IPEX_DATA_DIR"] = str(Path(db["NAME"]).parent)
    return env


def start_worker(name: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "ipex", "db_worker", "--backend", "database"]
    command += ["--worker-id", name, "--interval", "0.05", "--no-startup-delay", "--no-reload"]
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603
            command, env=worker_environment(), stdout=out, stderr=subprocess.STDOUT
        )


def wait_for(condition, what: str, workers, logs) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        for worker, log in zip(workers, logs, strict=True):
            if worker.poll() is not None:
                pytest.fail(f"a worker exited ({worker.returncode}):\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n" + "\n".join(p.read_text() for p in logs))
        time.sleep(0.1)


@pytest.mark.django_db(databases=["default", "workers"], transaction=True)
def test_two_workers_share_the_queue_and_run_each_task_once(tmp_path):
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [start_worker(f"worker-{i}", log) for i, log in enumerate(logs, start=1)]
    try:
        with on_workers_database():
            # Both are up (their heartbeats are there) before any task is queued, so that
            # the first to start cannot take the whole queue alone.
            wait_for(lambda: WorkerHeartbeat.objects.count() == 2, "two heartbeats", workers, logs)
            with transaction.atomic():
                results = [record_run.enqueue(number) for number in range(TASKS)]
            wait_for(
                lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(),
                "the queue to empty",
                workers,
                logs,
            )
            rows = list(DBTaskResult.objects.filter(id__in=[r.id for r in results]))
            runs = list(TaskRun.objects.values_list("number", "pid"))
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()

    assert {row.status for row in rows} == {"SUCCESSFUL"}
    # Each task ran exactly once, in one worker, and was claimed by that worker alone.
    assert sorted(number for number, _pid in runs) == list(range(TASKS))
    assert all(len(row.worker_ids) == 1 for row in rows)
    claimed = Counter(row.worker_ids[0] for row in rows)
    ran_in = Counter(pid for _number, pid in runs)
    assert set(claimed) == {"worker-1", "worker-2"}, claimed
    assert len(ran_in) == 2 and min(ran_in.values()) > 0, ran_in
    # A worker stopped with SIGTERM takes its heartbeat with it.
    assert all(worker.returncode == 0 for worker in workers)
    assert not WorkerHeartbeat.objects.using("workers").exists()
