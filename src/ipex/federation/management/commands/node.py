from django.core.management.base import BaseCommand, CommandError

from ipex.core.errors import DomainError
from ipex.directory.models import Node
from ipex.directory.services import node_init
from ipex.federation.keys import node_key_rotate
from ipex.tips.crypto import ensure_key_file


# In the federation app, the top of the app order, because a node's identity is its keys:
# the exchange key (federation) and the tip sealing key (tips).
class Command(BaseCommand):
    help = (
        "This node's identity: 'init' creates it and its Ed25519 key pair; 'show' prints it; "
        "'rotate-key' replaces the key."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create the node identity and key (idempotent).")
        init.add_argument("--name", help="Node name (default: IPEX_NODE_NAME).")
        init.add_argument("--base-url", help="Public base URL (default: IPEX_BASE_URL).")
        show = sub.add_parser("show", help="Print the node's id, name, URL and public key.")
        show.add_argument("--key", action="store_true", help="print only the public key")
        sub.add_parser(
            "rotate-key",
            help="Give the node a new key, endorsed by the old one (partners learn it by "
            "themselves; what the old one signed still verifies).",
        )

    def handle(self, *args, action, **options):
        try:
            if action == "init":
                node, created = node_init(
                    name=options.get("name"), base_url=options.get("base_url")
                )
                verb = "Created" if created else "Already initialised:"
                self.stdout.write(f"{verb} node {node.name} ({node.uuid})")
                key_file = ensure_key_file()
                if key_file is not None:
                    self.stdout.write(
                        f"  tip key:    created {key_file} (keep it with the node key)"
                    )
            elif action == "rotate-key":
                key = node_key_rotate(actor=None)  # a node without identity: DomainError
                self.stdout.write(f"New key {key.key_id}, endorsed by {key.endorsed_by}.")
                node = Node.local()
            else:
                node = Node.local()
                if options.get("key"):
                    self.stdout.write(node.public_key)
                    return
            self.stdout.write(f"  base URL:   {node.base_url}\n  public key: {node.public_key}")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
