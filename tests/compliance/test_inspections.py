"""Inspections of body A's 2013 devices (the hand-checked example of test_reconciliation,
seven devices): the sample drawn with a recorded seed, findings, rectification, the body's
answer, the follow-up, and the daily escalation of overdue orders."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ipex.compliance import services
from ipex.compliance.models import Inspection, InspectionStatus
from ipex.compliance.services.inspections import draw_sample
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.compliance.test_reconciliation import example, licence, product  # noqa: F401
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/compliance/inspections"
WINDOWS_10 = ("Microsoft", "Windows 10", "Pro")
FUTURE = (timezone.localdate() + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def sampled(example, staff):  # noqa: F811
    inspection = services.inspection_plan(
        actor=staff.auditor, body=example, year=2013, sample_size=3
    )
    return services.inspection_draw(actor=staff.auditor, inspection=inspection, seed=20130)


def test_the_same_seed_draws_the_same_sample(sampled, staff):
    assert len(sampled.sample) == 3 and sampled.seed == 20130
    again = api_for(staff.auditor).post(
        f"{URL}/{sampled.uuid}/draw", {"seed": 20130}, format="json"
    )
    assert again.status_code == 200 and again.json()["sample"] == sampled.sample
    names = list(sampled.body.devices.filter(year=2013).values_list("name", flat=True))
    assert draw_sample(list(reversed(names)), 3, 20130) == sampled.sample
    entry = AuditEntry.objects.filter(action="compliance.inspection.sampled").latest("seq")
    assert entry.changes == {"seed": 20130, "sample": sampled.sample}


def test_a_fresh_draw_records_its_seed_and_checks_out(example, staff):  # noqa: F811
    client = api_for(staff.auditor)
    planned = client.post(
        URL, {"body": example.code, "year": 2013, "sample_size": 20}, format="json"
    ).json()
    drawn = client.post(f"{URL}/{planned['uuid']}/draw", {}, format="json").json()
    assert drawn["seed"] is not None and len(drawn["sample"]) == 7  # all seven, no more
    assert draw_sample(drawn["sample"], 20, drawn["seed"]) == drawn["sample"]


def test_a_finding_outside_the_sample_is_refused(sampled, staff):
    outside = next(
        d.name for d in sampled.body.devices.filter(year=2013) if d.name not in sampled.sample
    )
    answer = api_for(staff.auditor).post(
        f"{URL}/{sampled.uuid}/findings",
        {"device": outside, "product": str(product(*WINDOWS_10).uuid), "licensed": False},
        format="json",
    )
    assert answer.status_code == 400
    assert "not in the sample" in answer.json()["error"]["message"]
    assert not sampled.findings.exists()


def test_the_whole_road_to_a_closed_inspection(sampled, staff):
    auditor, manager = api_for(staff.auditor), api_for(staff.manager_a)
    finding = {
        "device": sampled.sample[0],
        "product": str(product(*WINDOWS_10).uuid),
        "licensed": False,
        "evidence": "No licence sticker",
    }
    assert auditor.post(f"{URL}/{sampled.uuid}/findings", finding, format="json").status_code == 200
    unordered = auditor.post(f"{URL}/{sampled.uuid}/conclude", {}, format="json")
    assert unordered.status_code == 400 and "deadline" in unordered.json()["error"]["fields"]
    past = auditor.post(
        f"{URL}/{sampled.uuid}/conclude", {"deadline": "2013-01-01", "order": "Buy"}, format="json"
    )
    assert past.status_code == 400
    ordered = auditor.post(
        f"{URL}/{sampled.uuid}/conclude",
        {"deadline": FUTURE, "order": "License Windows 10"},
        format="json",
    )
    assert ordered.json()["status"] == "ordered"
    assert manager.post(f"{URL}/{sampled.uuid}/follow-up").status_code == 403
    licence(sampled.body, WINDOWS_10, 1)  # the body's new entitlement
    answered = manager.post(f"{URL}/{sampled.uuid}/rectify", {"answer": "Bought 1"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "rectified"
    closed = auditor.post(f"{URL}/{sampled.uuid}/follow-up")
    assert closed.json()["status"] == "closed"
    assert AuditEntry.objects.filter(action="compliance.inspection.closed").count() == 1


def test_closed_compliant_when_everything_found_is_licensed(sampled, staff):
    services.finding_record(
        actor=staff.auditor,
        inspection=sampled,
        device=sampled.sample[0],
        product=product(*WINDOWS_10),
        licensed=True,
    )
    done = services.inspection_conclude(actor=staff.auditor, inspection=sampled)
    assert done.status == InspectionStatus.COMPLIANT
    with pytest.raises(Conflict):
        services.inspection_rectify(actor=staff.manager_a, inspection=done, answer="x")


def test_the_body_does_not_inspect_itself(example, staff):  # noqa: F811
    with pytest.raises(Forbidden):
        services.inspection_plan(actor=staff.manager_a, body=example, year=2013, sample_size=2)
    refused = api_for(staff.manager_b).post(
        URL, {"body": example.code, "year": 2013, "sample_size": 2}, format="json"
    )
    assert refused.status_code == 400 and "body" in refused.json()["error"]["fields"]


def test_no_devices_no_sample(example, staff):  # noqa: F811
    inspection = services.inspection_plan(
        actor=staff.auditor, body=example, year=2014, sample_size=2
    )
    with pytest.raises(DomainError):
        services.inspection_draw(actor=staff.auditor, inspection=inspection)


def test_who_sees_an_inspection(sampled, staff):
    for persona, visible in [
        ("manager_a", True),
        ("supervisor", True),
        ("manager_b", False),
        ("colleague", False),
        ("no_org", False),
    ]:
        user = getattr(staff, persona)
        assert api_for(user).get(f"{URL}/{sampled.uuid}").status_code == (200 if visible else 404)
        page = client_for(user).get(f"/compliance/inspections/{sampled.uuid}/")
        assert page.status_code == (200 if visible else 404)


def test_overdue_orders_are_escalated_once(sampled, staff):
    services.finding_record(
        actor=staff.auditor,
        inspection=sampled,
        device=sampled.sample[0],
        product=product(*WINDOWS_10),
        licensed=False,
    )
    services.inspection_conclude(
        actor=staff.auditor, inspection=sampled, deadline=dt.date.fromisoformat(FUTURE), order="Buy"
    )
    Inspection.objects.filter(pk=sampled.pk).update(deadline=dt.date(2014, 1, 1))
    out = io.StringIO()
    call_command("compliance", "escalate", stdout=out)
    call_command("compliance", "escalate", stdout=out)
    assert "1 rectification orders escalated." in out.getvalue()
    assert "0 rectification orders escalated." in out.getvalue()
    entry = AuditEntry.objects.get(action="compliance.inspection.escalated")
    assert entry.changes["to"] == "CN-GD-CB"  # above the Bao'an bureau, which inspected
    assert Inspection.objects.get(pk=sampled.pk).escalated_at is not None


def test_the_pages_walk_the_steps(example, staff):  # noqa: F811
    auditor = client_for(staff.auditor)
    planned = auditor.post(
        f"/compliance/bodies/{example.uuid}/inspections", {"year": 2013, "sample_size": 2}
    )
    assert planned.status_code == 302
    inspection = Inspection.objects.get()
    page = f"/compliance/inspections/{inspection.uuid}/"
    assert auditor.post(page + "draw", {"seed": "7"}).status_code == 302
    inspection.refresh_from_db()
    assert all(name in auditor.get(page).content.decode() for name in inspection.sample)
    outside = next(
        d.name for d in example.devices.filter(year=2013) if d.name not in inspection.sample
    )
    refused = auditor.post(
        page + "finding", {"device": outside, "product": str(product(*WINDOWS_10).uuid)}
    )
    assert refused.status_code == 400 and "Not in the sample." in refused.content.decode()
    assert auditor.post(page + "conclude", {}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLIANT
