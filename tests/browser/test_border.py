"""Issue 15 in a real browser: a customs officer records a detention, the register search
links Pearl River's recordation, the holder's representative is notified and confirms before
the deadline, the officer seizes, and the seizure counts in the 2013 statistics as a customs
seizure; a second detention left unanswered turns "release due"."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from ipex.border import services as border
from ipex.border.models import Detention
from tests.border.conftest import recordation, rights  # noqa: F401 - the personas

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-42"
MONDAY = dt.date(2013, 6, 3)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()


def record_detention(page, live_server, declaration: str) -> Detention:
    page.goto(f"{live_server.url}/border/detentions/new/")
    page.get_by_label("Declaration number").fill(declaration)
    page.get_by_label("Direction").select_option("export")
    page.get_by_label("Place (customs office, border crossing)").fill("Manzhouli rail crossing")
    page.get_by_label("Route (countries)").fill("CN, RU")
    page.get_by_label("Means of transport").select_option("rail")
    page.get_by_label("Consignee").fill("Ivan Petrov, Chita")
    line = page.locator("#detention-lines tr").first
    line.locator("input[name=line-description]").fill("DVD discs")
    line.locator("select[name=line-category]").select_option("audiovisual.dvd")
    line.locator("input[name=line-quantity]").fill("1200")
    page.locator("#register-q").fill("Pearl River")
    page.locator("#register-search").click()
    match = page.locator("#register-matches input[name=recordation]")
    assert "GZ-2013-1" in page.locator("#register-matches").inner_text()
    match.first.check()
    page.locator("#save-detention").click()
    page.wait_for_url("**/border/detentions/*/")
    return Detention.objects.get(declaration_number=declaration)


def test_detain_notify_confirm_seize_and_count(
    transactional_db,
    live_server,
    new_page,
    rights,  # noqa: F811
    recordation,  # noqa: F811
    people,
    monkeypatch,
):
    clock = SimpleNamespace(localdate=lambda: MONDAY, now=timezone.now)
    monkeypatch.setattr("ipex.border.services.detentions.timezone", clock)
    mail.outbox.clear()
    officer = new_page()
    sign_in(officer, live_server, rights.officer)
    detention = record_detention(officer, live_server, "5101-2013-0042")
    assert list(detention.recordations.all()) == [recordation]
    # China: three working days after Monday 3 June 2013.
    assert officer.locator("#answer-by").inner_text() == "2013-06-06"
    assert {m.to[0] for m in mail.outbox} == {"li@prav.test", "anna@prav.test"}

    holder = new_page()
    sign_in(holder, live_server, rights.rep)
    holder.goto(f"{live_server.url}/border/detentions/{detention.uuid}/")
    holder.get_by_label("Answer").select_option("confirm")
    holder.get_by_label("Grounds").fill("No hologram on the spine")
    holder.get_by_role("button", name="Send").click()
    holder.wait_for_load_state()
    assert "Infringement confirmed" in holder.locator("#status").inner_text()

    officer.goto(f"{live_server.url}/border/detentions/{detention.uuid}/")
    officer.get_by_role("button", name="Seized").click()
    officer.wait_for_load_state()
    assert "Seized" in officer.locator("#detention-outcome").inner_text()

    statistician = new_page()
    sign_in(statistician, live_server, people.admin)
    statistician.goto(
        f"{live_server.url}/api/v1/stats/seizures?country=CN&year=2013&by=org_kind&source=records"
        "&format=json"
    )
    rows = json.loads(statistician.locator("body").inner_text())
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert {"org_kind": "customs", "name": "Customs", "quantity": 1200} in rows
    statistician.goto(f"{live_server.url}/statistics/?country=CN&year=2013&source=records")
    assert "1,200" in statistician.locator("#stats-total").inner_text()

    # A second detention nobody answers: the daily check makes its release due.
    second = record_detention(officer, live_server, "5101-2013-0043")
    assert border.detentions_release_due(today=second.answer_by + dt.timedelta(days=1)) == 1
    officer.goto(f"{live_server.url}/border/detentions/{second.uuid}/")
    assert "Release due" in officer.locator("#status").inner_text()
    assert officer.outside_requests == [] and holder.outside_requests == []
