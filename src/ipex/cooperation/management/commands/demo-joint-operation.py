from django.core.management.base import BaseCommand, CommandError

from ipex.cooperation import demo


class Command(BaseCommand):
    help = (
        "make demo-federation: the joint CN–RU operation against disc exports (CN) and a "
        "customs seizure to link to it (RU); run 'ipex sync' first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", choices=["CN", "RU"], required=True)

    def handle(self, *args, country, **options):
        try:
            if country == "CN":
                self.stdout.write(f"CN joint operation ready: operation {demo.build_joint_cn()}")
            else:
                self.stdout.write(f"RU seizure to link ready: seizure {demo.build_joint_ru()}")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
