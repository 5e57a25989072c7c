"""Evidence files: content-checked types, size limit, SHA-256 recorded, stored outside the web
root, downloaded only through the case, every download audited."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipex.cases import services
from ipex.cases.evidence import evidence_dir
from ipex.cases.models import Evidence
from ipex.core.models import AuditEntry
from tests.conftest import client_for

PDF = b"%PDF-1.4\n% evidence of the raid\n%%EOF\n"


@pytest.fixture
def case(people, orgs, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Line"
    )


def upload(client, case, name, content):
    return client.post(
        f"/cases/{case.uuid}/act",
        {"evidence": SimpleUploadedFile(name, content), "description": "scan"},
    )


def test_a_pdf_is_stored_with_its_hash_and_downloaded_through_the_case(people, case):
    owner = client_for(people.owner)
    upload(owner, case, "raid-report.pdf", PDF)
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (evidence_dir() / str(evidence.uuid)).read_bytes() == PDF
    supervisor = client_for(people.supervisor)
    response = supervisor.get(f"/cases/{case.uuid}/evidence/{evidence.uuid}")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="cases.evidence.downloaded").count() == 1
    colleague = client_for(people.colleague)
    assert colleague.get(f"/cases/{case.uuid}/evidence/{evidence.uuid}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [("invoice.pdf", b"MZ\x90\x00 executable"), ("photo.png", PDF), ("notes.txt", b"hello")],
)
def test_a_disguised_or_unaccepted_file_is_refused_and_nothing_is_written(
    people, case, name, content
):
    owner = client_for(people.owner)
    response = upload(owner, case, name, content)
    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    assert "is not an accepted evidence file" in page
    assert not Evidence.objects.exists()
    assert not evidence_dir().exists() or not any(evidence_dir().iterdir())


def test_an_oversized_file_is_refused(people, case, settings):
    settings.IPEX_EVIDENCE_MAX_BYTES = 10
    upload(client_for(people.owner), case, "big.pdf", PDF)
    assert not Evidence.objects.exists()


def test_a_closed_case_takes_no_evidence(people, case):
    services.case_transition(actor=people.owner, case=case, action="investigate")
    services.case_transition(actor=people.owner, case=case, action="close", outcome="other")
    upload(client_for(people.owner), case, "late.pdf", PDF)
    assert not Evidence.objects.exists()
