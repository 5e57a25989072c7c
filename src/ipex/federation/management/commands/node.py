from ipex.core.commands import ActionCommand
from ipex.directory.models import Node
from ipex.directory.services import node_init
from ipex.federation.keys import node_key_rotate
from ipex.tips.crypto import ensure_key_file


# In the federation app, the top of the app order, because a node's identity is its keys:
# the exchange key (federation) and the tip sealing key (tips).
class Command(ActionCommand):
    help = (
        "This node's identity: 'init' creates it and its Ed25519 key pair; 'show' prints it; "
        "'rotate-key' replaces the key."
    )

    def add_actions(self, sub):
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

    def init(self, name=None, base_url=None, **options):
        node, created = node_init(name=name, base_url=base_url)
        verb = "Created" if created else "Already initialised:"
        self.stdout.write(f"{verb} node {node.name} ({node.uuid})")
        key_file = ensure_key_file()
        if key_file is not None:
            self.stdout.write(f"  tip key:    created {key_file} (keep it with the node key)")
        self._address(node)

    def rotate_key(self, **options):
        key = node_key_rotate(actor=None)  # a node without identity: DomainError
        self.stdout.write(f"New key {key.key_id}, endorsed by {key.endorsed_by}.")
        self._address(Node.local())

    def show(self, key=False, **options):
        node = Node.local()
        if key:
            self.stdout.write(node.public_key)
            return
        self._address(node)

    def _address(self, node):
        self.stdout.write(f"  base URL:   {node.base_url}\n  public key: {node.public_key}")
