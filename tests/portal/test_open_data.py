"""Open data (issue 16, item 4): the published figures as datasets — CSV, JSON, XLSX, a
Frictionless Data Package and DCAT-AP metadata — at stable, versioned addresses, answering
conditional requests with 304 and any origin with CORS; nothing unpublished in them."""

from __future__ import annotations

import csv
import io
import json

import frictionless
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ipex.core.registry import open_datasets
from ipex.portal.models import DatasetVersion
from ipex.seizures import services
from ipex.seizures.bulletin import national_paragraph
from ipex.seizures.models import Bulletin
from ipex.seizures.reference import national_figures
from tests.conftest import client_for

FILES = ("data.csv", "data.json", "data.xlsx", "datapackage.json", "dcat.jsonld")


def approved_national_report(reporters, orgs, lines, year=2012):
    report = services.report_create(
        actor=reporters.national_stat, owner_org=orgs.ncac, period_kind="year", year=year
    )
    services.report_set_lines(actor=reporters.national_stat, report=report, lines=lines)
    services.report_submit(actor=reporters.national_stat, report=report)
    services.report_approve(actor=reporters.national_sup, report=report)
    return report


def revise(reporters, report, lines):
    revision = services.report_revise(
        actor=reporters.national_stat, report=report, reason="Late returns"
    )
    services.report_set_lines(actor=reporters.national_stat, report=revision, lines=lines)
    services.report_submit(actor=reporters.national_stat, report=revision)
    services.report_approve(actor=reporters.national_sup, report=revision)
    return revision


@pytest.fixture
def published_2012(reporters, orgs):
    """The 2012 national figures approved and their bulletin published."""
    report = approved_national_report(reporters, orgs, national_figures(2012))
    services.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    return report


def get(path, **headers):
    return client_for(None).get(path, **headers)


def latest(file, dataset="seizures", year=2012):
    return reverse("open-data-latest", args=[dataset, year, file])


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def national(rows) -> dict[str, int]:
    return {r["category"]: int(r["quantity"]) for r in rows if r["jurisdiction"] == "CN"}


def test_the_2012_dataset_equals_the_bulletin_and_the_published_figures(published_2012):
    published = national_figures(2012)
    rows = csv_rows(get(latest("data.csv")))
    assert national(rows) == published
    body = json.loads(get(latest("data.json")).content)
    assert national(body["rows"]) == published
    assert body["version"] == 1 and body["superseded"] is None
    sheet = load_workbook(io.BytesIO(get(latest("data.xlsx")).content)).active
    header, *lines = list(sheet.values)
    assert national([dict(zip(header, line, strict=True)) for line in lines]) == published
    bulletin = Bulletin.objects.get(year=2012)
    assert bulletin.text_en.startswith(
        national_paragraph(year=2012, figures=national(rows), language="en")
    )


def test_the_data_package_of_2012_is_valid_for_frictionless(published_2012, tmp_path):
    (tmp_path / "data.csv").write_bytes(get(latest("data.csv")).content)
    descriptor = json.loads(get(latest("datapackage.json")).content)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert {"name": "quantity", "type": "integer", "title": "Quantity seized"} in fields
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    national_rows = [r for r in package.resources[0].read_rows() if r["jurisdiction"] == "CN"]
    assert {r["category"]: r["quantity"] for r in national_rows} == national_figures(2012)


def test_the_catalogue_lists_each_dataset_with_its_downloads(published_2012):
    page = get(reverse("open-data")).content.decode()
    assert "Seizures by year, jurisdiction and category" in page
    assert "Enforcement results by year and country" in page
    for file in FILES:
        assert reverse("open-data-file", args=["seizures", 2012, 1, file]) in page
    enforcement = json.loads(get(latest("data.json", "enforcement")).content)["rows"]
    assert {r["measure"] for r in enforcement} == {"lines", "enterprises"}


