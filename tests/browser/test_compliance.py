"""Software legalisation in a real browser: the asset manager uploads an inventory and sees
the shortfall; an auditor draws a sample, records a finding and orders rectification; the body
records an entitlement with its proof and answers, linking it and a proof file uploaded
through the page; the follow-up sees them and the shortfall gone, and closes the inspection; the
national statistician reads the rate on the statistics page, in Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from ipex.compliance.models import Inspection, InspectionStatus, Product
from tests.browser.test_tips import sign_in
from tests.compliance.conftest import bodies, staff  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent.parent / "compliance" / "data"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_from_inventory_to_closed_inspection_and_the_rate(
    transactional_db,
    live_server,
    new_page,
    staff,  # noqa: F811 - the fixture imported above
    bodies,  # noqa: F811
    settings,
    tmp_path,
):
    settings.DATA_DIR = tmp_path
    url, body = live_server.url, bodies.a
    body_page = f"{url}/compliance/bodies/{body.uuid}/"
    windows = Product.objects.get(publisher="Microsoft", name="Windows 11", edition="Pro")

    # The asset manager uploads the year's inventory: nothing is licensed yet.
    manager = new_page()
    sign_in(manager, url, staff.manager_a)
    manager.goto(body_page)
    inventory = manager.locator("form[action$='/inventories']")
    inventory.locator("[name=fileobj]").set_input_files(str(DATA / "inventory.csv"))
    inventory.locator("[name=year]").fill("2013")
    inventory.locator("button[type=submit]").click()
    assert manager.locator("tr.table-warning").count() > 0  # products with a shortfall

    # An auditor plans the inspection, draws the sample and finds unlicensed Windows.
    auditor = new_page()
    sign_in(auditor, url, staff.auditor)
    auditor.goto(body_page)
    plan = auditor.locator("form[action$='/inspections']")
    plan.locator("[name=year]").fill("2013")
    plan.locator("[name=sample_size]").fill("1")
    plan.locator("button[type=submit]").click()
    inspection = Inspection.objects.get()
    page = f"{url}/compliance/inspections/{inspection.uuid}/"
    auditor.goto(page)
    auditor.locator("form[action$='/draw'] [name=seed]").fill("2013")
    auditor.locator("form[action$='/draw'] button").click()
    inspection.refresh_from_db()
    device = inspection.sample[0]
    assert device in auditor.locator("#sample").inner_text()
    finding = auditor.locator("form[action$='/finding']")
    finding.locator("[name=device]").fill(device)
    finding.locator("[name=product]").select_option(str(windows.uuid))
    finding.locator("[name=evidence]").fill("No licence on record")
    finding.locator("button").click()
    assert device in auditor.locator("#findings").inner_text()
    conclude = auditor.locator("form[action$='/conclude']")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    conclude.locator("[name=deadline]").fill(deadline.isoformat())
    conclude.locator("[name=order]").fill("License Windows 11 on every device")
    conclude.locator("button").click()
    assert "Rectification ordered" in auditor.locator("#inspection-status").inner_text()

    # The body records its licences with the invoice, then answers the order.
    proof = tmp_path / "invoice.pdf"
    proof.write_bytes(PDF)
    manager.goto(body_page)
    entitlement = manager.locator("form[action$='/entitlements']")
    entitlement.locator("[name=product]").select_option(str(windows.uuid))
    entitlement.locator("[name=metric]").select_option("device")
    entitlement.locator("[name=quantity]").fill("10")
    entitlement.locator("[name=valid_from]").fill("2013-01-01")
    entitlement.locator("[name=proof]").set_input_files(str(proof))
    entitlement.locator("button[type=submit]").click()
    manager.goto(page)
    answer = manager.locator("form[action$='/rectify']")
    answer.locator("[name=answer]").fill("Bought 10 licences")
    answer.locator("[name=entitlements]").first.check()  # the licences just recorded
    receipt = tmp_path / "delivery-note.pdf"
    receipt.write_bytes(PDF)
    answer.locator("[name=proofs]").set_input_files(str(receipt))
    answer.locator("button").click()
    assert "Rectified" in manager.locator("#inspection-status").inner_text()

    # The follow-up sees the proof and the shortfall gone, and closes it.
    auditor.goto(page)
    proofs = auditor.locator("#proofs").inner_text()
    assert "delivery-note.pdf" in proofs and "Windows 11" in proofs
    assert auditor.locator("#shortfall-now td.shortfall").all_inner_texts() == ["0"]
    auditor.locator("form[action$='/follow-up'] button").click()
    assert Inspection.objects.get().status == InspectionStatus.CLOSED

    # The national statistician reads the rate, in Chinese.
    national = new_page("zh-CN")
    national.goto(f"{url}/accounts/login/")
    national.locator("input[type=email], input[name=username]").first.fill(staff.national.email)
    national.locator("input[type=password]").fill("Correct-Horse-42")
    national.locator("#login-submit").click()
    national.goto(f"{url}/compliance/statistics?country=CN&year=2013&by=body_kind")
    assert "软件合规统计" in national.locator("h1").inner_text()
    assert national.locator("#compliance-stats .rate").count() == 1
    assert national.locator("svg.chart").count() == 1
