"""Events (issue 16): a time with its time zone, a place or "online", participating
organisations (partner nodes' too) and related records; refusals; public pages and the
iCalendar feed (RFC 5545), which parses back and carries the event."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest
from django.urls import reverse
from icalendar import Calendar

from ipex.campaigns import services as campaigns
from ipex.core.errors import DomainError, Forbidden
from ipex.directory.models import Role
from ipex.portal import services
from ipex.portal.models import Event, EventStatus
from tests.conftest import SYSTEM, client_for, make_user

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def press(orgs):
    return SimpleNamespace(
        officer=make_user("press@ncac.test", orgs.ncac, Role.PRESS_OFFICER),
        approver=make_user("approver@ncac.test", orgs.ncac, Role.NEWS_APPROVER),
    )


def an_event(press, orgs, **extra):
    values = {
        "actor": press.officer,
        "owner_org": orgs.ncac,
        "name_en": "China–Russia video conference on copyright enforcement",
        "name_ru": "Российско-китайская видеоконференция",
        "starts_at": dt.datetime(2030, 4, 10, 15, 0, tzinfo=BEIJING),
        "ends_at": dt.datetime(2030, 4, 10, 17, 0, tzinfo=BEIJING),
        "time_zone": "Asia/Shanghai",
        "online": True,
        "organisations": [orgs.ncac, orgs.foreign],
        "statistics_year": 2012,
    }
    values.update(extra)
    return services.event_create(**values)


def a_published_event(press, orgs, **extra):
    event = an_event(press, orgs, **extra)
    return services.event_publish(actor=press.approver, event=event)


def test_an_event_is_recorded_with_its_time_zone_and_partner_organisations(press, orgs):
    event = an_event(press, orgs)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert event.local_start.hour == 15 and event.local_start.tzinfo.key == "Asia/Shanghai"
    assert event.starts_at == dt.datetime(2030, 4, 10, 7, 0, tzinfo=dt.UTC)
    assert {o.code for o in event.organisations.all()} == {"CN-NCAC", "RU-FCS"}


def test_an_event_ending_before_it_starts_is_refused_and_nothing_is_written(press, orgs):
    with pytest.raises(DomainError) as refused:
        an_event(
            press,
            orgs,
            starts_at=dt.datetime(2030, 4, 10, 17, 0, tzinfo=BEIJING),
            ends_at=dt.datetime(2030, 4, 10, 15, 0, tzinfo=BEIJING),
        )
    assert "ends_at" in refused.value.fields
    assert Event.objects.count() == 0


def test_an_event_needs_a_place_unless_online(press, orgs):
    with pytest.raises(DomainError) as refused:
        an_event(press, orgs, online=False, place="  ")
    assert "place" in refused.value.fields
    event = an_event(press, orgs, online=False, place="Beijing")
    assert event.place == "Beijing"


def test_an_unknown_time_zone_is_refused(press, orgs):
    with pytest.raises(DomainError) as refused:
        an_event(press, orgs, time_zone="Mars/Olympus")
    assert "time_zone" in refused.value.fields
    assert Event.objects.count() == 0


def test_a_special_action_the_officer_cannot_see_is_unknown(press, orgs, people):
    hidden = campaigns.campaign_create(
        actor=SYSTEM,
        owner_org=orgs.psd,  # outside the national administration's line
        name_en="Police action",
        starts_on=dt.date(2012, 1, 1),
        ends_on=dt.date(2012, 6, 30),
        distribution="org",
    )
    with pytest.raises(DomainError) as refused:
        an_event(press, orgs, campaign=hidden)
    assert "campaign" in refused.value.fields
    assert Event.objects.count() == 0


def test_only_a_press_officer_records_and_the_author_does_not_publish(press, orgs, people):
    with pytest.raises(Forbidden):
        an_event(press, orgs, actor=people.national)
    event = an_event(press, orgs)
    with pytest.raises(Forbidden):
        services.event_publish(actor=press.officer, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_a_draft_event_never_reaches_an_anonymous_reader(press, orgs, client):
    draft = an_event(press, orgs, name_en="Draft meeting")
    assert client.get(reverse("event-detail", args=[draft.uuid])).status_code == 404
    assert "Draft meeting" not in client.get(reverse("event-list")).content.decode()
    calendar = Calendar.from_ical(client.get(reverse("event-calendar")).content)
    assert calendar.walk("VEVENT") == []


def test_the_public_event_page_shows_time_place_and_related_records(press, orgs, client):
    event = a_published_event(press, orgs)
    page = client.get(reverse("event-detail", args=[event.uuid])).content.decode()
    assert "China–Russia video conference" in page
    assert "Online (video conference)" in page
    assert "Federal Customs Service" in page
    assert "?year=2012" in page
    assert "Asia/Shanghai" in page
    assert "2030-04-10T15:00:00+08:00" in page
    assert "China–Russia" in client.get(reverse("event-list")).content.decode()


def test_the_icalendar_feed_parses_back_and_carries_the_event(press, orgs, client):
    event = a_published_event(press, orgs, online=False, place="Moscow")
    response = client.get(reverse("event-calendar"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["uid"]) == f"{event.uuid}@ipex"
    assert str(entry["summary"]) == "China–Russia video conference on copyright enforcement"
    assert str(entry["location"]) == "Moscow"
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert start == dt.datetime(2030, 4, 10, 10, 0, tzinfo=MOSCOW)  # the same instant
    assert start.utcoffset() == dt.timedelta(hours=8)  # written in the event's own zone
    assert end - start == dt.timedelta(hours=2)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(entry["url"]).endswith(reverse("event-detail", args=[event.uuid]))


def test_the_event_form_reads_times_in_the_events_zone_and_refuses_bad_input(press, orgs):
    officer = client_for(press.officer)
    form = {
        "owner_org": orgs.ncac.code,
        "name_en": "Meeting in Moscow",
        "starts_at": "2030-05-01T10:00",
        "ends_at": "2030-05-01T12:00",
        "time_zone": "Europe/Moscow",
        "place": "Moscow",
        "organisations": "CN-NCAC, RU-FCS",
    }
    bad = officer.post(reverse("newsroom-event-create"), {**form, "ends_at": "2030-05-01T09:00"})
    assert (
        bad.status_code == 200 and "An event cannot end before it starts." in bad.content.decode()
    )
    unknown = officer.post(reverse("newsroom-event-create"), {**form, "organisations": "XX-NONE"})
    assert "XX-NONE" in unknown.content.decode()
    zone = officer.post(reverse("newsroom-event-create"), {**form, "time_zone": "Nowhere/City"})
    assert zone.status_code == 200
    assert Event.objects.count() == 0
    response = officer.post(reverse("newsroom-event-create"), form)
    event = Event.objects.get()
    assert response["Location"] == reverse("newsroom-event", args=[event.uuid])
    assert event.starts_at == dt.datetime(2030, 5, 1, 10, 0, tzinfo=MOSCOW)
    approver = client_for(press.approver)
    approver.post(reverse("newsroom-event-publish", args=[event.uuid]))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_a_draft_event_is_404_in_the_newsroom_to_those_who_may_not_see_it(press, orgs, people):
    event = an_event(press, orgs)
    outsider = client_for(people.colleague)
    assert outsider.get(reverse("newsroom-event", args=[event.uuid])).status_code == 404
    assert outsider.post(reverse("newsroom-event-publish", args=[event.uuid])).status_code == 404
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
