"""The import page and API call the one import service; bad input gets row-numbered errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipex.core.models import Job
from ipex.seizures.models import Seizure
from tests.conftest import api_for, client_for

HEADER = (
    "reference,date,jurisdiction,place,method,category,quantity,unit,description,"
    "value_amount,value_currency,disposition\n"
)
GOOD = HEADER + (
    "IMP-1,2012-05-04,CN-GD-SZ-BA,Market 3,raid,audiovisual.dvd,1200,discs,,,,"
    "confiscated\nIMP-1,2012-05-04,CN-GD-SZ-BA,Market 3,raid,books,40,copies,,,,"
    "destroyed\n"
)
BAD = GOOD.replace("books,40", "books,-40")


def upload(text: str, name="seizures.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_template_downloads(people):
    client = client_for(people.owner)
    csv_file = client.get("/seizures/import/template.csv")
    assert csv_file.status_code == 200
    assert csv_file.content.decode("utf-8-sig").startswith("reference,date,jurisdiction")
    assert client.get("/seizures/import/template.xlsx").content[:2] == b"PK"


def test_page_shows_row_numbered_errors_and_imports_nothing(people):
    client = client_for(people.owner)
    response = client.post("/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": upload(BAD)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "<td>3</td>" in body  # the bad row, counting the header as row 1
    assert not Seizure.objects.exists()


def test_page_imports_a_good_file_then_recognises_it(people):
    client = client_for(people.owner)
    first = client.post("/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)})
    assert first.status_code == 200
    assert "Imported 2 rows" in first.content.decode()
    assert Seizure.objects.get().items.count() == 2
    again = client.post("/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)})
    assert "imported already" in again.content.decode()
    assert Seizure.objects.count() == 1


def test_api_import_and_dry_run(people):
    client = api_for(people.owner)
    dry = client.post(
        "/api/v1/seizures/imports",
        {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD), "dry_run": "true"},
        format="multipart",
    )
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] is True and dry.json()["seizures"] == 1
    assert not Seizure.objects.exists()
    real = client.post(
        "/api/v1/seizures/imports",
        {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)},
        format="multipart",
    )
    assert real.json()["items"] == 2


def test_api_import_error_uses_the_error_shape(people):
    response = api_for(people.owner).post(
        "/api/v1/seizures/imports",
        {"owner_org": "CN-GD-BA-CB", "file": upload(BAD)},
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_failed"
    assert "row 3" in error["fields"]


def test_large_upload_goes_to_the_worker_and_reports_progress(
    people, settings, django_capture_on_commit_callbacks
):
    settings.IPEX_IMPORT_SYNC_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.owner).post(
            "/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)}
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert "/jobs/" in response["Location"]
    assert (job.status, job.progress) == ("succeeded", 100)
    assert "Imported 2 rows" in job.message
    assert Seizure.objects.count() == 1


def test_officer_of_another_organisation_cannot_import_for_it(people):
    response = api_for(people.colleague).post(
        "/api/v1/seizures/imports",
        {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Seizure.objects.exists()


def test_an_upload_over_the_limit_is_refused(people, settings):
    settings.IPEX_IMPORT_MAX_BYTES = 100
    response = client_for(people.owner).post(
        "/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD * 3)}
    )
    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()
    assert not Seizure.objects.exists()


def start_by_page(person, file):
    response = client_for(person).post(
        "/seizures/import", {"owner_org": "CN-GD-BA-CB", "file": file}
    )
    if response.status_code == 302:
        return "queued", response["Location"]
    assert response.status_code == 200, response.content
    return "done", response.content.decode()


def start_by_api(person, file):
    response = api_for(person).post(
        "/api/v1/seizures/imports", {"owner_org": "CN-GD-BA-CB", "file": file}, format="multipart"
    )
    if response.status_code == 202:
        return "queued", response.json()["job"]
    assert response.status_code == 200, response.content
    return "done", response.json()["message"]


@pytest.mark.parametrize("start", [start_by_page, start_by_api], ids=["page", "api"])
def test_page_and_api_import_a_small_file_at_once(people, settings, start):
    settings.IPEX_IMPORT_SYNC_BYTES = 10_000
    outcome, shown = start(people.owner, upload(GOOD))
    assert outcome == "done"
    assert "Imported 2 rows" in shown
    assert not Job.objects.exists()
    assert Seizure.objects.get().items.count() == 2


@pytest.mark.parametrize("start", [start_by_page, start_by_api], ids=["page", "api"])
def test_page_and_api_queue_a_large_file_for_the_worker(
    people, settings, start, django_capture_on_commit_callbacks
):
    settings.IPEX_IMPORT_SYNC_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        outcome, shown = start(people.owner, upload(GOOD))
    job = Job.objects.get()
    assert outcome == "queued"
    assert str(job.uuid) in shown
    assert (job.status, job.message) == (
        "succeeded",
        "Imported 2 rows: 1 seizures with 2 items (1,240 seized in all).",
    )
    assert Seizure.objects.count() == 1


def test_a_queued_import_is_refused_to_an_officer_of_another_organisation(people, settings):
    settings.IPEX_IMPORT_SYNC_BYTES = 10
    response = api_for(people.colleague).post(
        "/api/v1/seizures/imports",
        {"owner_org": "CN-GD-BA-CB", "file": upload(GOOD)},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
