"""/healthz, /readyz and /metrics as a load balancer, systemd and Prometheus see them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from ipex import gunicorn_conf
from ipex.core import health
from ipex.core.models import Job, JobKind, WorkerHeartbeat
from tests.conftest import make_user
from tests.memos.tasks import record_run

TOKEN = "metrics-token-for-the-tests-0123456789"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


@pytest.fixture
def probe():
    """A probe as a load balancer sends it: plain HTTP, by address, no cookies."""
    return Client(HTTP_HOST="10.0.0.7:8000")


def beat(seconds_ago: float = 0, worker_id: str = "web-1-worker-1") -> WorkerHeartbeat:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="web-1", pid=4242, started_at=at, seen_at=at
    )


# ---------------------------------------------------------------- /healthz


def test_healthz_answers_without_touching_the_database(probe, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_healthz_answers_plain_http_by_address_even_with_https_redirects_on(probe, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ipex.example.org"]
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/readyz").status_code in (200, 503)  # not 301 and not 400
    # Everything else still gets the host check and the redirect.
    assert Client(HTTP_HOST="ipex.example.org").get("/").status_code == 301


def test_health_endpoints_refuse_writes(probe):
    response = probe.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# ---------------------------------------------------------------- /readyz


def test_readyz_is_ready_with_database_migrations_and_a_recent_heartbeat(probe):
    beat(seconds_ago=5)
    response = probe.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "worker": "ok"}
    assert 4 <= body["worker_heartbeat_age_seconds"] <= 60


def test_readyz_without_any_worker_names_the_worker_check(probe):
    response = probe.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["worker"]
    assert body["checks"] == {"database": "ok", "migrations": "ok", "worker": "missing"}


def test_readyz_with_a_heartbeat_older_than_the_limit_is_stale(probe, settings):
    settings.IPEX_WORKER_HEARTBEAT_MAX_AGE = 30
    beat(seconds_ago=31)
    response = probe.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"
    assert response.json()["failed"] == ["worker"]


def test_the_newest_of_several_heartbeats_counts(probe):
    beat(seconds_ago=3600, worker_id="dead")
    beat(seconds_ago=1, worker_id="alive")
    assert probe.get("/readyz").status_code == 200


def test_readyz_can_leave_the_worker_out(probe, settings):
    settings.IPEX_READY_NEEDS_WORKER = False
    response = probe.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "skipped"


def test_readyz_with_the_database_down_names_it_and_leaks_nothing(probe):
    beat()
    secret = 'connection to server at "db.internal" (10.1.2.3) failed: password for "ipex"'
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(secret)):
        response = probe.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"] == {
        "database": "unavailable",
        "migrations": "skipped",
        "worker": "skipped",
    }
    assert "10.1.2.3" not in response.content.decode()
    assert "password" not in response.content.decode()


def test_readyz_with_a_migration_not_applied_names_the_migrations(probe):
    beat()
    MigrationRecorder.Migration.objects.filter(app="core", name="0004_worker_heartbeat").delete()
    response = probe.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "pending"


def test_readyz_costs_few_queries_once_migrations_were_found_applied(
    probe, django_assert_max_num_queries
):
    beat()
    assert probe.get("/readyz").status_code == 200
    with django_assert_max_num_queries(2):  # SELECT 1, the newest heartbeat
        assert probe.get("/readyz").status_code == 200


# ---------------------------------------------------------------- /metrics


def test_metrics_are_off_without_a_token(settings):
    settings.IPEX_METRICS_TOKEN = ""
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 404  # the site's own 404: no such page
    assert "ipex_" not in response.content.decode()


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Basic {TOKEN}", "Bearer wrong-token", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"],
)
def test_metrics_refuse_a_missing_or_wrong_token(probe, settings, authorization):
    settings.IPEX_METRICS_TOKEN = TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = probe.get("/metrics", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "ipex_" not in response.content.decode()


def test_metrics_refusal_speaks_the_callers_language(probe, settings):
    settings.IPEX_METRICS_TOKEN = TOKEN
    response = probe.get("/metrics", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["error"]["message"] == (
        "Для метрик нужен токен, заданный в IPEX_METRICS_TOKEN."
    )


def test_metrics_with_the_token_show_queue_jobs_and_workers(probe, settings):
    settings.IPEX_METRICS_TOKEN = TOKEN
    beat(seconds_ago=7)
    beat(seconds_ago=3600, worker_id="gone")
    for number in range(3):
        record_run.enqueue(number)
    officer = make_user("officer@ops.test")
    Job.objects.create(kind=JobKind.AUDIT_VERIFY, started_by=officer)
    response = probe.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert 'ipex_tasks{status="ready"} 3.0' in text
    assert 'ipex_tasks{status="failed"} 0.0' in text
    assert 'ipex_jobs{status="queued"} 1.0' in text
    assert "ipex_task_workers 1.0" in text  # the one seen within IPEX_WORKER_HEARTBEAT_MAX_AGE
    assert 6 <= sample(text, "ipex_task_worker_heartbeat_age_seconds") < 60
    assert 0 <= sample(text, "ipex_tasks_oldest_ready_age_seconds") < 60


def sample(text: str, name: str) -> float:
    """The value of an unlabelled sample on a metrics page."""
    for line in text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not on the page")


def test_metrics_count_requests_when_the_middleware_is_on(probe, settings):
    settings.IPEX_METRICS_TOKEN = TOKEN
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "ipex.core.metrics.RequestMetricsMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    client = Client()
    client.get("/api/v1/me")

    def served():
        text = probe.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
        for line in text.splitlines():
            if line.startswith("django_http_responses_total_by_status_view_method_total{") and (
                'view="me"' in line and 'status="401"' in line
            ):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = served()
    client.get("/api/v1/me")
    assert served() == before + 1
    text = probe.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket{" in text
    assert "_created" not in text  # half the page, and nothing an operator needs


# ---------------------------------------------------------------- settings


def run_settings(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IPEX_", "DATABASE_URL"))}
    base.update({"IPEX_DEBUG": "true", **env})
    code = "from django.conf import settings; print(settings.MIDDLEWARE[:2])"
    return subprocess.run(
        [sys.executable, "-c", f"import django, os; {SETUP}; {code}"],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SETUP = "os.environ['DJANGO_SETTINGS_MODULE'] = 'ipex.settings'; django.setup()"


def test_a_short_metrics_token_refuses_to_start(tmp_path):
    result = run_settings({"IPEX_DATA_DIR": str(tmp_path), "IPEX_METRICS_TOKEN": "short"})
    assert result.returncode != 0
    assert "IPEX_METRICS_TOKEN must be at least 24 characters" in result.stderr


def test_a_heartbeat_limit_below_the_interval_refuses_to_start(tmp_path):
    result = run_settings(
        {
            "IPEX_DATA_DIR": str(tmp_path),
            "IPEX_WORKER_HEARTBEAT_SECONDS": "30",
            "IPEX_WORKER_HEARTBEAT_MAX_AGE": "20",
        }
    )
    assert result.returncode != 0
    assert "IPEX_WORKER_HEARTBEAT_SECONDS must be at least 1 and smaller than" in result.stderr


def test_the_request_metrics_middleware_comes_only_with_the_token(tmp_path):
    without = run_settings({"IPEX_DATA_DIR": str(tmp_path)})
    assert without.returncode == 0, without.stderr
    assert "RequestMetricsMiddleware" not in without.stdout
    token_file = tmp_path / "metrics-token"
    token_file.write_text(TOKEN + "\n")
    with_token = run_settings(
        {"IPEX_DATA_DIR": str(tmp_path), "IPEX_METRICS_TOKEN_FILE": str(token_file)}
    )
    assert with_token.returncode == 0, with_token.stderr
    assert with_token.stdout.strip() == str(
        ["ipex.core.middleware.OperationsMiddleware", "ipex.core.metrics.RequestMetricsMiddleware"]
    )


def test_gunicorn_start_clears_the_metrics_of_the_last_run(tmp_path, monkeypatch):
    stale = tmp_path / "counter_4242.db"
    stale.write_bytes(b"old counts")
    keep = tmp_path / "README"
    keep.write_text("not a metrics file")
    monkeypatch.setattr(gunicorn_conf, "_directory", str(tmp_path))
    gunicorn_conf.on_starting(server=None)
    assert not stale.exists()
    assert keep.exists()


def test_gunicorn_conf_does_nothing_without_a_metrics_directory(tmp_path, monkeypatch):
    stale = tmp_path / "counter_4242.db"
    stale.write_bytes(b"old counts")
    monkeypatch.setattr(gunicorn_conf, "_directory", None)
    gunicorn_conf.on_starting(server=None)
    assert stale.exists()
