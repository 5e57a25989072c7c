"""Issue path in a real browser: open a case after a raid, add a production-line subject,
record a shutdown and a fine, refer for prosecution, record a judgment of 48 months, close
the case, and see it counted on the special action's page."""

from __future__ import annotations

import datetime as dt

import pytest

from ipex.campaigns import services as campaigns
from ipex.cases.models import Case

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-42"


def step(page, label):
    page.locator("#case-step").select_option(label=label)
    page.locator("#h-next + form button[type=submit]").click()


def action(page, kind, day, provision="", penalty="", reason=""):
    page.get_by_label("Action", exact=True).nth(1).select_option(label=kind)
    page.locator("#action-date").fill(day)
    if provision:
        page.locator("#action-provision").select_option(value=provision)
    page.locator("#action-penalty").fill(penalty)
    page.locator("#action-reason").fill(reason)
    page.get_by_role("button", name="Record action").click()


def test_case_from_raid_to_judgment_counts_on_the_special_action(
    transactional_db, live_server, page, people, orgs
):
    campaign = campaigns.campaign_create(
        actor=people.supervisor,
        owner_org=orgs.gd,
        name_en="Disc lines 2013",
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    campaigns.campaign_add_target(
        actor=people.supervisor, campaign=campaign, metric="lines_closed", target=4
    )
    campaigns.campaign_add_target(
        actor=people.supervisor, campaign=campaign, metric="cases_closed", target=2
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(people.owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()

    # Open the case after the raid, within the special action.
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_label("Kind").select_option("optical_disc_line")
    page.get_by_label("Title").fill("Disc line behind the garment workshop")
    page.get_by_label("Special action").select_option(label="Disc lines 2013")
    page.get_by_role("button", name="Save").click()
    case = Case.objects.get()
    assert page.locator("h1").inner_text().startswith(case.reference)
    step(page, "Start the investigation")
    assert page.locator("#case-status").inner_text() == "Investigating"

    # A production-line subject with its SID code.
    page.get_by_label("Kind").select_option("production_line")
    page.locator("#subject-name").fill("Shajing replication line")
    page.locator("#subject-role").select_option("operator")
    page.locator("#subject-sid").fill("ifpi l742")
    page.get_by_role("button", name="Link subject").click()
    assert "IFPI L742" in page.locator("#case-subjects").inner_text()

    # A shutdown and a fine; a fine above the provision's range without a reason is refused.
    action(page, "Shutdown", "2013-05-06")
    action(page, "Administrative fine", "2013-05-07", "CN-CRIR-36", "300000")
    assert "outside the range of CN-CRIR-36" in page.locator("main").inner_text()
    action(page, "Administrative fine", "2013-05-07", "CN-CRIR-36", "200000")
    actions = page.locator("#case-actions").inner_text()
    assert "Shutdown" in actions and "CN-CRIR-36" in actions

    step(page, "Record that action was taken")
    step(page, "Refer for prosecution")
    assert page.locator("#case-status").inner_text() == "Referred for prosecution"

    # The judgment: 48 months under Art. 217 (3 to 7 years).
    action(page, "Judgment", "2013-09-20", "CN-CL-217", "48")
    assert "48 months" in page.locator("#case-actions").inner_text()

    # Closing needs an outcome; then it closes.
    step(page, "Close")
    assert "A case is closed with an outcome." in page.locator("main").inner_text()
    page.locator("#case-outcome").select_option(label="Criminal judgment")
    step(page, "Close")
    assert page.locator("#case-status").inner_text() == "Closed"

    # Counted on the special action's page.
    page.goto(f"{live_server.url}/special-actions/{campaign.uuid}/")
    assert "1 / 4" in page.locator("#target-1").inner_text()
    assert "Production lines cracked down" in page.locator("#target-1").inner_text()
    assert "1 / 2" in page.locator("#target-2").inner_text()
    assert page.locator("#campaign-cases").inner_text() == "1 case"
    assert page.outside_requests == []
