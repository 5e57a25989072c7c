"""A shared record that exists only for tests: the visibility matrix runs over it."""

from django.db import models

from ipex.core.models import SharedRecord


class Memo(SharedRecord):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class TaskRun(models.Model):
    """One run of ``tests.memos.tasks.record_run``: which task number, in which process."""

    number = models.PositiveIntegerField()
    pid = models.PositiveIntegerField()
