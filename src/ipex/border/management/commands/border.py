from django.core.management.base import CommandError

from ipex.border import demo
from ipex.border.services import detentions_release_due
from ipex.border.tasks import remind_soon
from ipex.core.commands import ActionCommand


class Command(ActionCommand):
    help = "Customs protection of rights: release detentions not answered in time."

    def add_actions(self, sub):
        sub.add_parser(
            "release-due",
            help="Detentions whose deadline passed unanswered become 'release due' (run daily).",
        )

        sub.add_parser(
            "remind",
            help="Queue reminders to holders whose deadline is a working day away (run daily).",
        )

        exchange = sub.add_parser(
            "demo-exchange",
            help="make demo-federation: CN shares the demo recordation with Russia's customs; "
            "RU detains discs under it at Zabaikalsk (run 'ipex sync' first).",
        )
        exchange.add_argument("--country", choices=["CN", "RU"], required=True)

    def demo_exchange(self, *, country, **options):
        try:
            if country == "CN":
                self.stdout.write(f"CN: recordation {demo.exchange_cn()} shared with RU customs")
            else:
                self.stdout.write(f"RU: detention {demo.exchange_ru()} at Zabaikalsk")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc

    def remind(self, **options):
        queued = remind_soon()
        self.stdout.write(f"{queued} reminder(s) queued.")

    def release_due(self, **options):
        moved = detentions_release_due()
        self.stdout.write(f"{moved} detention(s) now due for release.")
