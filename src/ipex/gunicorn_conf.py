"""gunicorn settings for IPEX, for metrics shared by every web process:

    gunicorn -c python:ipex.gunicorn_conf ipex.wsgi:application --workers 4 --bind 127.0.0.1:8000

Does something only when PROMETHEUS_MULTIPROC_DIR is set (an empty directory writable by
gunicorn; see the operator guide, "Metrics"): then every gunicorn worker process writes its
request counters there and /metrics, whichever process answers it, adds up all of them. Each
start clears the files of the last run, and a worker that exits has its gauges marked dead.
Options given on the command line win over anything here.
"""

import os
from pathlib import Path

from prometheus_client import multiprocess

_directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    if _directory:
        Path(_directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(_directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if _directory:
        multiprocess.mark_process_dead(worker.pid)
