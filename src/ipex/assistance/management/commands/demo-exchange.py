from django.core.management.base import BaseCommand, CommandError

from ipex.assistance import demo


class Command(BaseCommand):
    help = (
        "make demo-federation: the records the two demo nodes share (run 'ipex sync' first, "
        "so each knows the other's organisations)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", choices=["CN", "RU"], required=True)
        parser.add_argument(
            "--unshared-case",
            action="store_true",
            help="CN: leave the case to be shared by hand (the browser test does it)",
        )

    def handle(self, *args, country, unshared_case=False, **options):

        try:
            if country == "CN":
                uuid = demo.build_cn(share_case=not unshared_case)
                self.stdout.write(f"CN demo exchange ready: case {uuid}")
            else:
                uuid = demo.build_ru()
                self.stdout.write(f"RU demo exchange ready: alert {uuid}")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
