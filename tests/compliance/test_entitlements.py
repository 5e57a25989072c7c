"""Entitlements: recorded one by one with a proof checked by content, imported from CSV, and
every bad input refused with nothing written."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipex.compliance import services
from ipex.compliance.models import Entitlement, Product
from ipex.core.errors import DomainError, Forbidden
from tests.compliance.test_bodies_web import SEES
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office():
    return Product.objects.get(name="Office", edition="2016")


def add(body, product, actor=SYSTEM, **values):
    values = {"metric": "device", "quantity": 10, "valid_from": dt.date(2013, 1, 1)} | values
    return services.entitlement_add(actor=actor, body=body, product=product, **values)


def test_an_asset_manager_records_an_entitlement_with_its_proof(
    staff, bodies, office, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    proof = SimpleUploadedFile("invoice-2013-118.pdf", PDF)
    entitlement = add(bodies.a, office, actor=staff.manager_a, reference="GD-2013-118", proof=proof)
    assert entitlement.proof_type == "application/pdf"
    assert len(entitlement.proof_sha256) == 64
    assert (tmp_path / "compliance-proofs" / str(entitlement.uuid)).read_bytes() == PDF
    assert entitlement.valid_on(dt.date(2013, 12, 31))


def test_an_end_before_the_start_is_refused(bodies, office):
    with pytest.raises(DomainError) as refused:
        add(bodies.a, office, valid_from=dt.date(2013, 6, 1), valid_to=dt.date(2013, 5, 31))
    assert refused.value.fields["valid_to"] == ["The licence cannot end before it starts."]
    assert not Entitlement.objects.exists()


def test_a_negative_quantity_is_refused(bodies, office):
    with pytest.raises(DomainError) as refused:
        add(bodies.a, office, quantity=-5)
    assert refused.value.fields["quantity"] == ["A quantity cannot be negative."]
    assert not Entitlement.objects.exists()


def test_a_site_licence_needs_no_quantity_but_others_do(bodies, office):
    assert add(bodies.a, office, metric="site", quantity=0).metric == "site"
    with pytest.raises(DomainError):
        add(bodies.a, office, quantity=0)


def test_a_proof_that_is_not_what_its_name_says_is_refused(bodies, office, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00 an executable")
    with pytest.raises(DomainError) as refused:
        add(bodies.a, office, proof=fake)
    assert refused.value.code == "bad_file_type"
    assert "proof" in refused.value.fields
    assert not Entitlement.objects.exists()
    assert not (tmp_path / "compliance-proofs").exists()


def test_a_body_cannot_record_for_another(staff, bodies, office):
    with pytest.raises(Forbidden):
        add(bodies.b, office, actor=staff.manager_a)


def csv_file(text):
    return io.BytesIO(text.encode())


def test_entitlements_import_from_csv(bodies):
    added = services.entitlements_import(
        actor=SYSTEM,
        body=bodies.a,
        fileobj=csv_file(
            "publisher,product,edition,metric,quantity,valid_from,valid_to,reference,oem\n"
            "Microsoft,Office,2016,device,20,2013-01-01,,GD-2013-118,\n"
            "Kingsoft,WPS Office,,site,0,2013-01-01,2013-12-31,KS-77,\n"
            "Microsoft,Windows 10,Pro,device,30,2012-06-01,,,yes\n"
        ),
    )
    assert added == 3
    assert Entitlement.objects.get(product__name="Windows 10").oem


def test_a_bad_entitlement_file_names_its_rows_and_writes_nothing(bodies):
    with pytest.raises(DomainError) as refused:
        services.entitlements_import(
            actor=SYSTEM,
            body=bodies.a,
            fileobj=csv_file(
                "publisher,product,edition,metric,quantity,valid_from,valid_to\n"
                "Microsoft,Office,2016,device,20,2013-01-01,\n"
                "Microsoft,Office,2016,device,-3,2013-01-01,\n"
                "Microsoft,Office,2016,device,3,2013-06-01,2013-01-01\n"
                "Nobody,Nothing,,device,3,2013-01-01,\n"
                "Microsoft,Office,2016,per-seat,3,2013-01-01,\n"
                "Microsoft,Office,2016,device,three,2013-01-01,\n"
                "Microsoft,Office,2016,device,3,01/06/2013,\n"
            ),
        )
    message = refused.value.message
    assert "Row 3: A quantity cannot be negative." in message
    assert "Row 4: The licence cannot end before it starts." in message
    assert "Row 5" in message and "Nothing" in message
    assert "Row 6" in message and "per-seat" in message
    assert "Row 7" in message and "three" in message
    assert "Row 8" in message and "01/06/2013" in message
    assert not Entitlement.objects.exists()


@pytest.mark.parametrize("persona", SEES)
def test_who_sees_an_entitlement(staff, bodies, office, persona):
    mine, theirs = add(bodies.a, office), add(bodies.b, office)
    user = getattr(staff, persona)
    for which, entitlement in (("a", mine), ("b", theirs)):
        answer = api_for(user).get(f"/api/v1/compliance/entitlements/{entitlement.uuid}")
        assert answer.status_code == (200 if which in SEES[persona] else 404)


def test_an_entitlement_through_the_api(staff, bodies, office):
    api = api_for(staff.manager_a)
    answer = api.post(
        "/api/v1/compliance/entitlements",
        {"body": bodies.a.code, "product": str(office.uuid), "metric": "device", "quantity": 5,
         "valid_from": "2013-01-01"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    bad = api.post(
        "/api/v1/compliance/entitlements",
        {"body": bodies.a.code, "product": str(office.uuid), "metric": "device", "quantity": -1,
         "valid_from": "2013-02-01", "valid_to": "2013-01-01"},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"quantity", "valid_to"}
    hidden = api.post(
        "/api/v1/compliance/entitlements",
        {"body": bodies.b.code, "product": str(office.uuid), "metric": "device", "quantity": 1,
         "valid_from": "2013-01-01"},
        format="json",
    )  # fmt: skip
    assert hidden.status_code == 400 and "body" in hidden.json()["error"]["fields"]
    assert Entitlement.objects.count() == 1


def test_entitlements_import_through_the_api(staff, bodies):
    upload = io.BytesIO(
        b"publisher,product,edition,metric,quantity,valid_from\nMicrosoft,Office,2016,device,2,2013-01-01\n"
    )
    upload.name = "licences.csv"
    answer = api_for(staff.manager_a).post(
        "/api/v1/compliance/entitlements/import",
        {"body": bodies.a.code, "file": upload},
        format="multipart",
    )
    assert answer.status_code == 200 and answer.json() == {"added": 1}


def test_the_body_page_records_an_entitlement_and_shows_refusals(
    staff, bodies, office, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    client = client_for(staff.manager_a)
    url = f"/compliance/bodies/{bodies.a.uuid}/entitlements"
    fields = {
        "product": str(office.uuid),
        "metric": "device",
        "quantity": "4",
        "valid_from": "2013-01-01",
    }
    bad = client.post(url, fields | {"valid_to": "2012-01-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400
    assert not Entitlement.objects.exists()
    fake = SimpleUploadedFile("invoice.pdf", b"GIF89a not a pdf")
    assert client.post(url, fields | {"proof": fake}).status_code == 400
    good = client.post(url, fields | {"proof": SimpleUploadedFile("invoice.pdf", PDF)})
    assert good.status_code == 302
    page = client.get(f"/compliance/bodies/{bodies.a.uuid}/").content.decode()
    assert "invoice.pdf" in page
