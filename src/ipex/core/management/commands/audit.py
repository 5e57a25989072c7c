from django.core.management.base import CommandError

from ipex.core.audit import audit_verify
from ipex.core.commands import ActionCommand


class Command(ActionCommand):
    help = "The audit log: 'verify' walks the hash chain and names the first bad entry."

    def add_actions(self, sub):
        sub.add_parser("verify", help="Exit 0 if the chain is intact, 1 otherwise.")

    def verify(self, **options):
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"OK: the audit log is intact ({result.checked} entries).")
            return
        raise CommandError(
            f"TAMPERED: first bad entry is #{result.bad_seq}: {result.reason} "
            f"({result.checked} entries verified before it)."
        )
