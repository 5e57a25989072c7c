"""The body's answer to a rectification order carries its proof: entitlements it recorded
(licences bought) and proof files checked by content, linked to the inspection; the follow-up
page shows them with the reconciliation after the rectification; who may see them; and what
each bad answer gets (nothing half-written)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipex.compliance import services
from ipex.compliance.models import (
    Entitlement,
    Inspection,
    InspectionStatus,
    ProductCompliance,
    RectificationProof,
)
from ipex.core.errors import Conflict, DomainError
from ipex.core.models import AuditEntry
from tests.compliance.test_bodies_web import SEES
from tests.compliance.test_reconciliation import example, product  # noqa: F401
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WINDOWS_10 = ("Microsoft", "Windows 10", "Pro")
DEADLINE = timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture
def ordered(example, staff, settings, tmp_path):  # noqa: F811
    """Body A's inspection: unlicensed Windows 10 found (one device short), rectification
    ordered; proof files kept under ``tmp_path``."""
    settings.DATA_DIR = tmp_path
    inspection = services.inspection_plan(
        actor=staff.auditor, body=example, year=2013, sample_size=7
    )
    inspection = services.inspection_draw(actor=staff.auditor, inspection=inspection, seed=1)
    services.finding_record(
        actor=staff.auditor,
        inspection=inspection,
        device="TAX-PC-003",
        product=product(*WINDOWS_10),
        licensed=False,
        evidence="No licence on record",
    )
    return services.inspection_conclude(
        actor=staff.auditor, inspection=inspection, deadline=DEADLINE, order="License Windows 10"
    )


def bought(body, quantity=1, actor=SYSTEM):
    return services.entitlement_add(
        actor=actor,
        body=body,
        product=product(*WINDOWS_10),
        metric="device",
        quantity=quantity,
        valid_from=dt.date(2013, 1, 1),
        reference="INV-2013-77",
    )


def proofs_dir(tmp_path):
    folder = tmp_path / "compliance-proofs"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_answer_links_its_proof_and_the_follow_up_sees_the_shortfall_gone(
    ordered, staff, tmp_path
):
    line = ProductCompliance.objects.get(body=ordered.body, year=2013, product__name="Windows 10")
    assert line.shortfall == 1
    licences = bought(ordered.body)
    page = client_for(staff.manager_a).post(
        f"/compliance/inspections/{ordered.uuid}/rectify",
        {
            "answer": "Bought one Windows 10 licence",
            "entitlements": [str(licences.uuid)],
            "proofs": [SimpleUploadedFile("invoice-77.pdf", PDF)],
        },
    )
    assert page.status_code == 302
    ordered.refresh_from_db()
    assert ordered.status == InspectionStatus.RECTIFIED
    linked = {(p.entitlement_id, p.file_name) for p in ordered.proofs.all()}
    assert linked == {(licences.pk, ""), (None, "invoice-77.pdf")}
    kept = ordered.proofs.get(entitlement=None)
    assert kept.file_type == "application/pdf"
    assert (tmp_path / "compliance-proofs" / str(kept.uuid)).read_bytes() == PDF
    entry = AuditEntry.objects.filter(action="compliance.inspection.rectified").latest("seq")
    assert entry.changes["entitlements"] == [str(licences.uuid)]
    assert entry.changes["proofs"][0]["file"] == "invoice-77.pdf"

    # The inspector's page: the proof, and the reconciliation now (Windows 10 short no more).
    html = client_for(staff.auditor).get(f"/compliance/inspections/{ordered.uuid}/")
    text = html.content.decode()
    assert "invoice-77.pdf" in text and "INV-2013-77" in text
    assert 'id="shortfall-now"' in text
    assert '<td class="shortfall">0</td>' in text
    download = client_for(staff.auditor).get(
        f"/compliance/inspections/{ordered.uuid}/proofs/{kept.uuid}"
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    closed = services.inspection_follow_up(actor=staff.auditor, inspection=ordered)
    assert closed.status == InspectionStatus.CLOSED


def test_the_api_takes_the_answer_with_its_proof(ordered, staff):
    licences = bought(ordered.body)
    answer = api_for(staff.manager_a).post(
        f"/api/v1/compliance/inspections/{ordered.uuid}/rectify",
        {
            "answer": "Bought one",
            "entitlements": [str(licences.uuid)],
            "proofs": [SimpleUploadedFile("receipt.pdf", PDF)],
        },
        format="multipart",
    )
    assert answer.status_code == 200, answer.json()
    proofs = answer.json()["proofs"]
    assert {p["entitlement"] for p in proofs} == {str(licences.uuid), None}
    assert {p["file_name"] for p in proofs} == {"", "receipt.pdf"}


@pytest.mark.parametrize("persona", SEES)
def test_who_sees_the_proof(ordered, staff, persona):
    services.inspection_rectify(
        actor=staff.manager_a,
        inspection=ordered,
        answer="Bought one",
        proofs=[SimpleUploadedFile("invoice.pdf", PDF)],
    )
    proof = RectificationProof.objects.get()
    visible = "a" in SEES[persona]  # the body itself and the administrations above it
    client = client_for(getattr(staff, persona))
    page = client.get(f"/compliance/inspections/{ordered.uuid}/")
    download = client.get(f"/compliance/inspections/{ordered.uuid}/proofs/{proof.uuid}")
    api = api_for(getattr(staff, persona)).get(f"/api/v1/compliance/inspections/{ordered.uuid}")
    assert page.status_code == download.status_code == api.status_code == (200 if visible else 404)
    if visible:
        assert api.json()["proofs"][0]["file_name"] == "invoice.pdf"


def test_an_answer_after_the_order_is_closed_is_refused(ordered, staff, tmp_path):
    services.inspection_rectify(actor=staff.manager_a, inspection=ordered, answer="Bought")
    services.inspection_follow_up(actor=staff.auditor, inspection=ordered)
    with pytest.raises(Conflict) as refused:
        services.inspection_rectify(
            actor=staff.manager_a,
            inspection=ordered,
            answer="And more",
            proofs=[SimpleUploadedFile("late.pdf", PDF)],
        )
    assert refused.value.code == "order_closed"
    assert "no longer open" in refused.value.message
    page = client_for(staff.manager_a).post(
        f"/compliance/inspections/{ordered.uuid}/rectify", {"answer": "And more"}
    )
    assert page.status_code == 400 and "no longer open" in page.content.decode()
    assert Inspection.objects.get().answer == "Bought"
    assert not RectificationProof.objects.exists() and proofs_dir(tmp_path) == []


def test_a_proof_that_is_not_what_its_name_says_writes_nothing(ordered, staff, tmp_path):
    licences = bought(ordered.body)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00 an executable")
    page = client_for(staff.manager_a).post(
        f"/compliance/inspections/{ordered.uuid}/rectify",
        {
            "answer": "Bought one",
            "entitlements": [str(licences.uuid)],
            "proofs": [SimpleUploadedFile("good.pdf", PDF), fake],
        },
    )
    assert page.status_code == 400
    assert "invoice.pdf" in page.content.decode()
    with pytest.raises(DomainError) as refused:
        services.inspection_rectify(
            actor=staff.manager_a, inspection=ordered, answer="Bought one", proofs=[fake]
        )
    assert refused.value.code == "bad_file_type" and "proofs" in refused.value.fields
    ordered.refresh_from_db()
    assert ordered.status == InspectionStatus.ORDERED and ordered.answer == ""
    assert not RectificationProof.objects.exists() and proofs_dir(tmp_path) == []


def test_an_entitlement_of_another_body_is_refused(ordered, staff, bodies, tmp_path):
    theirs = bought(bodies.b)
    with pytest.raises(DomainError) as refused:
        services.inspection_rectify(
            actor=staff.manager_a,
            inspection=ordered,
            answer="Bought one",
            entitlements=[theirs],
            proofs=[SimpleUploadedFile("invoice.pdf", PDF)],
        )
    assert refused.value.code == "not_own_entitlement"
    assert "entitlements" in refused.value.fields
    api = api_for(staff.manager_a).post(
        f"/api/v1/compliance/inspections/{ordered.uuid}/rectify",
        {"answer": "Bought one", "entitlements": [str(theirs.uuid)]},
        format="json",
    )
    assert api.status_code == 400 and "entitlements" in api.json()["error"]["fields"]
    ordered.refresh_from_db()
    assert ordered.status == InspectionStatus.ORDERED
    assert not RectificationProof.objects.exists() and proofs_dir(tmp_path) == []
    assert Entitlement.objects.filter(body=bodies.b).count() == 1
