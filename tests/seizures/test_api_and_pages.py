"""Seizures, reports and statistics through the API and the pages, with visibility."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ipex.seizures import services
from ipex.seizures.models import PeriodReport, ReportStatus, Seizure
from tests.conftest import api_for, client_for

ITEMS = [{"category": "audiovisual.dvd", "quantity": 1200}, {"category": "books", "quantity": 30}]


def post_seizure(client, **overrides):
    body = {
        "owner_org": "CN-GD-BA-CB",
        "seized_on": "2012-03-14",
        "jurisdiction": "CN-GD-SZ-BA",
        "method": "raid",
        "reference": "BA-1",
        "items": ITEMS,
    } | overrides
    return client.post("/api/v1/seizures", body, format="json")


def test_api_records_a_seizure_and_lists_it_for_the_owner_line(people):
    response = post_seizure(api_for(people.owner))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_quantity"] == 1230
    assert [i["category"] for i in body["items"]] == ["audiovisual.dvd", "books"]
    for who, visible in [
        ("owner", True),
        ("supervisor", True),
        ("national", True),
        ("colleague", False),
        ("group_member", False),
    ]:
        listing = api_for(getattr(people, who)).get("/api/v1/seizures").json()
        assert (listing["count"] == 1) is visible, who
        detail = api_for(getattr(people, who)).get(f"/api/v1/seizures/{body['uuid']}")
        assert detail.status_code == (200 if visible else 404)


def test_api_bad_quantity_gets_the_error_shape_and_writes_nothing(people):
    response = post_seizure(api_for(people.owner), items=[{"category": "books", "quantity": -3}])
    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]
    assert not Seizure.objects.exists()


def test_api_unknown_category_is_named(people):
    response = post_seizure(api_for(people.owner), items=[{"category": "comics", "quantity": 3}])
    assert response.status_code == 400
    assert "unknown category 'comics'" in response.json()["error"]["fields"]["items.1"][0]


def test_api_only_the_owner_edits(people):
    uuid = post_seizure(api_for(people.owner)).json()["uuid"]
    refused = api_for(people.supervisor).patch(
        f"/api/v1/seizures/{uuid}", {"place": "x"}, format="json"
    )
    assert refused.status_code == 403
    ok = api_for(people.owner).patch(
        f"/api/v1/seizures/{uuid}", {"place": "Market 3"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["place"] == "Market 3"
    assert ok.json()["version"] == 2


def test_api_seizure_list_as_csv(people):
    post_seizure(api_for(people.owner))
    response = api_for(people.owner).get("/api/v1/seizures?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "BA-1" in response.content.decode("utf-8-sig")


def test_stats_api_is_public_for_approved_reports(reporters, orgs, client):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    services.report_set_lines(actor=reporters.county, report=report, lines={"books": 19})
    services.report_submit(actor=reporters.county, report=report)
    services.report_approve(actor=reporters.province_sup, report=report)
    response = client.get("/api/v1/stats/seizures?country=CN&year=2012&by=category")
    assert response.status_code == 200
    rows = {r["category"]: r["quantity"] for r in response.json()}
    assert rows["books"] == 19
    csv_response = client.get(
        "/api/v1/stats/seizures?country=CN&year=2012&by=jurisdiction&level=county&format=csv"
    )
    table = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert [(r["jurisdiction"], r["quantity"]) for r in table] == [("CN-GD-SZ-BA", "19")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX&year=2012", "country"),
        ("country=CN", "year"),
        ("country=CN&year=2012&by=colour", "by"),
        ("country=CN&year=twelve", "year"),
        ("country=CN&year=2012&level=planet&by=jurisdiction", "level"),
    ],
)
def test_stats_api_bad_parameters(client, db, query, field):
    response = client.get(f"/api/v1/stats/seizures?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("country", ["cn gd", "\u5e7f\u4e1c\x1b", "CN-" + "X" * 300])
def test_a_malformed_country_code_is_unknown_and_never_cached(client, areas, country):
    """Whatever a reader types is answered like any unknown code; it is not filed in the
    cache (with memcached, such a key would be an error of its own)."""
    import warnings

    from django.core.cache import CacheKeyWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        response = client.get("/api/v1/stats/seizures", {"country": country, "year": 2012})
    assert response.status_code == 400
    assert "Unknown jurisdiction" in response.json()["error"]["fields"]["country"][0]


def test_stats_from_records_are_not_public(client, areas):
    response = client.get("/api/v1/stats/seizures?country=CN&year=2012&source=records")
    assert response.status_code == 403
    assert "statisticians and supervisors" in response.json()["error"]["message"]


def test_report_workflow_through_the_api(reporters, orgs):
    county = api_for(reporters.county)
    created = county.post(
        "/api/v1/reports",
        {"owner_org": "CN-GD-BA-CB", "period_kind": "year", "year": 2012},
        format="json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    lines = county.put(f"/api/v1/reports/{uuid}/lines", {"lines": {"books": 5}}, format="json")
    assert lines.json()["lines"] == [{"category": "books", "quantity": 5}]
    assert county.post(f"/api/v1/reports/{uuid}/submit").json()["status"] == "submitted"
    own = county.post(f"/api/v1/reports/{uuid}/approve")
    assert own.status_code == 403
    approved = api_for(reporters.province_sup).post(f"/api/v1/reports/{uuid}/approve")
    assert approved.json()["status"] == "approved"
    locked = county.put(f"/api/v1/reports/{uuid}/lines", {"lines": {"books": 6}}, format="json")
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "locked"
    revision = county.post(
        f"/api/v1/reports/{uuid}/revise", {"reason": "late figures"}, format="json"
    )
    assert revision.status_code == 201
    assert revision.json()["revision"] == 1


def test_colleague_cannot_see_another_organisations_report(reporters, people, orgs):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    assert api_for(people.colleague).get(f"/api/v1/reports/{report.uuid}").status_code == 404
    assert client_for(people.colleague).get(f"/reports/{report.uuid}/").status_code == 404


# ---------------------------------------------------------------- pages


def test_record_a_seizure_with_two_lines_in_the_page(people):
    client = client_for(people.owner)
    assert client.get("/seizures/new").status_code == 200
    response = client.post(
        "/seizures/new",
        {
            "owner_org": "CN-GD-BA-CB",
            "seized_on": "2012-03-14",
            "jurisdiction": "CN-GD-SZ-BA",
            "method": "raid",
            "distribution": "org",
            "reference": "PAGE-1",
            "item-category": ["audiovisual.dvd", "books", ""],
            "item-quantity": ["100", "20", ""],
            "item-unit": ["discs", "copies", "items"],
            "item-description": ["", "", ""],
            "item-value_amount": ["", "", ""],
            "item-value_currency": ["", "", ""],
            "item-disposition": ["confiscated", "destroyed", "confiscated"],
        },
    )
    assert response.status_code == 302
    seizure = Seizure.objects.get(reference="PAGE-1")
    assert seizure.items.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "PAGE-1" in detail and "DVD" in detail


def test_page_shows_item_errors_beside_the_line_and_saves_nothing(people):
    people.owner.language = "zh-hans"
    people.owner.save()
    response = client_for(people.owner).post(
        "/seizures/new",
        {
            "owner_org": "CN-GD-BA-CB",
            "seized_on": "2012-03-14",
            "jurisdiction": "CN-GD-SZ-BA",
            "method": "raid",
            "distribution": "org",
            "item-category": ["books"],
            "item-quantity": ["-4"],
            "item-unit": ["items"],
            "item-description": [""],
            "item-value_amount": [""],
            "item-value_currency": [""],
            "item-disposition": ["confiscated"],
        },
    )
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    assert "item-errors" in response.content.decode()
    assert not Seizure.objects.exists()


def test_htmx_adds_an_item_line(people):
    response = client_for(people.owner).get("/seizures/item-line", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="item-category"' in response.content.decode()


def test_seizure_list_filters_and_exports_only_what_the_user_sees(people, record, orgs):
    record()
    record(
        owner=orgs.zj,
        who=people.colleague,
        where=orgs.zj.jurisdiction,
        items=[{"category": "software", "quantity": 7}],
        reference="ZJ-1",
    )
    owner = client_for(people.owner)
    page = owner.get("/seizures/?category=audiovisual").content.decode()
    assert "ZJ-1" not in page
    exported = b"".join(owner.get("/seizures/export.csv").streaming_content).decode("utf-8-sig")
    assert "ZJ-1" not in exported and "audiovisual.dvd" in exported
    national = client_for(people.national).get("/seizures/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(national.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "uuid" and len(rows) == 4  # header + 2 lines + 1 line


def test_report_pages_approve_through_the_chain(reporters, orgs):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    county = client_for(reporters.county)
    county.post(f"/reports/{report.uuid}/figures", {"line-books": "12", "comment": ""})
    county.post(f"/reports/{report.uuid}/submit")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    supervisor = client_for(reporters.province_sup)
    overview = supervisor.get("/reports/?year=2012").content.decode()
    assert "CN-GD-BA-CB" in overview or orgs.ba.name_en in overview
    page = supervisor.get(f"/reports/{report.uuid}/").content.decode()
    assert 'id="approve-report"' in page
    supervisor.post(f"/reports/{report.uuid}/approve")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert 'id="approve-report"' not in county.get(f"/reports/{report.uuid}/").content.decode()


def test_statistics_page_is_public_and_drills_down(reporters, orgs, client):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    services.report_set_lines(actor=reporters.county, report=report, lines={"books": 1908})
    services.report_submit(actor=reporters.county, report=report)
    services.report_approve(actor=reporters.province_sup, report=report)
    page = client.get("/statistics/?country=CN&year=2012")
    assert page.status_code == 200
    body = page.content.decode()
    assert "1,908" in body and "<svg" in body and "CN-GD" in body
    province = client.get("/statistics/?country=CN-GD&year=2012").content.decode()
    assert "CN-GD-SZ-BA" in province


def test_bulletin_page_publishes_for_national_statisticians_only(reporters, orgs, client, people):
    report = services.report_create(
        actor=reporters.national_stat, owner_org=orgs.ncac, period_kind="year", year=2012
    )
    services.report_set_lines(
        actor=reporters.national_stat, report=report, lines={"books": 19_080_000, "other": 90_000}
    )
    services.report_submit(actor=reporters.national_stat, report=report)
    services.report_approve(actor=reporters.national_sup, report=report)
    officer = client_for(people.owner)
    assert officer.post("/statistics/bulletin", {"country": "CN", "year": 2012}).status_code == 404
    stat = client_for(reporters.national_stat)
    preview = stat.get("/statistics/bulletin?country=CN&year=2012").content.decode()
    assert "19.08 million books" in preview and "1908万册" in preview
    stat.post("/statistics/bulletin", {"country": "CN", "year": 2012})
    public = client.get("/statistics/bulletin?country=CN&year=2012").content.decode()
    assert "19.08 million books" in public
    assert PeriodReport.objects.count() == 1


def test_the_export_has_the_import_columns_with_uuid_organisation_and_line(people, record):
    seizure = record(
        reference="BA-9",
        place="Xixiang market",
        items=[
            {
                "category": "audiovisual.dvd",
                "quantity": 1200,
                "description": "DVD-9 discs",
                "value_amount": "6000.00",
                "value_currency": "CNY",
            }
        ],
    )
    response = client_for(people.owner).get("/seizures/export.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "uuid,reference,date,jurisdiction,place,method,organisation,line,category,quantity,"
        "unit,description,value_amount,value_currency,disposition"
    )
    assert lines[1] == (
        f"{seizure.uuid},BA-9,2012-03-14,CN-GD-SZ-BA,Xixiang market,raid,CN-GD-BA-CB,1,"
        "audiovisual.dvd,1200,items,DVD-9 discs,6000.00,CNY,confiscated"
    )
