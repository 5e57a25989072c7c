"""Cases: references per organisation and year, the workflow and its illegal moves, linking
seizures the user can see, visibility, timeline."""

from __future__ import annotations

import pytest

from ipex.cases import services
from ipex.cases.models import Case, CaseStatus
from ipex.core.errors import Conflict, DomainError, Forbidden
from tests.conftest import api_for, client_for


@pytest.fixture
def case(people, orgs):
    return services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Line in Bao'an"
    )


def test_references_count_per_organisation_and_year(people, orgs, case):
    second = services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="online", title="Web shop"
    )
    year = case.year
    assert (case.reference, second.reference) == (
        f"CN-GD-BA-CB-{year}-0001",
        f"CN-GD-BA-CB-{year}-0002",
    )
    other = services.case_open(
        actor=people.colleague, owner_org=orgs.zj, kind="online", title="Elsewhere"
    )
    assert other.reference == f"CN-ZJ-CB-{year}-0001"


def test_workflow_from_open_to_closed_and_reopened(people, case):
    for action in ("investigate", "take_action", "refer"):
        services.case_transition(actor=people.owner, case=case, action=action)
    services.case_transition(actor=people.owner, case=case, action="close", outcome="convicted")
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "convicted")
    services.case_transition(actor=people.owner, case=case, action="reopen", reason="new evidence")
    assert (case.status, case.outcome) == (CaseStatus.INVESTIGATING, "")


def test_a_workflow_step_moves_the_version_and_the_update_time_together(people, case):
    opened = Case.objects.get(pk=case.pk)
    services.case_transition(actor=people.owner, case=case, action="investigate")
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == opened.version + 1
    assert stored.updated_at > opened.updated_at


def test_closing_without_an_outcome_and_acting_on_a_closed_case_are_refused(people, case):
    services.case_transition(actor=people.owner, case=case, action="investigate")
    with pytest.raises(DomainError) as err:
        services.case_transition(actor=people.owner, case=case, action="close")
    assert err.value.code == "no_outcome"
    services.case_transition(actor=people.owner, case=case, action="close", outcome="no_violation")
    with pytest.raises(Conflict) as err:
        services.case_transition(actor=people.owner, case=case, action="refer")
    assert err.value.code == "illegal_transition"
    with pytest.raises(DomainError):
        services.case_transition(actor=people.owner, case=case, action="reopen", reason=" ")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_only_the_owner_moves_the_case(people, case):
    with pytest.raises(Forbidden):
        services.case_transition(actor=people.supervisor, case=case, action="investigate")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_linking_a_seizure_the_user_cannot_see_is_refused(people, orgs, case, record):
    own = record()
    theirs = record(owner=orgs.zj, who=people.colleague, where=orgs.zj.jurisdiction)
    services.case_link_seizure(actor=people.owner, case=case, seizure=own)
    with pytest.raises(DomainError):
        services.case_link_seizure(actor=people.owner, case=case, seizure=theirs)
    assert list(case.seizures.all()) == [own]
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/seizures", {"seizure": str(theirs.uuid)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"seizure": ["Unknown seizure."]}


def test_api_and_pages(people, orgs, case):
    client = api_for(people.owner)
    created = client.post(
        "/api/v1/cases",
        {"owner_org": "CN-GD-BA-CB", "kind": "online", "title": "Streaming site"},
        format="json",
    )
    assert created.status_code == 201
    step = client.post(f"/api/v1/cases/{case.uuid}/close", {"outcome": "other"}, format="json")
    assert step.status_code == 409
    assert api_for(people.colleague).get(f"/api/v1/cases/{case.uuid}").status_code == 404
    assert api_for(people.supervisor).get(f"/api/v1/cases/{case.uuid}").status_code == 200
    page = client_for(people.owner).get(f"/cases/{case.uuid}/").content.decode()
    assert case.reference in page and "cases.case.opened" in page
    client_for(people.owner).post(f"/cases/{case.uuid}/act", {"action": "investigate"})
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    assert client_for(people.colleague).get(f"/cases/{case.uuid}/").status_code == 404
    assert Case.objects.count() == 2


def test_a_reference_taken_already_is_refused_clearly_and_nothing_is_written(people, orgs, case):
    from ipex.cases.models import Case
    from ipex.core.errors import Conflict

    # An older record (imported, say) already holds the reference the next case would get.
    taken = f"{orgs.ba.code}-{case.year}-{case.number + 1:04d}"
    Case.objects.filter(pk=case.pk).update(reference=taken)
    before = Case.objects.count()
    with pytest.raises(Conflict) as refused:
        services.case_open(actor=people.owner, owner_org=orgs.ba, kind="other", title="Next")
    assert refused.value.code == "duplicate_reference"
    assert (
        str(refused.value.message)
        == f"The reference {taken} is taken already; nothing was written."
    )
    assert Case.objects.count() == before
