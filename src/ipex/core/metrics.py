"""Prometheus metrics for /metrics: request counts and latencies (django-prometheus's series,
recorded by RequestMetricsMiddleware, installed only when IPEX_METRICS_TOKEN is set) and
IPEX's own gauges, read from the database when Prometheus scrapes (a handful of counts,
nothing per request).

Under gunicorn every worker process keeps its own counters; with PROMETHEUS_MULTIPROC_DIR
set (an empty directory, see ``ipex.gunicorn_conf``) prometheus-client shares them through
files there, and any process answers for all of them.
"""

from __future__ import annotations

import os

import prometheus_client
from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django_prometheus.middleware import PrometheusAfterMiddleware
from django_prometheus.utils import Time, TimeSince
from django_tasks_db.models import DBTaskResult
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from ipex.core.models import Job, JobStatus, WorkerHeartbeat

CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST
# No "<name>_created" series (each counter's start time): they double the page for nothing a
# dashboard uses; Prometheus sees restarts from the counters going down.
prometheus_client.disable_created_metrics()
TASK_STATUSES = [value for value, _label in DBTaskResult._meta.get_field("status").choices]


class RequestMetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's middleware cut down to the two series an operator reads — responses
    by status, view and method (``django_http_responses_total_by_status_view_method``) and
    latency by view and method (``django_http_requests_latency_seconds_by_view_method``) —
    and to one middleware instead of two: its pair updates about twelve series per request,
    which costs five times as much (bench/ops_middleware.py). Sits right after
    OperationsMiddleware, so the latency covers every other middleware too. Exceptions are
    still counted by type and view (django-prometheus's ``process_exception``)."""

    def process_request(self, request):
        request.prometheus_after_middleware_event = Time()

    def process_view(self, request, view_func, *view_args, **view_kwargs):
        return None

    def process_template_response(self, request, response):
        return response

    def process_response(self, request, response):
        method, view = self._method(request), self._get_view_name(request)
        self.metrics.responses_by_status_view_method.labels(
            status=str(response.status_code), view=view, method=method
        ).inc()
        started = getattr(request, "prometheus_after_middleware_event", None)
        if started is not None:
            self.metrics.requests_latency_by_view_method.labels(view=view, method=method).observe(
                TimeSince(started)
            )
        return response


def _by_status(name: str, documentation: str, rows, statuses: dict) -> GaugeMetricFamily:
    """A gauge of ``rows`` counted by their ``status``, one series per known status (as
    ``statuses`` names it), 0 where there are none."""
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    for status, label in statuses.items():
        family.add_metric([label], counts.get(status, 0))
    return family


class IpexCollector(Collector):
    """Gauges about the task queue, IPEX's background jobs and the task workers."""

    def collect(self):
        now = timezone.now()
        yield _by_status(
            "ipex_tasks",
            "Tasks in the database task queue, by status.",
            DBTaskResult.objects,
            {status: status.lower() for status in TASK_STATUSES},
        )

        oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
        yield GaugeMetricFamily(
            "ipex_tasks_oldest_ready_age_seconds",
            "How long the oldest task waiting for a worker has waited (0 when none waits).",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )

        yield _by_status(
            "ipex_jobs",
            "IPEX background jobs (imports, audit checks), by status.",
            Job.objects,
            {status: status for status in JobStatus.values},
        )

        limit = settings.IPEX_WORKER_HEARTBEAT_MAX_AGE
        seen = list(WorkerHeartbeat.objects.values_list("seen_at", flat=True))
        ages = [max(0.0, (now - at).total_seconds()) for at in seen]
        yield GaugeMetricFamily(
            "ipex_task_workers",
            f"Task workers whose heartbeat is at most IPEX_WORKER_HEARTBEAT_MAX_AGE "
            f"({limit} s) old.",
            value=sum(1 for age in ages if age <= limit),
        )
        if ages:
            yield GaugeMetricFamily(
                "ipex_task_worker_heartbeat_age_seconds",
                "Seconds since the most recent heartbeat of any task worker.",
                value=min(ages),
            )


_ipex_registry = CollectorRegistry(auto_describe=False)
_ipex_registry.register(IpexCollector())


def metrics_text() -> bytes:
    """The metrics page: the request metrics of this process (or of every process, in
    multiprocess mode), then IPEX's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    return prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(
        _ipex_registry
    )
