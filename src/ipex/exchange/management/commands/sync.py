from django.core.management.base import BaseCommand

from ipex.exchange.sync import sync_all_partners


class Command(BaseCommand):
    help = "Pull once from every active partner; prints what each sent and any error."

    def handle(self, *args, **options):
        results = sync_all_partners()
        if not results:
            self.stdout.write("No active partner.")
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
