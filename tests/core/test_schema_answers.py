"""The schema documents every answer the API gives, as the fuzzed contract (tests/fuzz) checks:
each gap it found is pinned here, so it stays closed even if the fuzzer stops generating it."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from ipex.core.api import RECORD_FIELDS
from tests.conftest import api_for

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator(urlconf="ipex.urls").get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_the_error_answers_and_every_write_409(schema):
    missing = []
    for path, method, operation in operations(schema):
        expected = {"400", "401", "403", "404"} | ({"409"} if method in WRITES else set())
        gaps = expected - set(operation["responses"])
        if gaps:
            missing.append((method.upper(), path, sorted(gaps)))
    assert missing == []
    # Lists too: a page past the end is 404, a filter value it does not know 400.
    alerts = schema["paths"]["/api/v1/alerts"]["get"]["responses"]
    error = alerts["404"]["content"]["application/json"]["schema"]["$ref"]
    assert error == "#/components/schemas/Error"


def test_a_page_past_the_end_is_the_documented_404_in_the_error_shape(people):
    answer = api_for(people.owner).get("/api/v1/alerts", {"page": "-247247669"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "item"), [("/api/v1/search", "SearchHit"), ("/api/v1/tips/rewards", "RewardListItem")]
)
def test_paginated_answers_are_documented_as_pages(schema, path, item):
    ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    page = schema["components"]["schemas"][ok["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["items"]["$ref"].endswith(f"/{item}")
    assert {p["name"] for p in schema["paths"][path]["get"]["parameters"]} >= {"page", "page_size"}


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Alert", "sharing_group"),
        ("Request", "case"),
        ("SharingGroupMember", "node"),
        ("Tip", "case"),
        ("TipDetail", "case"),
        ("TipDetail", "duplicate_of"),
        ("RewardListItem", "proposed_by"),
        ("RewardListItem", "approved_by"),
    ],
)
def test_fields_read_through_an_optional_link_are_documented_as_nullable(schema, component, field):
    prop = schema["components"]["schemas"][component]["properties"][field]
    assert "null" in prop["type"], prop


def test_an_evidence_download_is_documented_in_any_media_type(schema):
    operation = schema["paths"]["/api/v1/cases/{uuid}/evidence/{evidence_uuid}"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"*/*"}


def test_the_evidence_list_of_a_case_is_documented_as_the_plain_list_it_is(schema):
    ok = schema["paths"]["/api/v1/cases/{uuid}/evidence"]["get"]["responses"]["200"]
    answer = ok["content"]["application/json"]["schema"]
    assert answer["type"] == "array"
    assert answer["items"]["$ref"] == "#/components/schemas/Evidence"


@pytest.mark.parametrize(
    "component",
    [
        "Agreement",
        "Alert",
        "Campaign",
        "Case",
        "Detention",
        "Meeting",
        "Operation",
        "Recordation",
        "Report",
        "Request",
        "Seizure",
        "Tip",
    ],
)
def test_every_answer_about_a_shared_record_says_whose_it_is_where_from_and_how_shared(
    schema, component
):
    """A partner system reading a case, a tip or a report learns, as it does for a seizure,
    which node it came from and how widely it is shared (cases, tips, reports, campaigns and
    requests did not say so before)."""
    answer = schema["components"]["schemas"][component]
    assert set(RECORD_FIELDS) <= set(answer["properties"])
