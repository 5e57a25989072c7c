"""The rest of the case API and pages: detail with what hangs off it, evidence through the
API, legal provisions, CSV export of the list, special-action targets counted from cases."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipex.campaigns import services as campaigns
from ipex.cases import services
from ipex.cases.models import Case, Evidence, LegalProvision
from ipex.core.models import AuditEntry
from tests.conftest import api_for, client_for

PDF = b"%PDF-1.4\n% record of the raid\n%%EOF\n"


@pytest.fixture
def case(people, orgs, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Line"
    )


def test_evidence_is_uploaded_listed_and_downloaded_through_the_api(people, case):
    api = api_for(people.owner)
    response = api.post(
        f"/api/v1/cases/{case.uuid}/evidence",
        {"file": SimpleUploadedFile("raid.pdf", PDF), "description": "Raid record"},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    listing = api.get(f"/api/v1/cases/{case.uuid}/evidence").json()
    assert [e["filename"] for e in listing] == ["raid.pdf"]
    download = api_for(people.supervisor).get(
        f"/api/v1/cases/{case.uuid}/evidence/{listing[0]['uuid']}"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="cases.evidence.downloaded").count() == 1


def test_a_disguised_file_is_refused_by_the_api_and_nothing_is_written(people, case):
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/evidence",
        {"file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 executable")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_file_type"
    assert not Evidence.objects.exists()
    # Only the case's organisation uploads: the supervisor reads but may not add.
    response = api_for(people.supervisor).post(
        f"/api/v1/cases/{case.uuid}/evidence",
        {"file": SimpleUploadedFile("raid.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 403


def test_case_detail_carries_actions_subjects_and_only_visible_seizures(people, case, record, orgs):
    mine = record(reference="BA-1")
    services.case_link_seizure(actor=people.owner, case=case, seizure=mine)
    services.subject_link(
        actor=people.owner, case=case, kind="production_line", name="Line 3", role="operator"
    )
    services.case_add_action(actor=people.owner, case=case, kind="raid", taken_on="2013-03-02")
    detail = api_for(people.owner).get(f"/api/v1/cases/{case.uuid}").json()
    assert detail["seizures"] == [str(mine.uuid)]
    assert [s["name"] for s in detail["subjects"]] == ["Line 3"]
    assert [a["kind"] for a in detail["actions"]] == ["raid"]
    assert detail["officers"] == ["owner@ba.test"]


def test_case_list_filters_and_csv_export(people, orgs, case):
    other = services.case_open(actor=people.owner, owner_org=orgs.ba, kind="online", title="Web")
    services.case_transition(actor=people.owner, case=other, action="investigate")
    client = client_for(people.owner)
    page = client.get("/cases/", {"status": "investigating"}).content.decode()
    assert other.reference in page and case.reference not in page
    exported = b"".join(
        client.get("/cases/export.csv", {"kind": "optical_disc_line"}).streaming_content
    ).decode("utf-8-sig")
    lines = exported.strip().splitlines()
    assert lines[0].split(",")[:4] == ["uuid", "reference", "year", "kind"]
    assert len(lines) == 2 and case.reference in lines[1] and "owner@ba.test" in lines[1]
    api_csv = api_for(people.owner).get("/api/v1/cases", {"format": "csv", "kind": "online"})
    assert api_csv["Content-Type"].startswith("text/csv")
    assert other.reference in api_csv.content.decode() and case.reference not in (
        api_csv.content.decode()
    )


def test_only_node_admins_add_legal_provisions(people):
    data = {
        "code": "CN-TEST-1",
        "name_en": "Test fine",
        "penalty_type": "fine",
        "minimum": "0",
        "maximum": "50000",
        "currency": "cny",
    }
    assert (
        api_for(people.owner).post("/api/v1/legal-provisions", data, format="json").status_code
        == 403
    )
    response = api_for(people.admin).post("/api/v1/legal-provisions", data, format="json")
    assert response.status_code == 201 and response.json()["currency"] == "CNY"
    codes = [
        p["code"] for p in api_for(people.owner).get("/api/v1/legal-provisions").json()["results"]
    ]
    assert "CN-TEST-1" in codes and "CN-CL-217" in codes
    assert "CN-TEST-1" in client_for(people.owner).get("/cases/provisions/").content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "CN-CL-217"}, "code", "A provision with this code exists already."),
        ({"code": "bad code!"}, "code", "Use capital letters, digits and hyphens, e.g. CN-CL-217."),
        ({"minimum": "90", "maximum": "10"}, "maximum", "The maximum is below the minimum."),
        ({"currency": ""}, "currency", "A fine needs its currency (ISO 4217, e.g. CNY)."),
        ({"name_en": " "}, "name_en", "This field is required."),
    ],
)
def test_bad_provisions_are_refused_on_the_page(people, change, field, message):
    before = LegalProvision.objects.count()
    data = {
        "code": "CN-NEW-1",
        "name_en": "New",
        "penalty_type": "fine",
        "minimum": "0",
        "maximum": "100",
        "currency": "CNY",
        **change,
    }
    response = client_for(people.admin).post("/cases/provisions/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LegalProvision.objects.count() == before
    assert client_for(people.owner).post("/cases/provisions/", data).status_code == 404


def test_campaign_targets_count_lines_closed_and_enterprises_punished(people, orgs):
    campaign = campaigns.campaign_create(
        actor=people.supervisor,
        owner_org=orgs.gd,
        name_en="Disc lines 2013",
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2013, 12, 31),
    )
    for metric in ("lines_closed", "enterprises_punished", "cases_closed"):
        campaigns.campaign_add_target(
            actor=people.supervisor, campaign=campaign, metric=metric, target=2
        )
    line = services.case_open(
        actor=people.owner,
        owner_org=orgs.ba,
        kind="optical_disc_line",
        title="Line",
        campaign=campaign,
    )
    services.case_add_action(actor=people.owner, case=line, kind="shutdown", taken_on="2013-04-01")
    firm = services.case_open(
        actor=people.owner,
        owner_org=orgs.ba,
        kind="licensed_enterprise",
        title="Licensed replicator",
        campaign=campaign,
    )
    for step in ("investigate", "take_action"):
        services.case_transition(actor=people.owner, case=firm, action=step)
    services.case_transition(actor=people.owner, case=firm, action="close", outcome="penalised")
    progress = {
        p["metric"]: p["done"]
        for p in api_for(people.supervisor)
        .get(f"/api/v1/campaigns/{campaign.uuid}")
        .json()["progress"]
    }
    assert progress == {"lines_closed": 1, "enterprises_punished": 1, "cases_closed": 1}
    # The colleague elsewhere sees the campaign (node-wide) but none of the cases.
    hidden = api_for(people.colleague).get(f"/api/v1/campaigns/{campaign.uuid}").json()
    assert {p["done"] for p in hidden["progress"]} == {0}
    assert Case.objects.filter(campaign=campaign).count() == 2
    # The special action's page links to its cases, counted over those the reader can see.
    page = client_for(people.supervisor).get(f"/special-actions/{campaign.uuid}/").content.decode()
    assert f'href="/cases/?campaign={campaign.uuid}">2 cases</a>' in page
    assert f'href="/seizures/?campaign={campaign.uuid}">Seizures of this' in page
    elsewhere = client_for(people.colleague).get(f"/special-actions/{campaign.uuid}/")
    assert ">0 cases</a>" in elsewhere.content.decode()
