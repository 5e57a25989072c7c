"""Requests to the case API that the fuzzed contract (tests/fuzz) found answered with a 500 or
with an answer its schema did not document."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipex.cases import services
from ipex.cases.evidence import evidence_add
from ipex.cases.models import CaseTask
from tests.conftest import api_for


@pytest.fixture
def case(people, orgs):
    return services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Shajing line"
    )


def rows(answer) -> list[dict]:
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_one_case_asked_for_as_csv_is_one_row(people, case):
    answer = api_for(people.national).get(f"/api/v1/cases/{case.uuid}", {"format": "csv"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    [row] = rows(answer)
    assert (row["uuid"], row["reference"], row["title"]) == (
        str(case.uuid),
        case.reference,
        "Shajing line",
    )


def test_a_step_answered_as_csv_is_one_row_and_the_step_is_done(people, case):
    task = services.task_add(
        actor=people.owner,
        case=case,
        title="Interview the landlord",
        due_on=timezone.localdate() + dt.timedelta(days=3),
        assignee=people.owner,
    )
    answer = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/tasks/{task.pk}/done?format=csv"
    )
    assert answer.status_code == 200
    [row] = rows(answer)
    assert row["title"] == "Interview the landlord"
    assert CaseTask.objects.get(pk=task.pk).done_at is not None


def test_an_evidence_file_comes_back_in_the_media_type_it_was_uploaded_with(people, case):
    evidence = evidence_add(
        actor=people.owner, case=case, upload=SimpleUploadedFile("raid.pdf", b"%PDF-1.4\n%%EOF")
    )
    answer = api_for(people.owner).get(f"/api/v1/cases/{case.uuid}/evidence/{evidence.uuid}")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("year", ["99999", "0", "²", "-2013"])
def test_an_enforcement_year_outside_the_calendar_gets_400_in_the_callers_language(people, year):
    answer = api_for(people.national).get(
        "/api/v1/stats/enforcement", {"country": "CN", "year": year}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"year": ["请以数字填写年份，例如 2012。"]}
