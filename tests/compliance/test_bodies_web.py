"""Bodies, lists, catalogue and rules through the API and the pages, and who sees what."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipex.compliance import services
from ipex.compliance.models import NormalisationRule, Obligation, Product, RawString
from ipex.directory.models import Role
from tests.conftest import SYSTEM, api_for, client_for, make_user

pytestmark = pytest.mark.django_db

# persona → which of the bodies it sees (A under Bao'an/Guangdong/NCAC, B under Zhejiang/NCAC)
SEES = {
    "manager_a": {"a"},
    "manager_b": {"b"},
    "owner": {"a"},  # the Bao'an bureau supervises body A
    "supervisor": {"a"},  # Guangdong
    "national": {"a", "b"},
    "colleague": {"b"},  # Zhejiang
    "group_member": set(),  # Guangdong police: not in the line
    "no_org": set(),
}


@pytest.mark.parametrize("persona", SEES)
@pytest.mark.parametrize("which", ["a", "b"])
def test_who_sees_a_body(staff, bodies, persona, which):
    user = getattr(staff, persona)
    body = getattr(bodies, which)
    visible = which in SEES[persona]
    api = api_for(user).get(f"/api/v1/compliance/bodies/{body.uuid}")
    page = client_for(user).get(f"/compliance/bodies/{body.uuid}/")
    assert api.status_code == (200 if visible else 404)
    assert page.status_code == (200 if visible else 404)
    listed = {b["code"] for b in api_for(user).get("/api/v1/compliance/bodies").json()["results"]}
    assert (body.code in listed) == visible
    html = client_for(user).get("/compliance/").content.decode()
    assert (body.code in html) == visible


def _queries_for_the_list(api, web):
    """How many statements the API list and the page of bodies take, each (after a first
    request each, which fills the caches every request finds filled)."""
    api.get("/api/v1/compliance/bodies")
    web.get("/compliance/")
    with CaptureQueriesContext(connection) as on_api:
        assert api.get("/api/v1/compliance/bodies").status_code == 200
    with CaptureQueriesContext(connection) as on_page:
        assert web.get("/compliance/").status_code == 200
    return len(on_api), len(on_page)


def test_the_list_of_bodies_takes_as_many_queries_for_five_bodies_as_for_one(
    orgs, django_assert_num_queries
):
    owner = make_user("owner@ba.test", orgs.ba, Role.AUDITOR)
    one = services.body_register(
        actor=SYSTEM,
        administration=orgs.ba,
        code="CN-GD-BA-ONE",
        name_en="Body one",
        body_kind="government",
    )
    services.obligation_add(actor=owner, body=one, year=2013)
    api, web = api_for(owner), client_for(owner)
    api_one, page_one = _queries_for_the_list(api, web)
    for n in range(2, 6):
        more = services.body_register(
            actor=SYSTEM,
            administration=orgs.ba,
            code=f"CN-GD-BA-N{n}",
            name_en=f"Body {n}",
            body_kind="government",
        )
        services.obligation_add(actor=owner, body=more, year=2013)
    with django_assert_num_queries(api_one):
        listed = api.get("/api/v1/compliance/bodies").json()["results"]
    with django_assert_num_queries(page_one):
        html = web.get("/compliance/").content.decode()
    assert len(listed) == 5
    assert {b["administration"] for b in listed} == {orgs.ba.code}
    assert all(f"CN-GD-BA-N{n}" in html for n in range(2, 6))


def test_an_anonymous_visitor_is_sent_to_sign_in(bodies):
    assert api_for(None).get("/api/v1/compliance/bodies").status_code == 401
    assert client_for(None).get(f"/compliance/bodies/{bodies.a.uuid}/").status_code == 302


def test_an_auditor_registers_a_body_through_the_api(staff, orgs):
    answer = api_for(staff.auditor).post(
        "/api/v1/compliance/bodies",
        {
            "administration": "CN-GD-CB",
            "code": "CN-GD-EDU",
            "name_en": "Education",
            "body_kind": "government",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["administration"] == "CN-GD-CB"
    again = api_for(staff.auditor).post(
        f"/api/v1/compliance/bodies/{answer.json()['uuid']}/obligations",
        {"year": 2013},
        format="json",
    )
    assert again.status_code == 201


def test_a_bad_body_gets_the_error_shape(staff):
    answer = api_for(staff.auditor).post(
        "/api/v1/compliance/bodies",
        {"administration": "CN-NOPE", "code": "X", "name_en": "X", "body_kind": "church"},
        format="json",
    )
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert "administration" in fields and "body_kind" in fields


def test_the_list_imports_through_the_api_and_the_page(staff, orgs):
    upload = io.BytesIO(b"code,name_en,body_kind\nCN-GD-EDU,Education,government\n")
    upload.name = "list.csv"
    answer = api_for(staff.auditor).post(
        "/api/v1/compliance/obligations/import",
        {"administration": "CN-GD-CB", "year": 2013, "file": upload},
        format="multipart",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"added": 1, "registered": 1, "already": 0}
    upload = io.BytesIO(b"code,name_en,body_kind\nCN-GD-EDU2,Education 2,government\n")
    upload.name = "list.csv"
    page = client_for(staff.auditor).post(
        "/compliance/obligations/import",
        {"administration": "CN-GD-CB", "year": 2014, "fileobj": upload},
    )
    assert page.status_code == 302
    assert Obligation.objects.filter(year=2014, body__organisation__code="CN-GD-EDU2").exists()


def test_a_bad_list_on_the_page_shows_the_row_and_writes_nothing(staff, orgs):
    upload = io.BytesIO(b"code,name_en,body_kind,jurisdiction\nCN-GD-EDU,Education,government,ZZ\n")
    upload.name = "list.csv"
    page = client_for(staff.auditor).post(
        "/compliance/obligations/import",
        {"administration": "CN-GD-CB", "year": 2013, "fileobj": upload},
    )
    assert page.status_code == 200
    assert "Row 2" in page.content.decode()
    assert not Obligation.objects.exists()


def test_a_rule_that_does_not_compile_gets_a_400_on_the_pattern(staff):
    answer = api_for(staff.auditor).post(
        "/api/v1/compliance/rules",
        {"kind": "regex", "pattern": "([", "examples": ["x"], "ignore": True},
        format="json",
    )
    assert answer.status_code == 400
    assert "pattern" in answer.json()["error"]["fields"]


def test_a_rule_on_the_page_that_misses_its_example_is_shown_in_chinese(staff):
    client = client_for(staff.auditor)
    page = client.post(
        "/compliance/rules/new",
        {"kind": "prefix", "pattern": "Foo", "examples": "Bar", "ignore": "on"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 200
    assert "该规则与其自身的示例不匹配：“Bar”" in page.content.decode()
    assert not NormalisationRule.objects.filter(pattern="Foo").exists()


def test_a_product_through_the_api(staff):
    answer = api_for(staff.auditor).post(
        "/api/v1/compliance/products",
        {
            "publisher": "GIMP",
            "name": "GIMP",
            "family": "other",
            "licence_model": "foss",
            "spdx_id": "GPL-3.0-or-later",
        },
        format="json",
    )
    assert answer.status_code == 201
    refused = api_for(staff.manager_a).post(
        "/api/v1/compliance/products",
        {"publisher": "X", "name": "X", "family": "other", "licence_model": "commercial"},
        format="json",
    )
    assert refused.status_code == 403


def test_the_unmatched_list_and_its_one_click_mapping(staff):
    services.strings_note({("Foxit Reader", "Foxit"): 7, ("Acme CAD", ""): 2})
    listed = api_for(staff.auditor).get("/api/v1/compliance/unmatched").json()["results"]
    assert [r["name"] for r in listed] == ["Foxit Reader", "Acme CAD"]
    assert api_for(staff.manager_a).get("/api/v1/compliance/unmatched").json()["results"] == []
    assert client_for(staff.manager_a).get("/compliance/unmatched/").status_code == 404
    raw = RawString.objects.get(name="Acme CAD")
    product = Product.objects.get(name="WinRAR")
    hidden = api_for(staff.manager_a).post(
        f"/api/v1/compliance/unmatched/{raw.uuid}/map", {"ignore": True}, format="json"
    )
    assert hidden.status_code == 404
    page = client_for(staff.auditor).post(
        f"/compliance/unmatched/{raw.uuid}/map", {"product": str(product.uuid)}
    )
    assert page.status_code == 302
    raw.refresh_from_db()
    assert raw.product == product
    foxit = RawString.objects.get(name="Foxit Reader")
    answer = api_for(staff.auditor).post(
        f"/api/v1/compliance/unmatched/{foxit.uuid}/map", {"ignore": True}, format="json"
    )
    assert answer.status_code == 201
    assert client_for(staff.auditor).get("/compliance/unmatched/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/compliance/",
        "/compliance/products/",
        "/compliance/rules/",
        "/compliance/bodies/new",
        "/compliance/rules/new",
    ],
)
def test_the_pages_open_for_an_auditor(staff, path):
    assert client_for(staff.auditor).get(path).status_code == 200
