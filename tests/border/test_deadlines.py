"""Deadlines to answer a detention, in working days on the country's calendar (the
``holidays`` package), checked against dates counted by hand from the published calendars."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ipex.border import services as border
from ipex.border.models import DeadlineRule
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db


def deadline(country, day, *, extended=False):
    return border.answer_deadline(border.rule_for(country), day, extended=extended)


def test_the_node_starts_with_rules_for_china_russia_and_the_eu(db):
    rules = {r.country: r for r in DeadlineRule.objects.all()}
    assert (rules["CN"].working_days, rules["CN"].extension_allowed) == (3, False)
    assert rules["CN"].guarantee_required
    assert (rules["RU"].working_days, rules["RU"].extension_days) == (10, 10)
    assert (rules["EU"].calendar, rules["EU"].working_days) == ("XECB", 10)


def test_china_on_the_eve_of_national_day_week_2013(db):
    # Notified Monday 30 September 2013. 1–7 October are the National Day holidays (the 4th
    # and 7th moved from the working weekend days 29 September and 12 October), so the
    # three working days are Tue 8, Wed 9 and Thu 10 October.
    assert deadline("CN", dt.date(2013, 9, 30)) == dt.date(2013, 10, 10)


def test_china_counts_a_weekend_day_made_a_working_day(db):
    # Notified Saturday 28 September 2013. Sunday 29 September is a working day (调休 for
    # National Day): day 1; Monday 30 September: day 2; then the holiday week; Tuesday
    # 8 October: day 3. A calendar of plain weekends would give 9 October.
    assert deadline("CN", dt.date(2013, 9, 28)) == dt.date(2013, 10, 8)
    # Notified Thursday 10 October 2013: Fri 11 (1), Saturday 12 October, a working day
    # (2), Mon 14 (3).
    assert deadline("CN", dt.date(2013, 10, 10)) == dt.date(2013, 10, 14)


def test_russia_on_a_new_year_holiday_2014(db):
    # Notified Friday 3 January 2014, inside the New Year holidays (1–8 January). Working
    # days: Thu 9 (1), Fri 10 (2), Mon 13 – Fri 17 (3–7), Mon 20 (8), Tue 21 (9), Wed 22
    # January (10).
    assert deadline("RU", dt.date(2014, 1, 3)) == dt.date(2014, 1, 22)
    # With the 10-day extension: Thu 23 (11) … Wed 5 February (20).
    assert deadline("RU", dt.date(2014, 1, 3), extended=True) == dt.date(2014, 2, 5)


def test_a_node_administrator_changes_a_rule_and_it_is_audited(people):
    rule = border.deadline_rule_save(
        actor=people.admin, country="cn", calendar="cn", working_days=5, guarantee_required=True
    )
    assert (rule.country, rule.working_days) == ("CN", 5)
    # Mon 30 Sep 2013 + 5 working days: Oct 8, 9, 10, 11, Sat 12 (a working day).
    assert deadline("CN", dt.date(2013, 9, 30)) == dt.date(2013, 10, 12)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "border.deadline_rule.saved"
    assert entry.changes["working_days"] == [3, 5]


def test_a_rule_for_a_new_country_on_its_own_calendar(people):
    border.deadline_rule_save(
        actor=people.admin,
        country="DE",
        calendar="DE",
        working_days=10,
        extension_allowed=True,
        extension_days=10,
    )
    # Notified Tue 24 December 2013: 25 and 26 December are holidays in Germany, 1 January
    # too. Fri 27 (1), Mon 30 (2), Tue 31 (3), Thu 2 Jan (4), Fri 3 (5), Mon 6 – Fri 10 (6–10).
    assert deadline("DE", dt.date(2013, 12, 24)) == dt.date(2014, 1, 10)


def test_a_rule_whose_calendar_is_unknown_is_refused(people):
    with pytest.raises(DomainError) as refused:
        border.deadline_rule_save(actor=people.admin, country="XX", calendar="XX", working_days=5)
    assert refused.value.fields["calendar"] == ["Unknown working-day calendar: XX."]
    assert not DeadlineRule.objects.filter(country="XX").exists()


def test_an_extension_the_rule_does_not_allow_is_refused(people):
    with pytest.raises(DomainError) as refused:
        border.deadline_rule_save(
            actor=people.admin, country="CN", calendar="CN", working_days=3, extension_days=5
        )
    assert "extension_days" in refused.value.fields
    assert DeadlineRule.objects.get(country="CN").extension_days == 0


def test_only_node_administrators_set_rules(people):
    with pytest.raises(Forbidden):
        border.deadline_rule_save(actor=people.owner, country="CN", calendar="CN", working_days=9)
    assert DeadlineRule.objects.get(country="CN").working_days == 3
    assert client_for(people.owner).get("/border/deadline-rules/").status_code == 404


def test_the_api_sets_a_rule_and_computes_a_deadline(people):
    answer = api_for(people.admin).post(
        "/api/v1/border/deadline-rules",
        {
            "country": "RU",
            "calendar": "RU",
            "working_days": 10,
            "extension_allowed": True,
            "extension_days": 5,
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    computed = api_for(people.owner).post(
        "/api/v1/border/deadline-rules/RU/deadline",
        {"notified_on": "2014-01-03", "extended": True},
        format="json",
    )
    # 22 January (above) and five more working days: 23, 24, 27, 28, 29 January.
    assert computed.json()["deadline"] == "2014-01-29"


def test_the_api_refuses_an_unknown_calendar_in_the_users_language(people):
    answer = api_for(people.admin).post(
        "/api/v1/border/deadline-rules",
        {"country": "ZZ", "calendar": "QQ", "working_days": 3},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["calendar"] == [
        "Неизвестный календарь рабочих дней: QQ."
    ]
    assert not DeadlineRule.objects.filter(country="ZZ").exists()
    assert (
        api_for(people.owner)
        .post(
            "/api/v1/border/deadline-rules",
            {"country": "CN", "calendar": "CN", "working_days": 1},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_rules_page_saves_a_rule_and_shows_a_refusal(people):
    browser = client_for(people.admin)
    page = browser.post(
        "/border/deadline-rules/",
        {"country": "EU", "calendar": "NOPE", "working_days": 10, "extension_days": 0},
    )
    assert "Unknown working-day calendar: NOPE." in page.content.decode()
    done = browser.post(
        "/border/deadline-rules/",
        {
            "country": "EU",
            "calendar": "FR",
            "working_days": 10,
            "extension_allowed": "on",
            "extension_days": 10,
        },
    )
    assert done.status_code == 302
    assert DeadlineRule.objects.get(country="EU").calendar == "FR"
    assert Client().get("/border/deadline-rules/").status_code == 302  # sign in first
