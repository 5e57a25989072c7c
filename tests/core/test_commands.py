"""The command line: node identity, tokens, the demo, and a job run by the real database
task worker (the one `make run` starts)."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.management import CommandError, call_command

from ipex.core.models import AuditEntry, JobKind, JobStatus
from ipex.core.services import job_start
from ipex.directory.models import Membership, Node, Organisation, Role, User
from ipex.portal.models import Event, NewsItem
from ipex.seizures.reference import national_figures
from tests.conftest import api_for


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_node_init_creates_the_key_once(settings):
    first = run("node", "init", "--name", "CN node")
    assert "Created node CN node" in first
    key_file = settings.IPEX_NODE_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = run("node", "init")
    assert "Already initialised" in again
    assert Node.objects.filter(is_local=True).count() == 1
    assert Node.local().public_key in run("node", "show")


@pytest.mark.django_db
def test_node_init_refuses_a_key_that_does_not_match(settings, tmp_path):
    run("node", "init")
    settings.IPEX_NODE_KEY_FILE = tmp_path / "other-key.pem"
    with pytest.raises(CommandError, match="is missing; restore it"):
        run("node", "init")
    assert not settings.IPEX_NODE_KEY_FILE.exists()  # no new key was made
    from ipex.directory.services import node_private_key

    node_private_key()  # a different key now sits at that path
    with pytest.raises(CommandError, match="does not match"):
        run("node", "init")


def test_token_create_prints_a_token_that_authenticates_me(people):
    plain = run("token", "create", people.owner.email, "--name", "script").strip()
    assert plain.startswith("ipex_")
    client = api_for(None)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    assert response.json()["email"] == people.owner.email
    prefix = plain.split("_")[1]
    assert prefix in run("token", "list", people.owner.email)
    run("token", "revoke", prefix)
    revoked = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "token_revoked"


@pytest.mark.django_db
def test_token_create_for_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="No user with e-mail nobody@x.org"):
        run("token", "create", "nobody@x.org")


@pytest.mark.django_db
def test_demo_builds_the_node_and_is_idempotent():
    out = run("demo")
    assert "Demo ready: 10 organisations, 20 users" in out
    assert "5 approved reports and 4 seizure records added" in out
    assert "2013 special action: 1 special action and 241 cases added (synthetic)" in out
    assert "News and events: 3 news items and 1 event added" in out
    assert "Customs protection: 1 recordation and 1 detention added" in out
    assert "Open data: the 2012 bulletin and 2 datasets published." in out
    video = NewsItem.objects.published().filter(tags__contains="video-conference-2013")
    assert sorted(video.values_list("language", flat=True)) == ["en", "ru", "zh-hans"]
    assert len(set(video.values_list("group", flat=True))) == 1  # one item, three languages
    assert "**107 million** pirated items" in video.get(language="en").body
    event = Event.objects.published().get(news_item__in=video)
    assert event.online and event.statistics_year == 2012
    assert Node.local().is_demo
    ncac = Organisation.objects.get(code="CN-NCAC")
    assert ncac.name_zh_hans == "国家版权局"
    # Provincial and county bureaus in two provinces, police and customs at two levels.
    for code, parent in [
        ("CN-GD-CB", "CN-NCAC"),
        ("CN-GD-BA-CB", "CN-GD-CB"),
        ("CN-ZJ-CB", "CN-NCAC"),
        ("CN-ZJ-YW-CB", "CN-ZJ-CB"),
        ("CN-GD-PSD", "CN-MPS"),
        ("CN-GAC-GZ", "CN-GAC"),
    ]:
        org = Organisation.objects.get(code=code)
        assert Organisation.objects.get_parent(org).code == parent
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    entries = AuditEntry.objects.count()
    again = run("demo")
    assert "0 organisations, 0 users and 0 roles added" in again
    assert "News and events: 0 news items and 0 events added." in again
    assert "Open data: 0 datasets published." in again
    assert "0 special action and 0 cases added" in again
    assert "Customs protection: 0 recordation and 0 detention added" in again
    # the directory's 20 (press officer and news approver included) and a body's asset manager
    assert User.objects.count() == 21
    assert AuditEntry.objects.count() == entries
    assert run("audit", "verify").startswith("OK")


@pytest.mark.django_db
def test_demo_national_roll_up_equals_the_published_2012_figures():

    from ipex.seizures.queries import seizure_stats

    run("demo")
    published = national_figures(2012)
    rows = seizure_stats(None, area="CN", year=2012, by="category")
    assert {r["category"]: r["quantity"] for r in rows} == published

    # The 2013 special action's cases agree with the published facts (seizures/data/README.md):
    # 233 unauthorised lines cracked down, 8 licensed enterprises punished, and a criminal
    # judgment within the 3-7 year range; the bulletin states them from the cases.
    from ipex.campaigns.models import Campaign
    from ipex.campaigns.queries import campaign_progress
    from ipex.cases.models import CaseAction
    from ipex.cases.queries import enforcement_figures

    supervisor = User.objects.get(email="supervisor@ncac.demo")
    figures = enforcement_figures(supervisor, area="CN", year=2013)
    assert figures["production_lines_cracked_down"] == 233
    assert figures["licensed_enterprises_punished"] == 8
    judgment = CaseAction.objects.get(kind="judgment")
    assert judgment.penalty_months == 48 and 36 <= judgment.penalty_months <= 84
    assert judgment.case.outcome == "convicted" and not judgment.out_of_range_reason
    campaign = Campaign.objects.get()
    assert "synthetic" in campaign.name_en
    progress = {
        row["target"].metric: row["done"] for row in campaign_progress(supervisor, campaign)
    }
    assert progress == {"lines_closed": 233, "enterprises_punished": 8}
    bulletin = run("bulletin", "--country", "CN", "--year", "2013", "--lang", "en")
    assert (
        "233 unauthorised optical-disc production lines were cracked down and 8 enterprises "
        "with legal business certificates were shut down or punished for piracy"
    ) in bulletin
    # Tip-offs: several states; the first report of the line behind the criminal case got
    # the published reward of 300,000 CNY, paid.
    from ipex.tips.models import Reward, Tip

    assert sorted(Tip.objects.values_list("status", flat=True)) == [
        "acknowledged",
        "closed",
        "closed",
        "closed",
        "received",
    ]
    paid = Reward.objects.get(status="paid")
    assert (paid.amount, paid.currency) == (300_000, "CNY")
    assert paid.tip.case == judgment.case and paid.approved_by != paid.proposed_by
    assert "查处非法光盘生产线233条" in run(
        "bulletin", "--country", "CN", "--year", "2013", "--lang", "zh-hans"
    )


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_job_and_records_the_outcome(people, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    job = job_start(actor=people.admin, kind=JobKind.AUDIT_VERIFY)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is True
    assert "intact" in job.message


def test_serve_stops_its_task_worker_when_it_is_stopped(tmp_path):
    """`ipex serve` (what `make run` starts) stopped by SIGTERM, as a supervisor or `kill`
    stops it, takes its task worker with it: no worker is left running on its own."""
    import os
    import re
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("IPEX_", "DATABASE_URL"))},
        "IPEX_DEBUG": "true",
        "IPEX_DATA_DIR": str(tmp_path),
    }
    ipex = [sys.executable, "-m", "ipex"]
    subprocess.run([*ipex, "migrate", "-v0"], env=env, check=True, timeout=300)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*ipex, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        for _ in range(120):  # "Task worker started (pid N)."
            found = re.search(r"Task worker started \(pid (\d+)\)", log.read_text())
            if found:
                break
            time.sleep(0.25)
        worker = int(found.group(1))
        for _ in range(120):  # the web server answers
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.25)
        workers = {worker} | _children(worker)  # the worker, and any process of its own
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        for _ in range(60):
            left = {pid for pid in workers if _alive(pid)}
            if not left:
                break
            time.sleep(0.25)
        else:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"task worker processes left running: {sorted(left)}")
    finally:
        if server.poll() is None:
            server.kill()


def _children(pid: int) -> set[int]:
    from pathlib import Path

    found = set()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(entry.parent.name)
            found |= {child} | _children(child)
    return found


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent has not collected it yet


@pytest.mark.django_db
def test_a_demo_federation_step_that_must_wait_for_sync_ends_with_its_message():
    with pytest.raises(CommandError, match="has not arrived: run 'ipex sync' first"):
        run("border", "demo-exchange", "--country", "RU")
    with pytest.raises(CommandError, match="invalid choice"):
        run("demo-joint-operation", "--country", "FR")
