from django.core.management.base import BaseCommand

from ipex.cooperation import demo
from ipex.core.commands import add_country, country_demo


class Command(BaseCommand):
    help = (
        "make demo-federation: the joint CN–RU operation against disc exports (CN) and a "
        "customs seizure to link to it (RU); run 'ipex sync' first."
    )

    def add_arguments(self, parser):
        add_country(parser)

    def handle(self, *args, country, **options):
        country_demo(
            self,
            country,
            CN=lambda: f"CN joint operation ready: operation {demo.build_joint_cn()}",
            RU=lambda: f"RU seizure to link ready: seizure {demo.build_joint_ru()}",
        )
