"""Background tasks: thin, they take ids and call the sync."""

from django_tasks import task

from ipex.directory.models import Node
from ipex.federation import sync


@task()
def pull_partner(node_uuid: str) -> None:
    node = Node.objects.filter(uuid=node_uuid, is_local=False).first()
    if node is not None:
        sync.pull_started(node)
        sync.sync_partner(node)


@task()
def ring_partner(node_uuid: str) -> None:
    node = Node.objects.filter(uuid=node_uuid, is_local=False).first()
    if node is not None:
        sync.ring(node)


@task()
def sync_all() -> None:
    sync.sync_all_partners()


def pull_soon(node) -> bool:
    """A partner rang its doorbell here: queue a pull from it, unless one is queued already
    (``sync.doorbell_rang``). Whether a pull was queued."""
    queued = sync.doorbell_rang(node)
    if queued:
        pull_partner.enqueue(str(node.uuid))
    return queued