def test_a_republished_year_keeps_its_old_version_reachable_and_marked_superseded(
    published_2012, reporters
):
    revise(reporters, published_2012, {**national_figures(2012), "books": 19_090_000})
    services.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    assert national(csv_rows(get(latest("data.csv"))))["books"] == 19_090_000
    old = get(reverse("open-data-file", args=["seizures", 2012, 1, "data.csv"]))
    assert national(csv_rows(old))["books"] == 19_080_000
    page = get(reverse("open-data-version", args=["seizures", 2012, 1])).content.decode()
    assert "Superseded on" in page
    assert reverse("open-data-version", args=["seizures", 2012, 2]) in page
    dcat = json.loads(
        get(reverse("open-data-file", args=["seizures", 2012, 1, "dcat.jsonld"])).content
    )
    assert dcat["dct:isReplacedBy"]["@id"].endswith("/public/data/seizures/2012/v2/")
    # Published again with the same figures: no new version.
    services.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    assert DatasetVersion.objects.filter(dataset="seizures", year=2012).count() == 2


def test_dcat_metadata_describes_every_version_and_its_distributions(published_2012):
    response = get(reverse("open-data-catalog"))
    assert response["Content-Type"] == "application/ld+json"
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    seizures = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "seizures-2012-v1")
    assert {t["@language"] for t in seizures["dct:title"]} == {"en", "zh-hans", "ru"}
    formats = {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in seizures["dcat:distribution"]}
    assert formats == {"CSV", "JSON", "XLSX"}
    assert seizures["dct:temporal"]["dcat:startDate"]["@value"] == "2012-01-01"


def test_a_conditional_get_is_answered_304_without_rendering(
    published_2012, django_assert_max_num_queries
):
    first = get(latest("data.json"))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    with django_assert_max_num_queries(1):  # the version's validators only, never its rows
        again = get(latest("data.json"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    since = get(latest("data.json"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other_file = get(latest("data.csv"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_file.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_NONE_MATCH": "not-an-etag"},
        {"HTTP_IF_NONE_MATCH": '"unterminated'},
        {"HTTP_IF_MODIFIED_SINCE": "yesterday at noon"},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 99 Foo 2012 99:99:99 GMT"},
    ],
)
def test_malformed_validators_are_ignored_and_the_file_is_sent(published_2012, headers):
    response = get(latest("data.csv"), **headers)
    assert response.status_code == 200
    assert national(csv_rows(response)) == national_figures(2012)


def test_public_downloads_carry_cors_and_other_pages_do_not(published_2012):
    for path in [latest(file) for file in FILES] + [reverse("open-data-catalog")]:
        response = get(path)
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
    assert "Access-Control-Allow-Origin" not in get(reverse("public-home"))
    assert "Access-Control-Allow-Origin" not in get(reverse("news-list", args=["en"]))


@pytest.mark.parametrize(
    "path",
    [
        "/public/data/no-such-dataset/2012/data.csv",
        "/public/data/seizures/2011/data.csv",
        "/public/data/seizures/2012/v9/data.csv",
        "/public/data/seizures/2012/v0/",
        "/public/data/seizures/2012/data.pdf",
        "/public/data/seizures/2012/v1/../../2012/data.exe",
        "/public/data/seizures/twenty/data.csv",
        "/public/data/seizures/2012/v1/data.csv/more",
    ],
)
def test_an_unknown_dataset_version_or_format_is_404(published_2012, path):
    assert get(path).status_code == 404


def test_a_download_is_read_only(published_2012):
    assert client_for(None).post(latest("data.csv")).status_code == 405


def test_approved_figures_without_a_published_bulletin_are_in_no_dataset(reporters, orgs):
    approved_national_report(reporters, orgs, national_figures(2012))
    assert get(latest("data.csv")).status_code == 404
    assert "Nothing published yet." in get(reverse("open-data")).content.decode()
    assert json.loads(get(reverse("open-data-catalog")).content)["dcat:dataset"] == []
    assert not DatasetVersion.objects.exists()


def test_the_seizures_dataset_is_declared_by_its_app():
    assert open_datasets["seizures"].trigger == "bulletin"
    assert [name for name, _kind, _title in open_datasets["seizures"].fields][-1] == "quantity"
