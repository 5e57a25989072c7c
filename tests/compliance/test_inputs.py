"""The door for inputs: an input naming a body the caller may not see answers exactly as one
naming a body that does not exist, or a malformed name, and writes nothing."""

import io

import pytest

from ipex.compliance.models import AuditedBody, Entitlement, Inventory, Product
from ipex.core.models import AuditEntry
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def csv_upload():
    upload = io.BytesIO(b"device,name,publisher,version\nPC-1,7-Zip,Igor Pavlov,23\n")
    upload.name = "inventory.csv"
    return upload


def entitlement_fields(body, product):
    return {
        "body": body,
        "product": product,
        "metric": "device",
        "quantity": 1,
        "valid_from": "2013-01-01",
    }


def with_file(body):
    return {"body": body, "file": csv_upload()}


API = "/api/v1/compliance"
CASES = {
    "inventory upload": (f"{API}/inventories", with_file, "multipart"),
    "entitlement": (f"{API}/entitlements", lambda body: entitlement_fields(body, "P"), "json"),
    "entitlement import": (f"{API}/entitlements/import", with_file, "multipart"),
}


def counts():
    return (
        Inventory.objects.count(),
        Entitlement.objects.count(),
        AuditedBody.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("case", CASES)
def test_a_hidden_body_answers_as_a_missing_or_malformed_one(staff, bodies, case):
    url, data, fmt = CASES[case]
    product = str(Product.objects.get(name="7-Zip").uuid)
    before = counts()
    answers = []
    for name in (bodies.b.code, "CN-NO-SUCH-BODY", "not a code!"):
        body = data(name)
        if "product" in body:
            body["product"] = product
        answer = api_for(staff.manager_a).post(url, body, format=fmt)
        answers.append((answer.status_code, answer.json()))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 400
    assert answers[0][1]["error"]["fields"]["body"] == ["Unknown audited body."]
    assert counts() == before


def test_an_unknown_product_answers_as_a_malformed_one(staff, bodies):
    before = counts()
    answers = []
    for product in ("00000000-0000-4000-8000-000000000000", "not a uuid!"):
        answer = api_for(staff.manager_a).post(
            "/api/v1/compliance/entitlements",
            entitlement_fields(bodies.a.code, product),
            format="json",
        )
        answers.append((answer.status_code, answer.json()))
    assert answers[0] == answers[1]
    assert answers[0][1]["error"]["fields"]["product"] == ["Unknown product."]
    assert counts() == before


def test_a_body_under_a_hidden_administration_cannot_be_registered(staff, orgs):
    before = counts()
    answers = []
    for administration in ("CN-ZJ-CB", "CN-NO-SUCH", "bad code!"):
        answer = api_for(staff.auditor).post(
            "/api/v1/compliance/bodies",
            {
                "administration": administration,
                "code": "CN-X",
                "name_en": "X",
                "body_kind": "private",
            },
            format="json",
        )
        answers.append(answer.status_code)
    # Zhejiang's bureau is a known organisation, but the Guangdong auditor does not act for it
    assert answers == [403, 400, 400]
    assert counts() == before
