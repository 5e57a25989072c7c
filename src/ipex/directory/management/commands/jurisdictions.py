from ipex.core.commands import ActionCommand
from ipex.directory.jurisdictions import seed_jurisdictions


class Command(ActionCommand):
    help = "Seed the jurisdiction tree from ISO 3166-1/-2 (idempotent)."

    def add_actions(self, sub):
        seed = sub.add_parser("seed")
        seed.add_argument(
            "--country",
            action="append",
            default=None,
            help="Only this country (ISO alpha-2); repeatable. Default: all.",
        )
        seed.add_argument("--no-subdivisions", action="store_true")

    def seed(self, country, no_subdivisions, **options):
        added = seed_jurisdictions(countries=country, subdivisions=not no_subdivisions)
        self.stdout.write(
            f"Added {added['countries']} countries and {added['subdivisions']} subdivisions."
        )
