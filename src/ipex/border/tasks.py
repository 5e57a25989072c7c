"""Background tasks: thin, they take ids and call a service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from ipex.border import services
from ipex.border.models import Detention


@task()
def remind_holders(detention_uuid: str) -> None:
    detention = Detention.objects.filter(uuid=detention_uuid).first()
    if detention is not None:
        services.detention_remind(detention=detention)


def remind_soon(today: dt.date | None = None) -> int:
    """Queue a reminder for each detention whose deadline is at most a working day away
    (``ipex border remind``, run daily). How many were queued."""
    due = services.detentions_to_remind(today)
    for detention in due:
        remind_holders.enqueue(str(detention.uuid))
    return len(due)
