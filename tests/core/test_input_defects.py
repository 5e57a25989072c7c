"""Issue 12, the defect of the door for inputs: a Zhejiang officer named a Guangdong sharing
group he cannot see, and IPEX created the seizure, the case and the alert (201); a random uuid
answered "does not exist" where the hidden group did not, which told who has which groups."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from ipex.assistance.models import Alert
from ipex.cases.models import Case
from ipex.core.errors import DomainError
from ipex.core.models import AuditEntry, Distribution
from ipex.directory.models import Node
from ipex.seizures.models import Seizure
from tests.conftest import api_for

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

BODIES = {
    "/api/v1/seizures": {
        "owner_org": "CN-ZJ-CB",
        "seized_on": "2012-03-14",
        "jurisdiction": "CN-ZJ",
        "method": "raid",
        "items": [{"category": "books", "quantity": 30}],
    },
    "/api/v1/cases": {"owner_org": "CN-ZJ-CB", "kind": "online", "title": "Streaming site"},
    "/api/v1/alerts": {
        "owner_org": "CN-ZJ-CB",
        "title": "Container of pirated discs",
        "body": "Due in Ningbo on Monday.",
        "priority": "high",
        "expires_on": TOMORROW,
    },
}
MODELS = {"/api/v1/seizures": Seizure, "/api/v1/cases": Case, "/api/v1/alerts": Alert}


def _counts(model):
    return model.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("url", list(BODIES))
def test_officer_cannot_share_a_new_record_with_a_group_he_cannot_see(people, group, url):
    client = api_for(people.colleague)  # Zhejiang: outside the Guangdong task force
    before = _counts(MODELS[url])
    body = BODIES[url] | {"distribution": "group", "sharing_group": str(group.uuid)}
    response = client.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {"sharing_group": ["Unknown sharing group."]}
    assert _counts(MODELS[url]) == before


@pytest.mark.parametrize("url", list(BODIES))
def test_a_hidden_group_and_a_random_uuid_get_the_same_answer(people, group, url):
    client = api_for(people.colleague)
    answers = []
    for value in (str(group.uuid), str(uuid.uuid4())):
        body = BODIES[url] | {"distribution": "group", "sharing_group": value}
        response = client.post(url, body, format="json")
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]


def test_services_refuse_a_group_the_officer_cannot_see(people, orgs, areas, group):
    from ipex.assistance import services as assistance
    from ipex.cases import services as cases
    from ipex.seizures import services as seizures

    before = (Seizure.objects.count(), Case.objects.count(), Alert.objects.count())
    audit = AuditEntry.objects.count()
    calls = [
        lambda: seizures.seizure_record(
            actor=people.colleague,
            owner_org=orgs.zj,
            seized_on="2012-03-14",
            jurisdiction=areas.zj,
            method="raid",
            items=[{"category": "books", "quantity": 30}],
            distribution=Distribution.GROUP,
            sharing_group=group,
        ),
        lambda: cases.case_open(
            actor=people.colleague,
            owner_org=orgs.zj,
            kind="online",
            title="Streaming site",
            distribution=Distribution.GROUP,
            sharing_group=group,
        ),
        lambda: assistance.alert_create(
            actor=people.colleague,
            owner_org=orgs.zj,
            title="Container",
            body="Due on Monday.",
            priority="high",
            expires_on=TOMORROW,
            distribution=Distribution.GROUP,
            sharing_group=group,
        ),
    ]
    for call in calls:
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.fields == {"sharing_group": ["Unknown sharing group."]}
    assert (Seizure.objects.count(), Case.objects.count(), Alert.objects.count()) == before
    assert AuditEntry.objects.count() == audit


def test_a_group_member_may_still_share_with_his_group(people, group):
    body = BODIES["/api/v1/cases"] | {
        "owner_org": "CN-GD-PSD",
        "distribution": "group",
        "sharing_group": str(group.uuid),
    }
    response = api_for(people.group_member).post("/api/v1/cases", body, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get(uuid=response.json()["uuid"]).sharing_group == group
    # The answer says, as every answer about a shared record does, whose it is, where it
    # comes from and how widely it is shared.
    answer = response.json()
    assert (answer["owner_org"], answer["distribution"], answer["version"]) == (
        "CN-GD-PSD",
        "group",
        1,
    )
    assert answer["origin_node"] == Node.local().name
