import time

from django.core.management.base import BaseCommand

from ipex.federation.sync import sync_all_partners


class Command(BaseCommand):
    help = (
        "Pull once from every active partner; prints what each sent and any error. With "
        "--every N, keep pulling every N seconds (the periodic pull, beside the doorbell)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="seconds between pulls")

    def handle(self, *args, every=0, **options):
        while True:
            results = sync_all_partners()
            if not results:
                self.stdout.write("No active partner.")
            for name, result in results.items():
                self.stdout.write(f"{name}: {result}")
            if every <= 0:
                return
            self.stdout.flush()
            time.sleep(every)
