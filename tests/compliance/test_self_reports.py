"""Yearly self-reports: checked against the body's kept reconciliation (hand-checked example of
test_reconciliation: 7 devices; covered installs 5 operating systems, 8 office suites, 1
antivirus), submitted by the body's asset manager, approved or returned by the administration."""

import pytest

from ipex.compliance import services
from ipex.compliance.demo import demo_lines
from ipex.compliance.models import Inspection, InspectionStatus, SelfReport, SelfReportStatus
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.compliance.test_bodies_web import SEES
from tests.compliance.test_reconciliation import example  # noqa: F401 (a fixture)
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/compliance/self-reports"
MATCHING = {
    "year": 2013,
    "devices": 7,
    "licensed_os": 5,
    "licensed_office": 8,
    "licensed_antivirus": 1,
    "spent": "12000.50",
}


def test_figures_matching_the_reconciliation_are_submitted_and_audited(example, staff):  # noqa: F811
    answer = api_for(staff.manager_a).post(URL, MATCHING | {"body": example.code}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "submitted"
    entry = AuditEntry.objects.filter(action="compliance.self_report.submitted").latest("seq")
    assert entry.actor_user_id == staff.manager_a.pk and entry.changes["devices"] == "7"


def test_a_difference_over_five_percent_needs_an_explanation(example, staff):  # noqa: F811
    client = api_for(staff.manager_a)
    bad = client.post(URL, MATCHING | {"body": example.code, "devices": 9}, format="json")
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert set(fields) == {"devices", "explanation"}
    assert "the reconciliation gives 7" in fields["devices"][0]
    assert not SelfReport.objects.exists()
    explained = MATCHING | {"body": example.code, "devices": 9, "explanation": "2 PCs in repair"}
    assert client.post(URL, explained, format="json").status_code == 201


def test_the_refusal_is_in_the_users_language(example, staff):  # noqa: F811
    bad = api_for(staff.manager_a).post(
        URL,
        MATCHING | {"body": example.code, "licensed_os": 50},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 400 and "对账" in bad.json()["error"]["message"]


@pytest.mark.parametrize(
    "change",
    [{"devices": -1}, {"spent": "-5"}, {"spent": "lots"}, {"year": 1999}, {"devices": "seven"}],
)
def test_bad_figures_are_refused_beside_the_field(example, staff, change):  # noqa: F811
    bad = api_for(staff.manager_a).post(
        URL, MATCHING | {"body": example.code} | change, format="json"
    )
    assert bad.status_code == 400
    assert set(change) <= set(bad.json()["error"]["fields"])
    assert not SelfReport.objects.exists()


def test_another_bodys_manager_cannot_name_the_body(example, staff):  # noqa: F811
    bad = api_for(staff.manager_b).post(URL, MATCHING | {"body": example.code}, format="json")
    assert bad.status_code == 400 and "body" in bad.json()["error"]["fields"]


def test_only_the_asset_manager_submits(example, staff):  # noqa: F811
    with pytest.raises(Forbidden):
        services.selfreport_submit(actor=staff.supervisor, body=example, **MATCHING)


def submitted(body, user):
    return services.selfreport_submit(actor=user, body=body, **MATCHING)


def test_the_administration_approves_and_a_second_report_for_the_year_is_refused(example, staff):  # noqa: F811
    report = submitted(example, staff.manager_a)
    answer = api_for(staff.supervisor).post(f"{URL}/{report.uuid}/approve")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    again = api_for(staff.manager_a).post(URL, MATCHING | {"body": example.code}, format="json")
    assert again.status_code == 409 and "approved already" in again.json()["error"]["message"]
    assert AuditEntry.objects.filter(action="compliance.self_report.approved").count() == 1


def test_returned_with_a_reason_then_sent_again(example, staff):  # noqa: F811
    report = submitted(example, staff.manager_a)
    client = api_for(staff.auditor)
    assert client.post(f"{URL}/{report.uuid}/return", {}, format="json").status_code == 400
    answer = client.post(f"{URL}/{report.uuid}/return", {"reason": "Spent?"}, format="json")
    assert answer.json()["status"] == "returned" and answer.json()["return_reason"] == "Spent?"
    with pytest.raises(Conflict):
        services.selfreport_approve(actor=staff.auditor, report=report)
    report = services.selfreport_submit(
        actor=staff.manager_a, body=example, **(MATCHING | {"spent": "9000"})
    )
    assert report.status == SelfReportStatus.SUBMITTED and str(report.spent) == "9000.00"


def test_a_waiting_report_is_not_submitted_twice(example, staff):  # noqa: F811
    submitted(example, staff.manager_a)
    with pytest.raises(Conflict):
        submitted(example, staff.manager_a)


def test_the_body_cannot_approve_its_own_report(example, staff):  # noqa: F811
    report = submitted(example, staff.manager_a)
    assert api_for(staff.manager_a).post(f"{URL}/{report.uuid}/approve").status_code == 403
    assert SelfReport.objects.get().status == SelfReportStatus.SUBMITTED


def test_the_submitter_never_decides(example, staff):  # noqa: F811
    report = submitted(example, SYSTEM)
    report.submitted_by = staff.auditor
    report.save()
    with pytest.raises(Forbidden):
        services.selfreport_approve(actor=staff.auditor, report=report)


@pytest.mark.parametrize("persona", SEES)
def test_who_sees_a_self_report(example, staff, persona):  # noqa: F811
    report = submitted(example, staff.manager_a)
    user = getattr(staff, persona)
    visible = "a" in SEES[persona]
    assert api_for(user).get(f"{URL}/{report.uuid}").status_code == (200 if visible else 404)
    listed = api_for(user).get(URL).json()["results"]
    assert len(listed) == (1 if visible else 0)


def test_a_hidden_report_cannot_be_decided(example, staff):  # noqa: F811
    report = submitted(example, staff.manager_a)
    assert api_for(staff.colleague).post(f"{URL}/{report.uuid}/approve").status_code == 404
    assert (
        client_for(staff.colleague)
        .post(f"/compliance/self-reports/{report.uuid}/approve")
        .status_code
        == 404
    )


def test_the_pages_submit_show_and_approve(example, staff):  # noqa: F811
    page = f"/compliance/bodies/{example.uuid}/"
    manager = client_for(staff.manager_a)
    refused = manager.post(
        f"/compliance/bodies/{example.uuid}/self-reports", MATCHING | {"devices": 20}
    )
    assert refused.status_code == 400
    assert "the reconciliation gives 7" in refused.content.decode()
    done = manager.post(f"/compliance/bodies/{example.uuid}/self-reports", MATCHING)
    assert done.status_code == 302
    report = SelfReport.objects.get()
    assert "12000.50" in manager.get(page).content.decode()
    supervisor = client_for(staff.supervisor)
    assert supervisor.post(f"/compliance/self-reports/{report.uuid}/approve").status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReportStatus.APPROVED


def test_a_domain_error_carries_the_figures_apart(example, staff):  # noqa: F811
    with pytest.raises(DomainError) as refused:
        services.selfreport_submit(
            actor=staff.manager_a, body=example, **(MATCHING | {"licensed_office": 20})
        )
    assert set(refused.value.fields) == {"licensed_office", "explanation"}


def test_the_demo_adds_an_approved_self_report_and_a_closed_inspection_once(orgs):
    demo_lines("CN")
    demo_lines("CN")
    assert SelfReport.objects.get().status == SelfReportStatus.APPROVED
    assert Inspection.objects.get().status == InspectionStatus.CLOSED
