"""Issue path in a real browser: record a seizure with two item lines; import a file with one
bad row and see the row-numbered error and that nothing was imported; fix it, import, and see
the statistics page change."""

from __future__ import annotations

import pytest

from ipex.seizures.models import Seizure

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-42"
HEADER = (
    "reference,date,jurisdiction,place,method,category,quantity,unit,description,"
    "value_amount,value_currency,disposition\n"
)
ROWS = (
    "WEB-7,2012-08-01,CN-GD,Night market,market_inspection,software,{q},discs,,,,"
    "confiscated\nWEB-7,2012-08-01,CN-GD,Night market,market_inspection,books,300,copies,,,,"
    "confiscated\n"
)


def records_total(page, live_server):
    page.goto(f"{live_server.url}/statistics/?country=CN-GD&year=2012&source=records")
    return page.locator("#stats-total").inner_text()


def test_record_import_and_see_statistics_change(
    transactional_db, live_server, page, people, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(people.supervisor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()

    # Record a seizure with two item lines (the second added with htmx).
    page.goto(f"{live_server.url}/seizures/new")
    page.get_by_label("Date").fill("2012-03-14")
    page.get_by_label("Where (jurisdiction code)").fill("CN-GD")
    page.get_by_label("Method").select_option("raid")
    page.get_by_label("Reference").fill("GD-2012-0042")
    lines = page.locator("#item-lines tr.item-line")
    lines.nth(1).get_by_role("button").click()  # remove the second blank line
    assert lines.count() == 1
    page.locator("#add-line").click()
    page.wait_for_function("document.querySelectorAll('#item-lines tr.item-line').length === 2")
    for index, (category, quantity) in enumerate([("audiovisual.dvd", "1200"), ("books", "80")]):
        line = lines.nth(index)
        line.locator("select[name=item-category]").select_option(category)
        line.locator("input[name=item-quantity]").fill(quantity)
    page.locator("#save-seizure").click()
    page.wait_for_url("**/seizures/*/")
    assert "GD-2012-0042" in page.locator("h1").inner_text()
    assert Seizure.objects.get(reference="GD-2012-0042").items.count() == 2
    before = records_total(page, live_server)
    assert "1,280" in before

    # Import a file with one bad row: row-numbered error, nothing imported.
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROWS.format(q="12x"), encoding="utf-8")
    page.goto(f"{live_server.url}/seizures/import")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.locator("#import-submit").click()
    failure = page.locator("#import-failure")
    assert "Nothing was imported" in failure.inner_text()
    assert failure.locator("tbody tr").first.locator("td").first.inner_text() == "2"
    assert not Seizure.objects.filter(reference="WEB-7").exists()
    assert records_total(page, live_server) == before

    # Fix it, import, and the statistics change.
    good = tmp_path / "good.csv"
    good.write_text(HEADER + ROWS.format(q="500"), encoding="utf-8")
    page.goto(f"{live_server.url}/seizures/import")
    page.get_by_label("CSV or XLSX file").set_input_files(str(good))
    page.locator("#import-submit").click()
    assert "Imported 2 rows" in page.locator("#import-result").inner_text()
    assert "2,080" in records_total(page, live_server)
    assert page.outside_requests == []
