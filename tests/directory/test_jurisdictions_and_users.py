"""Jurisdiction additions, the users API, seeding from ISO 3166, case-insensitive sign-in."""

from __future__ import annotations

import pytest

from ipex.core.errors import DomainError, Forbidden
from ipex.directory import services
from ipex.directory.jurisdictions import seed_jurisdictions
from ipex.directory.models import Jurisdiction, Membership, User
from tests.conftest import SYSTEM, api_for, client_for


def test_node_admin_adds_a_city_below_a_province_by_api(people, areas):
    response = api_for(people.admin).post(
        "/api/v1/jurisdictions",
        {
            "code": "cn-gd-gz",
            "level": "city",
            "name_en": "Guangzhou",
            "name_zh_hans": "广州市",
            "parent": "CN-GD",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == "CN-GD"
    city = Jurisdiction.objects.get(code="CN-GD-GZ")
    assert Jurisdiction.objects.within(areas.gd).filter(pk=city.pk).exists()


def test_officer_cannot_add_jurisdictions(people, areas):
    response = api_for(people.owner).post(
        "/api/v1/jurisdictions",
        {"code": "CN-GD-X", "level": "city", "name_en": "X", "parent": "CN-GD"},
        format="json",
    )
    assert response.status_code == 403
    assert not Jurisdiction.objects.filter(code="CN-GD-X").exists()


@pytest.mark.parametrize(
    ("level", "parent", "message"),
    [("province", "CN-GD-SZ-BA", "cannot be part of"), ("city", None, "Only a country")],
)
def test_a_jurisdiction_must_sit_below_its_parent_level(people, areas, level, parent, message):
    with pytest.raises(DomainError, match=message):
        services.jurisdiction_add(
            actor=people.admin,
            code="CN-NEW",
            level=level,
            name_en="New",
            parent=Jurisdiction.objects.get(code=parent) if parent else None,
        )
    assert not Jurisdiction.objects.filter(code="CN-NEW").exists()


def test_jurisdiction_page_form_shows_errors_beside_fields(people, areas):
    response = client_for(people.admin).post(
        "/directory/jurisdictions/new",
        {"parent": "XX-NOPE", "code": "CN-GD-Y", "level": "city", "name_en": "Y"},
    )
    assert response.status_code == 200
    assert "There is no jurisdiction with code XX-NOPE." in response.content.decode()
    assert not Jurisdiction.objects.filter(code="CN-GD-Y").exists()


def test_seeding_from_iso_gives_names_in_three_languages(db):
    added = seed_jurisdictions(countries=["CN"], subdivisions=True, actor=SYSTEM)
    assert added["countries"] == 1 and added["subdivisions"] >= 30
    gd = Jurisdiction.objects.get(code="CN-GD")
    assert (gd.level, gd.name_zh_hans, gd.name_ru) == ("province", "广东省", "Гуандун")
    assert Jurisdiction.objects.get(code="CN").name_ru == "Китай"
    assert seed_jurisdictions(countries=["CN"], actor=SYSTEM) == {"countries": 0, "subdivisions": 0}


def test_node_admin_creates_a_user_with_a_role_by_api(people, orgs):
    response = api_for(people.admin).post(
        "/api/v1/users",
        {
            "email": "New.Officer@GD.test",
            "organisation": "CN-GD-CB",
            "role": "officer",
            "password": "Another-Good-Pass-9",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="new.officer@gd.test")
    assert Membership.objects.filter(user=user, organisation=orgs.gd, role="officer").exists()


def test_user_creation_with_unknown_role_writes_nothing(people, orgs):
    response = api_for(people.admin).post(
        "/api/v1/users",
        {"email": "x@gd.test", "organisation": "CN-GD-CB", "role": "king"},
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]
    assert not User.objects.filter(email="x@gd.test").exists()


def test_officer_sees_only_people_of_their_line_and_cannot_create(people):
    client = api_for(people.supervisor)
    emails = {row["email"] for row in client.get("/api/v1/users").json()["results"]}
    assert {"supervisor@gd.test", "owner@ba.test"} <= emails
    assert "colleague@zj.test" not in emails
    colleague = client.get(f"/api/v1/users/{people.colleague.uuid}")
    assert colleague.status_code == 404
    created = client.post(
        "/api/v1/users",
        {"email": "y@x.test", "organisation": "CN-GD-CB", "role": "officer"},
        format="json",
    )
    assert created.status_code == 403
    assert not User.objects.filter(email="y@x.test").exists()


def test_grant_and_remove_a_role_by_api(people, orgs):
    client = api_for(people.admin)
    url = f"/api/v1/users/{people.colleague.uuid}/roles"
    granted = client.post(url, {"organisation": "CN-ZJ-CB", "role": "liaison"}, format="json")
    assert granted.status_code == 200
    assert {"role": "liaison"}.items() <= granted.json()["memberships"][-1].items()
    removed = client.delete(
        f"{url}/remove", {"organisation": "CN-ZJ-CB", "role": "liaison"}, format="json"
    )
    assert removed.status_code == 200
    assert not people.colleague.memberships.filter(role="liaison").exists()


def test_sign_in_ignores_the_case_of_the_address(people):
    client = client_for(None)
    response = client.post(
        "/accounts/login/", {"username": "Owner@BA.test", "password": "Correct-Horse-42"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_organisation_update_by_officer_is_refused(people, orgs):
    with pytest.raises(Forbidden):
        services.organisation_update(actor=people.owner, organisation=orgs.ba, name_en="Renamed")
    orgs.ba.refresh_from_db()
    assert orgs.ba.name_en == "CN-GD-BA-CB"
