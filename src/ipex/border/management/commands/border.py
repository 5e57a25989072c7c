from ipex.border import demo
from ipex.border.services import detentions_release_due
from ipex.border.tasks import remind_soon
from ipex.core.commands import ActionCommand, add_country, country_demo


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
        add_country(exchange)

    def demo_exchange(self, *, country, **options):
        country_demo(
            self,
            country,
            CN=lambda: f"CN: recordation {demo.exchange_cn()} shared with RU customs",
            RU=lambda: f"RU: detention {demo.exchange_ru()} at Zabaikalsk",
        )

    def remind(self, **options):
        queued = remind_soon()
        self.stdout.write(f"{queued} reminder(s) queued.")

    def release_due(self, **options):
        moved = detentions_release_due()
        self.stdout.write(f"{moved} detention(s) now due for release.")
