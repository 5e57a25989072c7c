import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from ipex.core.commands import ActionCommand
from ipex.directory.models import Node
from ipex.tips import crypto
from ipex.tips.proof import verify_proof
from ipex.tips.rotation import reseal_all
from ipex.tips.services import tips_escalate_overdue


class Command(ActionCommand):
    help = (
        "Tip-offs: verify a tipster's proof of submission, manage the sealing keys, escalate "
        "tips not acknowledged in time."
    )

    def add_actions(self, sub):
        verify = sub.add_parser("verify-proof", help="Check a proof of submission (JSON file).")
        verify.add_argument("file")
        sub.add_parser(
            "new-key",
            help="Put a new sealing key first in the key file (or print one for IPEX_TIP_KEY).",
        )
        rotate = sub.add_parser(
            "rotate-key", help="Reseal every tip with the first key; then drop the old ones."
        )
        rotate.add_argument(
            "--drop-old", action="store_true", help="Remove the old keys from the key file."
        )
        sub.add_parser("escalate", help="Escalate tips not acknowledged in time (run daily).")

    def verify_proof(self, file, **options):
        try:
            proof = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file} cannot be read as JSON: {exc}") from exc
        trusted = set(Node.objects.exclude(public_key="").values_list("public_key", flat=True))
        ok, message = verify_proof(proof, trusted)
        if not ok:
            raise CommandError(f"INVALID: {message}")
        self.stdout.write(f"VALID: {message}")

    def new_key(self, **options):
        key = crypto.new_key_text()
        if settings.IPEX_TIP_KEY:
            self.stdout.write(
                "IPEX_TIP_KEY is set in the environment: put this key first in it, keep the "
                f"old ones after it, restart, then run 'ipex tips rotate-key':\n{key}"
            )
            return
        path = crypto.default_key_file()
        old = path.read_text(encoding="ascii") if path.exists() else ""
        crypto.write_key_file(path, [key, *[k for k in old.split() if k]])
        self.stdout.write(f"New sealing key put first in {path}; now run 'ipex tips rotate-key'.")

    def rotate_key(self, drop_old=False, **options):
        counts = reseal_all()
        self.stdout.write(
            f"Resealed {counts['values']} values and {counts['files']} files with the first key "
            f"({counts['current']} were already sealed with it)."
        )
        if drop_old:
            if settings.IPEX_TIP_KEY:
                raise CommandError("The keys come from IPEX_TIP_KEY: remove the old ones there.")
            path = crypto.default_key_file()
            first = path.read_text(encoding="ascii").split()[0]
            crypto.write_key_file(path, [first])
            self.stdout.write(f"Old keys removed from {path}.")

    def escalate(self, **options):
        self.stdout.write(f"{tips_escalate_overdue()} tips escalated.")
