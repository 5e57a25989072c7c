from django.core.management.base import BaseCommand

from ipex.assistance import demo
from ipex.core.commands import add_country, country_demo


class Command(BaseCommand):
    help = (
        "make demo-federation: the records the two demo nodes share (run 'ipex sync' first, "
        "so each knows the other's organisations)."
    )

    def add_arguments(self, parser):
        add_country(parser)
        parser.add_argument(
            "--unshared-case",
            action="store_true",
            help="CN: leave the case to be shared by hand (the browser test does it)",
        )

    def handle(self, *args, country, unshared_case=False, **options):
        country_demo(
            self,
            country,
            CN=lambda: (
                f"CN demo exchange ready: case {demo.build_cn(share_case=not unshared_case)}"
            ),
            RU=lambda: f"RU demo exchange ready: alert {demo.build_ru()}",
        )
