"""Background tasks: thin, they take ids and call the sync."""

from django_tasks import task


@task()
def pull_partner(node_uuid: str) -> None:
    from ipex.directory.models import Node
    from ipex.federation.sync import pull_started, sync_partner

    node = Node.objects.filter(uuid=node_uuid, is_local=False).first()
    if node is not None:
        pull_started(node)
        sync_partner(node)


@task()
def ring_partner(node_uuid: str) -> None:
    from ipex.directory.models import Node
    from ipex.federation.sync import ring

    node = Node.objects.filter(uuid=node_uuid, is_local=False).first()
    if node is not None:
        ring(node)


@task()
def sync_all() -> None:
    from ipex.federation.sync import sync_all_partners

    sync_all_partners()
