from pathlib import Path

from django.utils.translation import gettext as _

from ipex.portal.backup import OperatorCommand
from ipex.portal.restore import node_restore


# Beside ``ipex backup`` (portal, the top of the app order), which it undoes.
class Command(OperatorCommand):
    help = (
        "Restore the backup in DIR onto this node, which must be empty (no records, no keys, "
        "no data files); then verify the audit log and print what was restored."
    )

    dir_help = "a folder written by 'ipex backup'"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--keys",
            type=Path,
            help="the folder of the keys, if not DIR/keys (node-key.pem and tip-keys)",
        )

    def run(self, *, dir, keys=None, **options):
        result = node_restore(dir, keys=keys)
        manifest = result.manifest
        node = manifest["node"] or {}
        self.stdout.write(
            _("Restored node %(name)s (%(uuid)s) from the backup of %(time)s.")
            % {
                "name": node.get("name"),
                "uuid": node.get("uuid"),
                "time": manifest["created_at"],
            }
        )
        self.stdout.write(
            _("OK: the audit log is intact (%(entries)s entries).")
            % {"entries": result.audit_entries}
        )
        self.stdout.write(_("Records restored:"))
        for label, count in result.counts.items():
            if count:
                self.stdout.write(f"  {label:32} {count}")
        if result.pending_migrations:
            self.stdout.write(
                _("The backup is older than this IPEX: run 'ipex migrate' now (%(n)s migrations).")
                % {"n": len(result.pending_migrations)}
            )
