"""Meetings and action items on one node: the owner updates its item, others may not; bad
dates, owners and time zones are refused; overdue items show on the dashboard."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from ipex.cooperation import services
from ipex.cooperation.models import ItemUpdate, Meeting
from ipex.core.errors import DomainError, Forbidden
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def meeting(coop, **changes):
    fields = {
        "actor": coop.police,
        "owner_org": coop.orgs.psd,
        "participants": [coop.orgs.gd, coop.orgs.foreign],
        "title": "Video conference on disc exports",
        "kind": "multilateral",
        "mode": "video",
        "starts_at": dt.datetime(2013, 7, 29, 10, 0, tzinfo=MOSCOW),
        "ends_at": dt.datetime(2013, 7, 29, 12, 0, tzinfo=MOSCOW),
        "time_zone": "Europe/Moscow",
        "minutes": {"en": "Agreed to exchange data.", "ru": "Договорились обмениваться."},
        "items": [
            {"owner": coop.orgs.gd, "text": "Send the list of lines", "due_on": "2013-08-31"}
        ],
    }
    return services.meeting_create(**{**fields, **changes})


def test_the_owner_updates_its_item_and_everyone_sees_the_status(coop):
    record = meeting(coop)
    item = record.items.get()
    services.item_update(actor=coop.bureau, item=item, status="done", note="Sent on 30 August")
    update = ItemUpdate.objects.get()
    assert update.owner_org == coop.orgs.gd and update.sharing_group.members.count() == 3
    services.item_update(actor=coop.bureau, item=item, status="in_progress")
    assert ItemUpdate.objects.get().version == 2  # one record of its own, updated
    answer = api_for(coop.police).get(f"/api/v1/meetings/{record.uuid}").json()
    assert answer["items"][0]["status"] == "in_progress"
    assert answer["minutes"]["ru"] == "Договорились обмениваться."


def test_an_update_by_an_organisation_that_does_not_own_the_item_is_refused(coop):
    item = meeting(coop).items.get()
    with pytest.raises(Forbidden):
        services.item_update(actor=coop.police, item=item, status="done")
    answer = api_for(coop.police).post(
        f"/api/v1/meetings/{item.meeting.uuid}/item-status",
        {"item": str(item.uuid), "status": "done"},
        format="json",
    )
    assert answer.status_code == 403 and not ItemUpdate.objects.exists()


def test_an_item_of_a_partners_organisation_is_not_updated_here(coop):
    item = meeting(coop, items=[{"owner": coop.orgs.foreign, "text": "x", "due_on": "2013-09-01"}])
    with pytest.raises(Forbidden) as refused:
        services.item_update(actor=coop.police, item=item.items.get(), status="done")
    assert refused.value.message == "Only the organisation that owns the item updates it."


def test_an_action_item_owned_by_a_non_participant_is_refused(coop):
    with pytest.raises(DomainError) as refused:
        meeting(coop, items=[{"owner": coop.orgs.zj, "text": "x", "due_on": "2013-09-01"}])
    assert refused.value.fields["items"] == [
        "An action item belongs to an organisation taking part."
    ]
    assert not Meeting.objects.exists()


def test_a_meeting_ending_before_it_starts_is_refused(coop):
    with pytest.raises(DomainError) as refused:
        meeting(coop, ends_at=dt.datetime(2013, 7, 29, 9, 0, tzinfo=MOSCOW))
    assert refused.value.fields["ends_at"] == ["The meeting cannot end before it starts."]
    answer = api_for(coop.police).post(
        "/api/v1/meetings",
        {
            "owner_org": "CN-GD-PSD",
            "participants": ["CN-GD-CB"],
            "title": "Backwards",
            "kind": "bilateral",
            "mode": "in_person",
            "starts_at": "2013-07-29T10:00:00+03:00",
            "ends_at": "2013-07-29T09:00:00+03:00",
            "time_zone": "Mars/Olympus",
        },
        format="json",
    )
    fields = answer.json()["error"]["fields"]
    assert answer.status_code == 400 and "time_zone" in fields and "ends_at" in fields
    assert not Meeting.objects.exists()


def test_times_keep_their_zone_and_the_page_shows_local_time(coop):
    record = meeting(coop)
    page = client_for(coop.bureau).get(f"/cooperation/meetings/{record.uuid}/").content.decode()
    assert "2013-07-29 10:00" in page and "Europe/Moscow" in page
    assert client_for(coop.outsider).get(f"/cooperation/meetings/{record.uuid}/").status_code == 404


def test_overdue_items_show_on_the_dashboard_and_the_owner_updates_from_the_page(coop):
    record = meeting(coop)
    client = client_for(coop.bureau)
    home = client.get("/").content.decode()
    assert "Send the list of lines" in home and "overdue" in home
    item = record.items.get()
    client.post(f"/cooperation/meetings/{record.uuid}/", {"item": str(item.uuid), "status": "done"})
    assert "Send the list of lines" not in client.get("/").content.decode()
    assert "overdue" not in client_for(coop.outsider).get("/").content.decode()


def test_the_demo_video_conference_has_two_action_items(coop):
    from ipex.cooperation.demo import TITLE, demo_lines
    from ipex.directory import services as directory
    from ipex.directory.models import OrgKind
    from tests.conftest import SYSTEM

    for code in ("CN-MPS", "CN-GAC"):
        directory.organisation_create(
            actor=SYSTEM, code=code, kind=OrgKind.POLICE, name_en=code, jurisdiction=coop.areas.cn
        )
    assert demo_lines("CN") and demo_lines("CN") == []  # idempotent
    record = Meeting.objects.get(title=TITLE)
    assert sorted(record.items.values_list("owner__code", flat=True)) == ["CN-GAC", "CN-MPS"]


def test_the_new_meeting_page_takes_local_times_and_action_items(coop):
    client = client_for(coop.police)
    form = {
        "owner_org": "CN-GD-PSD",
        "participants": "RU-FCS",
        "title": "Customs video conference",
        "kind": "bilateral",
        "mode": "video",
        "time_zone": "Europe/Moscow",
        "starts_at": "2013-07-29T10:00",
        "ends_at": "2013-07-29T12:00",
        "items": "RU-FCS; 2013-10-31; Send the list of importers",
    }
    bad = client.post("/cooperation/meetings/new", form | {"items": "RU-FCS; soon; x"})
    assert "organisation code; YYYY-MM-DD; what" in bad.content.decode()
    stranger = client.post("/cooperation/meetings/new", form | {"items": "CN-ZJ-CB; 2013-10-31; x"})
    assert "An action item belongs to an organisation taking part." in stranger.content.decode()
    assert not Meeting.objects.exists()
    client.post("/cooperation/meetings/new", form)
    record = Meeting.objects.get()
    assert record.starts_at == dt.datetime(2013, 7, 29, 10, 0, tzinfo=MOSCOW)
    assert record.items.get().owner == coop.orgs.foreign
