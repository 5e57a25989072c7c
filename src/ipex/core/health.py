"""Liveness, readiness and the task workers' heartbeat.

Liveness (``/healthz``) asks nothing of the database: the process answers. Readiness
(``/readyz``) asks three things, each named in the answer: the database answers, every
migration is applied, and a task worker spoke within ``IPEX_WORKER_HEARTBEAT_MAX_AGE``
seconds. Each ``ipex db_worker`` writes its heartbeat row every
``IPEX_WORKER_HEARTBEAT_SECONDS`` from a thread of its own, so a worker busy with a long
import still counts as alive.

Heartbeats are operational bookkeeping, not records: no audit entry, no service layer.

Not django-health-check (4.x): its view is async and runs synchronous checks in executor
threads, each with a database connection of its own outside the request's; it answers 500
rather than 503 and keys its JSON by each check's repr; and the three checks here are a few
lines each.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ipex.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

# A worker that has not spoken for this long is dead (killed, machine gone): its row is
# removed when any worker starts, so the table holds about as many rows as there are workers.
FORGET_AFTER = timedelta(days=1)

# Check names and the short codes they answer with (the operator guide lists them).
OK = "ok"
UNAVAILABLE = "unavailable"  # database: the query failed
PENDING = "pending"  # migrations: some are not applied
MISSING = "missing"  # worker: no heartbeat at all
STALE = "stale"  # worker: the newest heartbeat is older than the limit
SKIPPED = "skipped"  # not checked (the database is down, or IPEX_READY_NEEDS_WORKER=false)


# ---------------------------------------------------------------- the worker's side


def heartbeat_beat(*, worker_id: str, hostname: str, pid: int) -> None:
    """This worker is alive now (one UPDATE; an INSERT the first time)."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now, pid=pid):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname=hostname[:255], pid=pid, started_at=now, seen_at=now
        )


def heartbeat_forget(*, worker_id: str | None = None) -> int:
    """Remove this worker's row (it stops), or, without an id, the rows of long-dead ones."""
    rows = WorkerHeartbeat.objects.all()
    if worker_id is not None:
        rows = rows.filter(worker_id=worker_id)
    else:
        rows = rows.filter(seen_at__lt=timezone.now() - FORGET_AFTER)
    return rows.delete()[0]


@dataclass
class Heartbeat:
    """The heartbeat of one worker process: a daemon thread that beats every ``every``
    seconds on its own database connection until ``stop()``, which removes the row so that
    readiness sees at once that this worker is gone."""

    worker_id: str
    every: float = field(default_factory=lambda: settings.IPEX_WORKER_HEARTBEAT_SECONDS)
    hostname: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)

    def __post_init__(self) -> None:
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ipex-heartbeat", daemon=True)

    def start(self) -> None:
        try:
            heartbeat_forget()
            self._beat()
        finally:
            close_old_connections()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=max(5.0, self.every))
        try:
            heartbeat_forget(worker_id=self.worker_id)
        except DatabaseError:
            log.warning("could not remove the heartbeat of worker %s", self.worker_id)

    def _beat(self) -> None:
        try:
            heartbeat_beat(worker_id=self.worker_id, hostname=self.hostname, pid=self.pid)
        except DatabaseError as exc:  # the database is away or locked: try again next time
            log.warning("task worker heartbeat not written: %s", exc)

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                self._beat()
                close_old_connections()
        finally:
            connections.close_all()  # this thread's connections only


# ---------------------------------------------------------------- the checks

_migrations_applied = False  # once true in a process it stays true: no graph load per probe


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("readiness: the database does not answer", exc_info=True)
        return UNAVAILABLE
    return OK


def _migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return PENDING
        _migrations_applied = True
    return OK


def newest_heartbeat_age() -> float | None:
    """Seconds since the most recent heartbeat of any worker; None when there is none."""
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)[:1]
    seen = list(seen)
    if not seen:
        return None
    return max(0.0, (timezone.now() - seen[0]).total_seconds())


@dataclass
class Readiness:
    checks: dict[str, str]
    worker_heartbeat_age: float | None = None

    @property
    def ready(self) -> bool:
        return all(code in (OK, SKIPPED) for code in self.checks.values())

    def as_dict(self) -> dict:
        failed = [name for name, code in self.checks.items() if code not in (OK, SKIPPED)]
        body = {"status": "ready" if not failed else "unavailable", "checks": self.checks}
        if failed:
            body["failed"] = failed
        if self.worker_heartbeat_age is not None:
            body["worker_heartbeat_age_seconds"] = round(self.worker_heartbeat_age, 1)
        return body


def readiness() -> Readiness:
    """The three checks of /readyz; a failed one is named, the others still reported."""
    database = _database()
    if database != OK:
        return Readiness({"database": database, "migrations": SKIPPED, "worker": SKIPPED})
    try:
        migrations = _migrations()
        if not settings.IPEX_READY_NEEDS_WORKER:
            return Readiness({"database": OK, "migrations": migrations, "worker": SKIPPED})
        age = newest_heartbeat_age()
    except DatabaseError:  # the database went away between two queries
        log.warning("readiness: the database does not answer", exc_info=True)
        return Readiness({"database": UNAVAILABLE, "migrations": SKIPPED, "worker": SKIPPED})
    if age is None:
        worker = MISSING
    elif age > settings.IPEX_WORKER_HEARTBEAT_MAX_AGE:
        worker = STALE
    else:
        worker = OK
    return Readiness({"database": OK, "migrations": migrations, "worker": worker}, age)
