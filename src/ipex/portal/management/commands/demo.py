from django.core.management.base import BaseCommand

from ipex.core.registry import demo_builders
from ipex.directory.demo import DEMO_PASSWORD, demo_data


class Command(BaseCommand):
    help = "Build the demo node (idempotent): organisations, users and roles, all synthetic."

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            choices=["CN", "RU"],
            default="CN",
            help="CN: the Chinese node with its figures, cases and tips (default); RU: the "
            "Russian partner node of make demo-federation (customs and police, users only).",
        )

    def handle(self, *args, country="CN", **options):
        # Each app builds its part (registered in its AppConfig.ready), in the app order.
        for builder in demo_builders.values():
            if country in builder.countries:
                for line in builder.build(country):
                    self.stdout.write(line)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in demo_data(country)["users"]:
            self.stdout.write(f"  {user['email']:26} {user['role']:18} {user['organisation']}")
