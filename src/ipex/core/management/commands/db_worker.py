"""``ipex db_worker``: django-tasks-db's worker, plus the heartbeat that /readyz and /metrics
read (ipex.core.health). It takes the same options; ``ipex.core`` comes before
``django_tasks_db`` in INSTALLED_APPS, so this command is the one ``ipex`` runs."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ipex.core.health import Heartbeat


class Command(DatabaseWorkerCommand):
    help = (
        "Run a task worker: claim and run queued tasks, and write a heartbeat every "
        "IPEX_WORKER_HEARTBEAT_SECONDS (read by /readyz and /metrics)."
    )

    def handle(self, *args, reload: bool, batch: bool, worker_id: str, **options) -> None:
        # With --reload the first process only watches files; its child runs the worker
        # (and is the one that beats).
        runs_tasks = not reload or batch or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        heartbeat = Heartbeat(worker_id=worker_id) if runs_tasks else None
        if heartbeat is not None:
            heartbeat.start()
        try:
            super().handle(*args, reload=reload, batch=batch, worker_id=worker_id, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
