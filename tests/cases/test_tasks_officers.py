"""Officers of a case and tasks with due dates and assignees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipex.cases import services
from ipex.cases.models import CaseTask
from ipex.core.errors import Conflict, DomainError
from ipex.core.models import AuditEntry
from tests.conftest import api_for, client_for, make_user


@pytest.fixture
def case(people, orgs):
    return services.case_open(actor=people.owner, owner_org=orgs.ba, kind="other", title="Tip")


@pytest.fixture
def partner(orgs):
    return make_user("partner@ba.test", orgs.ba)


def test_the_opener_is_the_first_officer_and_members_can_be_added_and_removed(
    people, case, partner
):
    assert list(case.officers.all()) == [people.owner]
    services.case_set_officers(actor=people.owner, case=case, add=[partner])
    assert set(case.officers.all()) == {people.owner, partner}
    services.case_set_officers(actor=people.owner, case=case, remove=[people.owner])
    assert list(case.officers.all()) == [partner]
    entry = AuditEntry.objects.filter(action="cases.case.officers_changed").order_by("seq").last()
    assert entry.changes == {"added": [], "removed": [str(people.owner.uuid)]}


def test_a_non_member_cannot_become_officer_and_the_last_officer_stays(people, case):
    with pytest.raises(DomainError) as refused:
        services.case_set_officers(actor=people.owner, case=case, add=[people.colleague])
    assert "is not a member of" in str(refused.value.message)
    with pytest.raises(DomainError) as refused:
        services.case_set_officers(actor=people.owner, case=case, remove=[people.owner])
    assert str(refused.value.message) == "A case keeps at least one officer."
    assert list(case.officers.all()) == [people.owner]


def test_a_task_is_added_done_and_shown_on_the_dashboard_and_case(people, case, partner):
    due = timezone.localdate() - dt.timedelta(days=1)
    task = services.task_add(
        actor=people.owner, case=case, title="Interview the landlord", due_on=due, assignee=partner
    )
    assert task.is_overdue
    home = client_for(partner).get("/").content.decode()
    assert "Interview the landlord" in home and "overdue" in home
    services.task_complete(actor=people.owner, task=task)
    task.refresh_from_db()
    assert task.done_at is not None and not task.is_overdue
    assert "Interview the landlord" not in client_for(partner).get("/").content.decode()
    with pytest.raises(Conflict):
        services.task_complete(actor=people.owner, task=task)


@pytest.mark.parametrize(
    ("title", "due", "assignee", "field", "message"),
    [
        ("", "2013-05-01", "owner", "title", "Say what is to be done."),
        ("Call", "31/02/2013", "owner", "due_on", None),
        (
            "Call",
            "2013-05-01",
            "colleague",
            "assignee",
            "Choose a member of the case's organisation.",
        ),
        ("Call", "2013-05-01", None, "assignee", "Choose a member of the case's organisation."),
    ],
)
def test_bad_tasks_are_refused_and_nothing_is_written(
    people, case, title, due, assignee, field, message
):
    with pytest.raises(DomainError) as refused:
        services.task_add(
            actor=people.owner,
            case=case,
            title=title,
            due_on=due,
            assignee=getattr(people, assignee) if assignee else None,
        )
    assert field in refused.value.fields
    if message:
        assert refused.value.fields[field] == [message]
    assert not CaseTask.objects.exists()


def test_tasks_and_officers_through_the_page(people, case, partner):
    client = client_for(people.owner)
    client.post(f"/cases/{case.uuid}/act", {"officer_add": str(partner.uuid)})
    client.post(
        f"/cases/{case.uuid}/act",
        {"task_title": "Check SID codes", "due_on": "2030-01-01", "assignee": str(partner.uuid)},
    )
    page = client.get(f"/cases/{case.uuid}/").content.decode()
    assert "Check SID codes" in page and "2030-01-01" in page
    assert set(case.officers.all()) == {people.owner, partner}
    task = CaseTask.objects.get()
    client.post(f"/cases/{case.uuid}/act", {"task_done": str(task.pk)})
    task.refresh_from_db()
    assert task.done_at is not None
    # An empty task title comes back as the service's message.
    response = client.post(
        f"/cases/{case.uuid}/act",
        {"task_title": "", "due_on": "2030-01-01", "assignee": str(partner.uuid)},
        follow=True,
    )
    assert "Say what is to be done." in response.content.decode()
    assert CaseTask.objects.count() == 1


def test_tasks_and_officers_through_the_api(people, case, partner):
    api = api_for(people.owner)
    response = api.post(
        f"/api/v1/cases/{case.uuid}/officers", {"add": ["PARTNER@ba.test"]}, format="json"
    )
    assert response.status_code == 200
    assert sorted(response.json()["officers"]) == ["owner@ba.test", "partner@ba.test"]
    response = api.post(
        f"/api/v1/cases/{case.uuid}/officers", {"add": ["colleague@zj.test"]}, format="json"
    )
    assert response.status_code == 400
    assert "colleague@zj.test" in response.json()["error"]["message"]
    response = api.post(
        f"/api/v1/cases/{case.uuid}/tasks",
        {"title": "Visit the shop", "due_on": "2030-02-01", "assignee": "partner@ba.test"},
        format="json",
    )
    assert response.status_code == 201
    task_id = response.json()["id"]
    assert response.json()["overdue"] is False
    done = api.post(f"/api/v1/cases/{case.uuid}/tasks/{task_id}/done")
    assert done.status_code == 200 and done.json()["done_at"]
    again = api.post(f"/api/v1/cases/{case.uuid}/tasks/{task_id}/done")
    assert again.status_code == 409
    detail = api.get(f"/api/v1/cases/{case.uuid}").json()
    assert [t["title"] for t in detail["tasks"]] == ["Visit the shop"]
    # Someone who cannot write to the case is refused; someone who cannot see it gets 404.
    assert (
        api_for(people.supervisor)
        .post(f"/api/v1/cases/{case.uuid}/tasks/{task_id}/done")
        .status_code
        == 403
    )
    assert (
        api_for(people.colleague)
        .post(f"/api/v1/cases/{case.uuid}/tasks/{task_id}/done")
        .status_code
        == 404
    )
