from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ipex.portal.backup import KEYS, BackupError, language_from_environment, node_backup


# In the portal app, the top of the app order: a backup takes every app's tables and both
# kinds of key (federation's node key, the tips' sealing keys).
class Command(BaseCommand):
    help = (
        "Back this node up into DIR (new or empty): the database, the data directory and, in "
        "DIR/keys, the node key and the tip keys, to be stored apart from the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="a new or empty folder")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages (default: from LANGUAGE, LC_ALL or LANG)",
        )

    def handle(self, *args, dir, lang=None, **options):
        with translation.override(lang or language_from_environment()):
            try:
                manifest = node_backup(dir)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
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
