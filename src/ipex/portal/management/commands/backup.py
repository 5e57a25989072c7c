from pathlib import Path

from django.utils.translation import gettext as _

from ipex.portal.backup import KEYS, OperatorCommand, node_backup


# In the portal app, the top of the app order: a backup takes every app's tables and both
# kinds of key (federation's node key, the tips' sealing keys).
class Command(OperatorCommand):
    help = (
        "Back this node up into DIR (new or empty): the database, the data directory and, in "
        "DIR/keys, the node key and the tip keys, to be stored apart from the rest."
    )

    dir_help = "a new or empty folder"

    def run(self, *, dir, **options):
        manifest = node_backup(dir)
        node = manifest["node"] or {}
        self.stdout.write(
            _("Backup of node %(name)s written to %(dir)s (%(entries)s audit entries).")
            % {
                "name": node.get("name", "?"),
                "dir": dir,
                "entries": manifest["audit_head"]["seq"],
            }
        )
        for name in sorted(manifest["files"]):
            self.stdout.write(f"  {name}")
        self.stdout.write(
            _(
                "KEEP THE KEYS APART: %(keys)s holds the node key and the tip keys. Move it "
                "to a different place than the rest of the backup (a stolen backup without "
                "them opens no tip and cannot sign as this node); a restore needs it back."
            )
            % {"keys": Path(dir) / KEYS}
        )
