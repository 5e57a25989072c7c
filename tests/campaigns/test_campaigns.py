"""Special actions: opened by a supervisor of the lead organisation, targets, progress from
linked seizures (through the one door), linking rules, list filter."""

from __future__ import annotations

import datetime as dt

import pytest

from ipex.campaigns import services
from ipex.campaigns.models import Campaign
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.seizures.models import Seizure
from tests.conftest import api_for, client_for

SPRING = (dt.date(2012, 3, 1), dt.date(2012, 6, 30))


@pytest.fixture
def campaign(people, orgs):
    action = services.campaign_create(
        actor=people.supervisor,
        owner_org=orgs.gd,
        name_en="Spring special action",
        name_zh_hans="春季专项行动",
        starts_on=SPRING[0],
        ends_on=SPRING[1],
        participants=[orgs.psd],
    )
    services.campaign_add_target(
        actor=people.supervisor,
        campaign=action,
        metric="items_seized",
        target=10_000,
        category="audiovisual",
    )
    services.campaign_add_target(
        actor=people.supervisor, campaign=action, metric="seizures", target=4
    )
    return action


def test_progress_counts_linked_seizures(campaign, record, people):
    record(campaign=campaign)  # Bao'an, below the lead: 1200 DVDs + 300 books
    record(campaign=campaign, items=[{"category": "audiovisual.cd", "quantity": 800}])
    record()  # not linked
    response = api_for(people.supervisor).get(f"/api/v1/campaigns/{campaign.uuid}")
    progress = {(p["metric"], p["category"]): p for p in response.json()["progress"]}
    assert progress[("items_seized", "audiovisual")]["done"] == 2000
    assert progress[("items_seized", "audiovisual")]["percent"] == 20
    assert progress[("seizures", "")]["done"] == 2
    page = client_for(people.supervisor).get(f"/special-actions/{campaign.uuid}/")
    assert "2,000 / 10,000" in page.content.decode()


def test_progress_only_counts_seizures_the_user_can_see(campaign, record, people):
    record(campaign=campaign)
    rows = api_for(people.group_member).get(f"/api/v1/campaigns/{campaign.uuid}").json()
    assert {p["metric"]: p["done"] for p in rows["progress"]}["seizures"] == 0


def test_seizure_outside_the_period_or_by_an_outsider_is_refused(campaign, record, people, orgs):
    with pytest.raises(DomainError, match="outside the special action"):
        record(campaign=campaign, day=dt.date(2012, 9, 1))
    with pytest.raises(DomainError, match="does not take part"):
        record(owner=orgs.zj, who=people.colleague, where=orgs.zj.jurisdiction, campaign=campaign)
    assert not Seizure.objects.exists()


def test_only_a_supervisor_of_the_lead_opens_one(people, orgs):
    with pytest.raises(Forbidden):
        services.campaign_create(
            actor=people.owner,
            owner_org=orgs.ba,
            name_en="X",
            starts_on=SPRING[0],
            ends_on=SPRING[1],
        )
    with pytest.raises(DomainError, match="not created"):
        services.campaign_create(
            actor=people.supervisor,
            owner_org=orgs.gd,
            name_en="X",
            starts_on=SPRING[1],
            ends_on=SPRING[0],
        )
    assert not Campaign.objects.exists()


def test_bad_targets_are_refused(campaign, people):
    with pytest.raises(DomainError):
        services.campaign_add_target(
            actor=people.supervisor, campaign=campaign, metric="items_seized", target=0
        )
    with pytest.raises(DomainError):
        services.campaign_add_target(
            actor=people.supervisor,
            campaign=campaign,
            metric="items_seized",
            target=5,
            category="comics",
        )
    with pytest.raises(Conflict):
        services.campaign_add_target(
            actor=people.supervisor, campaign=campaign, metric="seizures", target=9
        )
    with pytest.raises(Forbidden):
        services.campaign_add_target(
            actor=people.owner, campaign=campaign, metric="seizures", target=9, category=""
        )
    assert campaign.targets.count() == 2


def test_seizure_list_filters_by_special_action(campaign, record, people):
    record(campaign=campaign, reference="IN-ACTION")
    record(reference="OUTSIDE")
    page = client_for(people.supervisor).get(f"/seizures/?campaign={campaign.uuid}")
    body = page.content.decode()
    assert "IN-ACTION" in body and "OUTSIDE" not in body
    api = api_for(people.supervisor).get(f"/api/v1/seizures?campaign={campaign.uuid}").json()
    assert [s["reference"] for s in api["results"]] == ["IN-ACTION"]
    assert api["results"][0]["campaign"] == str(campaign.uuid)


def test_create_through_the_api_and_the_page(people, orgs):
    created = api_for(people.supervisor).post(
        "/api/v1/campaigns",
        {
            "owner_org": "CN-GD-CB",
            "name_en": "Summer action",
            "starts_on": "2012-07-01",
            "ends_on": "2012-08-31",
            "participants": ["CN-GD-PSD"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["participants"] == ["CN-GD-PSD"]
    page = client_for(people.supervisor).post(
        "/special-actions/new",
        {
            "owner_org": "CN-GD-CB",
            "name_en": "Autumn action",
            "starts_on": "2012-09-01",
            "ends_on": "2012-11-30",
            "participants": "CN-NOPE",
            "distribution": "node",
        },
    )
    assert page.status_code == 200
    assert "Unknown organisation codes: CN-NOPE" in page.content.decode()
    assert Campaign.objects.count() == 1


def test_campaign_is_404_for_those_who_cannot_see_it(people, orgs):
    action = services.campaign_create(
        actor=people.supervisor,
        owner_org=orgs.gd,
        name_en="Private",
        starts_on=SPRING[0],
        ends_on=SPRING[1],
        distribution="org",
    )
    assert api_for(people.colleague).get(f"/api/v1/campaigns/{action.uuid}").status_code == 404
    assert client_for(people.colleague).get(f"/special-actions/{action.uuid}/").status_code == 404


def test_the_audit_log_names_special_actions_as_before_the_move(campaign):
    """The model moved from cases to campaigns; the log keeps its action and record names."""
    from ipex.core.models import AuditEntry

    entries = AuditEntry.objects.filter(object_uuid=str(campaign.uuid)).order_by("seq")
    assert [(e.action, e.object_type) for e in entries] == [
        ("cases.campaign.created", "cases.campaign"),
        ("cases.campaign.target_added", "cases.campaign"),
        ("cases.campaign.target_added", "cases.campaign"),
    ]


def test_a_category_is_refused_for_a_measure_that_takes_none(campaign, people):
    with pytest.raises(DomainError) as refused:
        services.campaign_add_target(
            actor=people.supervisor,
            campaign=campaign,
            metric="cases_closed",
            target=3,
            category="audiovisual",
        )
    assert "category" in refused.value.fields
    assert campaign.targets.count() == 2


def test_a_special_action_for_a_sharing_group_needs_its_group_and_nothing_is_written(people):
    """A special action has no sharing group of its own (yet): shared with 'a sharing group'
    it is refused with the field named, in the one error shape, and not created."""
    audit_before = AuditEntry.objects.count()
    answer = api_for(people.supervisor).post(
        "/api/v1/campaigns",
        {
            "owner_org": "CN-GD-CB",
            "name_en": "Group action",
            "starts_on": "2012-07-01",
            "ends_on": "2012-08-31",
            "distribution": "group",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {
        "sharing_group": ["Choose the sharing group this record is shared with."]
    }
    assert Campaign.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
