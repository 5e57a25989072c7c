"""The visibility matrix for cases, their subjects, evidence downloads and search results:
distribution × persona × endpoint. What a persona may not see is absent (and 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipex.cases import services
from ipex.cases.evidence import evidence_add
from ipex.core.models import Distribution
from tests.conftest import SYSTEM, api_for, client_for
from tests.core.test_visibility_matrix import PERSONAS, SEES

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


@pytest.fixture
def case_of(people, orgs, group, settings, tmp_path):
    settings.DATA_DIR = tmp_path

    def make(distribution):
        case = services.case_open(
            # The Bao'an officer cannot see the Guangdong task force (its owner is above him):
            # the system opens the group-shared case for the matrix, as the memos' matrix does.
            actor=SYSTEM if distribution == Distribution.GROUP else people.owner,
            owner_org=orgs.ba,
            kind="optical_disc_line",
            title=f"Matrixline {distribution}",
            distribution=distribution,
            sharing_group=group if distribution == Distribution.GROUP else None,
        )
        services.subject_link(
            actor=people.owner,
            case=case,
            kind="production_line",
            name=f"Matrixsubject {distribution}",
            role="operator",
            sid_code="IFPI L901",
        )
        evidence_add(
            actor=people.owner,
            case=case,
            upload=SimpleUploadedFile("raid.pdf", b"%PDF-1.4 raid\n%%EOF"),
        )
        return case

    return make


@pytest.mark.parametrize("distribution", list(SEES))
@pytest.mark.parametrize("who", SIGNED_IN)
def test_case_matrix(people, case_of, distribution, who):
    case = case_of(distribution)
    user = getattr(people, who)
    sees = who in SEES[distribution]
    api, page = api_for(user), client_for(user)
    evidence = case.evidence.get()
    subject = case.subject_links.get().subject

    assert api.get(f"/api/v1/cases/{case.uuid}").status_code == (200 if sees else 404)
    assert page.get(f"/cases/{case.uuid}/").status_code == (200 if sees else 404)
    listed = {r["uuid"] for r in api.get("/api/v1/cases").json()["results"]}
    assert (str(case.uuid) in listed) is sees
    assert (case.title in page.get("/cases/").content.decode()) is sees
    exported = b"".join(page.get("/cases/export.csv").streaming_content).decode("utf-8-sig")
    assert (case.reference in exported) is sees
    assert (case.reference in api.get("/api/v1/cases?format=csv").content.decode()) is sees

    # The subject is seen through a visible case (or by its recording organisation's line).
    assert api.get(f"/api/v1/subjects/{subject.uuid}").status_code == (200 if sees else 404)

    # Evidence downloads only through a visible case, on the page and in the API.
    download = page.get(f"/cases/{case.uuid}/evidence/{evidence.uuid}")
    assert download.status_code == (200 if sees else 404)
    download = api.get(f"/api/v1/cases/{case.uuid}/evidence/{evidence.uuid}")
    assert download.status_code == (200 if sees else 404)

    # Search: an invisible case is absent, not even counted.
    found = api.get("/api/v1/search", {"q": "matrixline"}).json()
    assert found["count"] == (1 if sees else 0)
    found = api.get("/api/v1/search", {"q": "matrixsubject"}).json()
    assert found["count"] == (1 if sees else 0)
    text = page.get("/cases/search", {"q": "matrixline"}).content.decode()
    assert ("1 result" in text) is sees and (case.reference in text) is sees


def test_evidence_of_one_case_is_not_reachable_through_another(people, case_of):
    hidden = case_of(Distribution.ORG)
    shown = case_of(Distribution.NODE)
    evidence = hidden.evidence.get()
    # The colleague sees `shown` but not `hidden`: naming the hidden file under the visible
    # case does not reach it.
    api = api_for(people.colleague)
    assert api.get(f"/api/v1/cases/{shown.uuid}/evidence/{evidence.uuid}").status_code == 404
    assert (
        client_for(people.colleague)
        .get(f"/cases/{shown.uuid}/evidence/{evidence.uuid}")
        .status_code
        == 404
    )


def test_anonymous_gets_nothing(people, case_of, client):
    case = case_of(Distribution.PUBLIC)
    assert client.get(f"/cases/{case.uuid}/").status_code == 302
    assert client.get("/cases/search?q=matrixline").status_code == 302
    assert client.get(f"/api/v1/cases/{case.uuid}").status_code == 401
    assert client.get("/api/v1/search?q=matrixline").status_code == 401


def test_case_pages_and_api_do_not_grow_queries_with_cases(
    people, orgs, case_of, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        case = type(case_of(Distribution.NODE)).objects.order_by("-id").first()
        page, api = client_for(people.owner), api_for(people.owner)
        numbers = []
        for url, client in [
            ("/cases/", page),
            (f"/cases/{case.uuid}/", page),
            ("/api/v1/cases", api),
            (f"/api/v1/cases/{case.uuid}", api),
        ]:
            client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            numbers.append(len(ctx.captured_queries))
        return numbers

    first = counts()
    for _ in range(4):
        case_of(Distribution.NODE)
    later = counts()
    # More cases (each with a subject, an action-free timeline and evidence) cost no query.
    assert later == first
