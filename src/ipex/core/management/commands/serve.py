import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and one task worker beside it (embedded mode, `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        # No reloader: it would run the worker as a child of its own, which stopping the
        # worker below would leave running.
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "ipex", "db_worker", "--no-reload"]
        )
        self.stdout.write(f"Task worker started (pid {worker.pid}).")

        def stopped(signum, frame):  # SIGTERM (a supervisor, kill): stop the worker too
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stopped)
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
