"""Requests to the report API that the fuzzed contract (tests/fuzz) found answered with a status
its schema did not document, or with a 500."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from ipex.seizures import services
from ipex.seizures.models import ReportStatus
from tests.conftest import api_for


@pytest.fixture
def draft(reporters, orgs):
    return services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )


@pytest.mark.parametrize(
    ("step", "body", "code"),
    [
        ("approve", None, "not_submitted"),
        ("return", {"reason": "Figures missing"}, "not_submitted"),
        ("revise", {"reason": "Late seizures"}, "not_approved"),
    ],
)
def test_a_step_a_draft_report_cannot_take_gets_a_documented_409(
    reporters, draft, step, body, code
):
    who = reporters.county if step == "revise" else reporters.province_sup
    answer = api_for(who).post(f"/api/v1/reports/{draft.uuid}/{step}", body, format="json")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == code
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    schema = SchemaGenerator(urlconf="ipex.urls").get_schema(request=None, public=True)
    assert "409" in schema["paths"][f"/api/v1/reports/{{uuid}}/{step}"]["post"]["responses"]


@pytest.mark.parametrize("year", ["²", "99999"])
def test_a_report_list_year_that_is_no_year_filters_nothing(reporters, draft, year):
    answer = api_for(reporters.county).get("/api/v1/reports", {"year": year})
    assert answer.status_code == 200
    assert [r["uuid"] for r in answer.json()["results"]] == [str(draft.uuid)]
