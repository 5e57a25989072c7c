"""The case workflow through the API: one endpoint per step (investigate, take-action, refer,
close, reopen), each with its own input; bad input is refused in the one error shape and
writes nothing; a case the caller cannot see is 404, one they may only read is 403."""

from __future__ import annotations

import pytest

from ipex.cases import services
from ipex.cases.models import Case
from ipex.core.models import AuditEntry
from tests.conftest import api_for

# endpoint, its body, the steps that bring a new case to where the endpoint applies, the
# status it leaves, the audit action it writes
STEPS = [
    ("investigate", {}, [], "investigating", "cases.case.investigate"),
    ("take-action", {}, ["investigate"], "action_taken", "cases.case.take_action"),
    ("refer", {}, ["investigate", "take_action"], "referred", "cases.case.refer"),
    ("close", {"outcome": "convicted"}, ["investigate"], "closed", "cases.case.close"),
    (
        "reopen",
        {"reason": "New evidence"},
        ["investigate", "close"],
        "investigating",
        "cases.case.reopen",
    ),
]


@pytest.fixture
def case(people, orgs):
    return services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Dye works line"
    )


def bring(case, people, steps) -> Case:
    for step in steps:
        services.case_transition(
            actor=people.owner,
            case=case,
            action=step,
            outcome="penalised" if step == "close" else "",
        )
    return Case.objects.get(pk=case.pk)


def audited(case, action) -> int:
    return AuditEntry.objects.filter(action=action, object_uuid=str(case.uuid)).count()


@pytest.mark.parametrize(
    ("endpoint", "body", "before", "after", "action"), STEPS, ids=[s[0] for s in STEPS]
)
def test_each_step_moves_the_case_and_answers_its_detail(
    people, case, endpoint, body, before, after, action
):
    case = bring(case, people, before)
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == after
    assert response.json()["version"] == case.version + 1
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (after, case.version + 1)
    assert audited(case, action) == 1


def test_closing_keeps_the_outcome_and_reopening_audits_the_reason(people, case):
    api = api_for(people.owner)
    bring(case, people, ["investigate"])
    closed = api.post(f"/api/v1/cases/{case.uuid}/close", {"outcome": "convicted"}, format="json")
    assert closed.json()["outcome"] == "convicted"
    reopened = api.post(
        f"/api/v1/cases/{case.uuid}/reopen", {"reason": " The ruling was quashed "}, format="json"
    )
    assert reopened.json()["outcome"] == ""
    entry = AuditEntry.objects.get(action="cases.case.reopen", object_uuid=str(case.uuid))
    assert entry.changes["reason"] == "The ruling was quashed"


@pytest.mark.parametrize(
    ("endpoint", "body", "fields"),
    [
        ("close", {}, {"outcome": ["This field is required."]}),
        ("close", {"outcome": "acquitted"}, {"outcome": ['"acquitted" is not a valid choice.']}),
        ("close", {"outcome": "other", "reason": "x"}, {"reason": ["Unknown field."]}),
        ("reopen", {}, {"reason": ["This field is required."]}),
        ("reopen", {"reason": "  "}, {"reason": ["This field may not be blank."]}),
        ("investigate", {"outcome": "convicted"}, {"outcome": ["Unknown field."]}),
        ("take-action", {"action": "take_action"}, {"action": ["Unknown field."]}),
        ("refer", {"reason": "court"}, {"reason": ["Unknown field."]}),
    ],
)
def test_bad_input_is_refused_with_the_field_error_and_nothing_is_written(
    people, case, endpoint, body, fields
):
    before = {"close": ["investigate"], "reopen": ["investigate", "close"]}.get(endpoint, [])
    case = bring(case, people, before)
    entries = AuditEntry.objects.count()
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Please correct the errors below.",
            "fields": fields,
        }
    }
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.outcome) == (case.status, case.version, case.outcome)
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("endpoint", "body", "before", "_after", "_action"), STEPS)
def test_a_case_the_caller_cannot_see_is_not_found(
    people, case, endpoint, body, before, _after, _action
):
    case = bring(case, people, before)
    response = api_for(people.colleague).post(
        f"/api/v1/cases/{case.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize(("endpoint", "body", "before", "_after", "_action"), STEPS)
def test_the_supervisor_reads_the_case_but_may_not_move_it(
    people, case, endpoint, body, before, _after, _action
):
    case = bring(case, people, before)
    response = api_for(people.supervisor).post(
        f"/api/v1/cases/{case.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_owner"
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_step_the_status_does_not_allow_is_a_conflict(people, case):
    response = api_for(people.owner).post(f"/api/v1/cases/{case.uuid}/refer")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_generic_step_endpoint_is_gone(people, case):
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/step", {"action": "investigate"}, format="json"
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == "open"
