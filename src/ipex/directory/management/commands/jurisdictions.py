from django.core.management.base import BaseCommand

from ipex.directory.jurisdictions import seed_jurisdictions


class Command(BaseCommand):
    help = "Seed the jurisdiction tree from ISO 3166-1/-2 (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed")
        seed.add_argument(
            "--country",
            action="append",
            default=None,
            help="Only this country (ISO alpha-2); repeatable. Default: all.",
        )
        seed.add_argument("--no-subdivisions", action="store_true")

    def handle(self, *args, action, **options):
        added = seed_jurisdictions(
            countries=options["country"], subdivisions=not options["no_subdivisions"]
        )
        self.stdout.write(
            f"Added {added['countries']} countries and {added['subdivisions']} subdivisions."
        )
