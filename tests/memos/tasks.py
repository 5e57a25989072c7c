"""A test task for tests/core/test_workers.py, on the ``database`` task backend (the one the
worker processes run; tests' ``default`` backend runs tasks at once, in the test)."""

import os
import time

from django_tasks import task

from tests.memos.models import TaskRun


@task(backend="database")
def record_run(number: int) -> None:
    time.sleep(0.05)  # long enough that two workers take turns, short enough for 40 runs
    TaskRun.objects.create(number=number, pid=os.getpid())
