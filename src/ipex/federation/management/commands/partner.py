from django.core.management.base import CommandError

from ipex.core.commands import ActionCommand
from ipex.directory.models import Node
from ipex.federation.keys import fetch_node_document
from ipex.federation.models import Partner
from ipex.federation.protocol import SyncError
from ipex.federation.services import partner_add, partner_suspend


class Command(ActionCommand):
    help = (
        "Partner nodes: 'add' fetches a node's document and checks it is signed by the key you "
        "were given out of band; 'list' shows each partner and its sync state; 'suspend' stops "
        "exchanging with one."
    )

    def add_actions(self, sub):
        add = sub.add_parser("add", help="Approve a partner node from this side.")
        add.add_argument("--url", required=True, help="the partner's base URL")
        add.add_argument("--key", required=True, help="the partner's public key (base64)")
        sub.add_parser("list", help="Partners and their sync state.")
        suspend = sub.add_parser("suspend", help="Stop exchanging with a partner.")
        suspend.add_argument("node_id")

    def add(self, url, key, **options):

        try:
            document = fetch_node_document(url, key)
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        partner = partner_add(
            actor=None,
            node_id=document["id"],
            name=document["name"],
            base_url=url,
            public_key=key,
        )
        self.stdout.write(
            f"Approved {partner.node.name} ({partner.node.uuid}) from this side; it becomes "
            f"active once {partner.node.name} approves this node too. This node's key: "
            f"{Node.local().public_key}"
        )

    def list(self, **options):
        for partner in Partner.objects.select_related("node", "node__sync_state"):
            state = getattr(partner.node, "sync_state", None)
            self.stdout.write(
                f"{partner.node.uuid}  {partner.node.name:30} {partner.status:10} "
                f"cursor {state.cursor if state else 0}  "
                f"last success {state.last_success_at if state else '-'}  "
                f"{('error: ' + state.last_error) if state and state.last_error else ''}"
            )

    def suspend(self, node_id, **options):

        node = Node.objects.filter(uuid=node_id, is_local=False).first()
        if node is None or not Partner.objects.filter(node=node).exists():
            raise CommandError(f"No partner {node_id}.")
        partner_suspend(actor=None, node=node)
        self.stdout.write(f"Suspended {node.name}.")
