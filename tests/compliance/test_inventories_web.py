"""Inventories through the API and the body's page, and who sees them."""

from pathlib import Path

import pytest

from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import Inventory
from tests.compliance.test_bodies_web import SEES
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def inventories(bodies):
    made = {}
    for which in ("a", "b"):
        with (DATA / "inventory.csv").open("rb") as handle:
            made[which] = inventory_import(
                actor=SYSTEM,
                body=getattr(bodies, which),
                fileobj=handle,
                file_name="inventory.csv",
                year=2013,
            ).inventory
    return made


@pytest.mark.parametrize("persona", SEES)
@pytest.mark.parametrize("which", ["a", "b"])
def test_who_sees_an_inventory(staff, inventories, persona, which):
    user = getattr(staff, persona)
    inventory = inventories[which]
    visible = which in SEES[persona]
    answer = api_for(user).get(f"/api/v1/compliance/inventories/{inventory.uuid}")
    assert answer.status_code == (200 if visible else 404)
    listed = {
        i["uuid"] for i in api_for(user).get("/api/v1/compliance/inventories").json()["results"]
    }
    assert (str(inventory.uuid) in listed) == visible


def test_an_asset_manager_uploads_through_the_api_once(staff, bodies):
    def post():
        with (DATA / "ocs-TAX-PC-002.xml").open("rb") as handle:
            return api_for(staff.manager_a).post(
                "/api/v1/compliance/inventories",
                {"body": bodies.a.code, "file": handle, "year": 2013},
                format="multipart",
            )

    first = post()
    assert first.status_code == 201, first.json()
    assert first.json()["devices"] == 1 and first.json()["already"] is False
    again = post()
    assert again.status_code == 200 and again.json()["already"] is True
    listed = api_for(staff.manager_a).get(
        f"/api/v1/compliance/inventories?body={bodies.a.code}&year=2013"
    )
    assert listed.json()["count"] == 1


def test_an_upload_for_a_hidden_body_names_an_unknown_body(staff, bodies):
    with (DATA / "inventory.csv").open("rb") as handle:
        answer = api_for(staff.manager_a).post(
            "/api/v1/compliance/inventories",
            {"body": bodies.b.code, "file": handle},
            format="multipart",
        )
    assert answer.status_code == 400
    assert "body" in answer.json()["error"]["fields"]
    assert not Inventory.objects.exists()


def test_a_bad_file_through_the_api_gets_its_reason(staff, bodies):
    with (DATA / "billion-laughs.xml").open("rb") as handle:
        answer = api_for(staff.manager_a).post(
            "/api/v1/compliance/inventories",
            {"body": bodies.a.code, "file": handle},
            format="multipart",
        )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "xml_entities"


def test_the_body_page_takes_an_upload_and_shows_the_devices(staff, bodies):
    client = client_for(staff.manager_a)
    with (DATA / "inventory.csv").open("rb") as handle:
        answer = client.post(
            f"/compliance/bodies/{bodies.a.uuid}/inventories", {"fileobj": handle, "year": 2013}
        )
    assert answer.status_code == 302
    page = client.get(f"/compliance/bodies/{bodies.a.uuid}/").content.decode()
    assert "inventory.csv" in page
    assert "3 devices" in page


def test_a_bad_upload_on_the_page_shows_the_rows_in_russian(staff, bodies):
    client = client_for(staff.manager_a)
    with (DATA / "truncated-ocs.xml").open("rb") as handle:
        answer = client.post(
            f"/compliance/bodies/{bodies.a.uuid}/inventories",
            {"fileobj": handle, "year": 2013},
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert answer.status_code == 400
    assert "Файл OCS Inventory NG XML не читается" in answer.content.decode()
    assert not Inventory.objects.exists()


def test_an_upload_to_a_hidden_body_page_is_404(staff, bodies):
    with (DATA / "inventory.csv").open("rb") as handle:
        answer = client_for(staff.manager_a).post(
            f"/compliance/bodies/{bodies.b.uuid}/inventories", {"fileobj": handle}
        )
    assert answer.status_code == 404
