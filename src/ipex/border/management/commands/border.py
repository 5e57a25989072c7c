from ipex.border.services import detentions_release_due
from ipex.core.commands import ActionCommand


class Command(ActionCommand):
    help = "Customs protection of rights: release detentions not answered in time."

    def add_actions(self, sub):
        sub.add_parser(
            "release-due",
            help="Detentions whose deadline passed unanswered become 'release due' (run daily).",
        )

    def release_due(self, **options):
        moved = detentions_release_due()
        self.stdout.write(f"{moved} detention(s) now due for release.")
