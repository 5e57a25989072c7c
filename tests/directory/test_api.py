"""Directory API: the signed-in user, tokens, organisations, jurisdictions, sharing groups,
the audit log and jobs — every refusal in the one error shape, and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ipex.core.models import AuditEntry, Job, JobKind, JobStatus
from ipex.core.services import job_start
from ipex.directory import services
from ipex.directory.models import ApiToken, Organisation, OrgKind, Role, SharingGroup
from tests.conftest import SYSTEM, api_for, client_for, make_user


def bearer(plain: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


def error_of(response) -> dict:
    """The one error shape: {"error": {"code", "message", "fields"}}."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def codes(response) -> set[str]:
    return {row["code"] for row in response.json()["results"]}


# ---------------------------------------------------------------- /me and bearer tokens


def test_bearer_token_shows_the_signed_in_user_and_memberships(people, orgs, token_for):
    response = bearer(token_for(people.owner)).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "owner@ba.test"
    assert body["is_node_admin"] is False
    assert [(m["organisation"]["code"], m["role"]) for m in body["memberships"]] == [
        ("CN-GD-BA-CB", Role.OFFICER)
    ]


def test_using_a_token_is_recorded_as_last_used(people, token_for):
    plain = token_for(people.owner)
    assert bearer(plain).get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get(user=people.owner).last_used_at is not None


def test_user_changes_their_language_to_russian(people, token_for):
    response = bearer(token_for(people.owner)).patch(
        "/api/v1/me", {"language": "ru"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["language"] == "ru"
    people.owner.refresh_from_db()
    assert people.owner.language == "ru"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.user.profile_updated"
    assert entry.changes == {"language": ["", "ru"]}
    assert entry.actor_kind == "token"


def test_unknown_language_is_refused_and_nothing_changes(people, token_for):
    client = bearer(token_for(people.owner))
    before = AuditEntry.objects.count()
    response = client.patch("/api/v1/me", {"language": "xx", "full_name": "Renamed"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "unknown_language"
    assert error["fields"] == {"language": ["Unknown language."]}
    people.owner.refresh_from_db()
    assert (people.owner.language, people.owner.full_name) == ("", "owner")
    assert AuditEntry.objects.count() == before


def test_email_cannot_be_changed_through_me(people, token_for):
    response = bearer(token_for(people.owner)).patch(
        "/api/v1/me", {"email": "evil@x.test"}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"email": ["This field is read-only."]}
    people.owner.refresh_from_db()
    assert people.owner.email == "owner@ba.test"


def test_revoked_token_gets_401_token_revoked(people, token_for):
    plain = token_for(people.owner)
    services.token_revoke(actor=SYSTEM, token=ApiToken.objects.get(user=people.owner))
    response = bearer(plain).get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_revoked"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_expired_token_gets_401_token_expired(people, token_for):
    plain = token_for(people.owner, expires_in_days=30)
    ApiToken.objects.filter(user=people.owner).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = bearer(plain).get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_expired"


def test_forged_token_with_a_real_prefix_gets_401_token_invalid(people, token_for):
    plain = token_for(people.owner)
    marker, prefix, _secret = plain.split("_", 2)
    response = bearer(f"{marker}_{prefix}_forged-secret-0123456789").get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_token_of_a_deactivated_user_is_invalid(people, token_for):
    plain = token_for(people.colleague)
    services.user_set_active(actor=people.admin, user=people.colleague, active=False)
    response = bearer(plain).get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_no_credentials_gets_401_not_authenticated(people):
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_new_token_is_returned_once_and_then_listed_without_its_secret(people):
    client = api_for(people.owner)
    created = client.post(
        "/api/v1/me/tokens", {"name": "statistics export", "expires_in_days": 30}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(f"ipex_{body['prefix']}_")
    assert body["expires_at"] is not None
    # The plain token works...
    assert bearer(body["token"]).get("/api/v1/me").json()["email"] == "owner@ba.test"
    # ...and is never shown again.
    listed = client.get("/api/v1/me/tokens")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["name"] for row in rows] == ["statistics export"]
    assert "token" not in rows[0]
    assert body["token"] not in listed.content.decode()
    # Only the hash of the secret is stored.
    stored = ApiToken.objects.get(uuid=body["uuid"])
    assert body["token"].split("_", 2)[2] not in stored.secret_hash


def test_token_without_a_name_is_refused(people):
    response = api_for(people.owner).post("/api/v1/me/tokens", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]
    assert not ApiToken.objects.filter(user=people.owner).exists()


def test_token_list_shows_only_your_own_tokens(people, token_for):
    token_for(people.owner)
    token_for(people.colleague)
    rows = api_for(people.owner).get("/api/v1/me/tokens").json()["results"]
    assert len(rows) == 1
    assert rows[0]["uuid"] == str(ApiToken.objects.get(user=people.owner).uuid)


def test_deleting_a_token_revokes_it(people, token_for):
    plain = token_for(people.owner)
    token = ApiToken.objects.get(user=people.owner)
    response = bearer(plain).delete(f"/api/v1/me/tokens/{token.uuid}")
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="directory.token.revoked").count() == 1
    assert error_of(bearer(plain).get("/api/v1/me"))["code"] == "token_revoked"


def test_another_users_token_gets_404_and_stays_usable(people, token_for):
    plain = token_for(people.colleague)
    theirs = ApiToken.objects.get(user=people.colleague)
    response = api_for(people.owner).delete(f"/api/v1/me/tokens/{theirs.uuid}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert bearer(plain).get("/api/v1/me").status_code == 200


# ---------------------------------------------------------------- organisations


def test_officer_lists_every_active_organisation(people, orgs):
    response = api_for(people.owner).get("/api/v1/organisations")
    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert codes(response) == {
        "CN-NCAC",
        "CN-GD-CB",
        "CN-GD-BA-CB",
        "CN-ZJ-CB",
        "CN-GD-PSD",
        "RU-FCS",
    }


def test_officer_reads_an_organisation_with_its_supervisor(people, orgs):
    response = api_for(people.owner).get(f"/api/v1/organisations/{orgs.ba.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["jurisdiction"], body["supervisor_code"]) == (
        "CN-GD-BA-CB",
        "CN-GD-SZ-BA",
        "CN-GD-CB",
    )
    assert body["node"] == "Test node CN"


def test_unknown_or_malformed_organisation_uuid_gets_404(people, orgs):
    client = api_for(people.owner)
    for path in (
        "/api/v1/organisations/00000000-0000-0000-0000-000000000000",
        "/api/v1/organisations/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_deactivated_organisation_is_hidden_from_officers_but_not_from_admins(people, orgs):
    services.organisation_update(actor=people.admin, organisation=orgs.zj, is_active=False)
    assert api_for(people.owner).get(f"/api/v1/organisations/{orgs.zj.uuid}").status_code == 404
    assert "CN-ZJ-CB" not in codes(api_for(people.owner).get("/api/v1/organisations"))
    admin_view = api_for(people.admin).get(f"/api/v1/organisations/{orgs.zj.uuid}")
    assert admin_view.status_code == 200
    assert admin_view.json()["is_active"] is False


NEW_ORG = {
    "code": "CN-GD-SZ-CB",
    "kind": OrgKind.COPYRIGHT_ADMIN,
    "name_en": "Shenzhen copyright bureau",
    "name_zh_hans": "深圳市版权局",
    "jurisdiction": "CN-GD",
    "supervisor": "CN-GD-CB",
}


def test_node_admin_creates_an_organisation_and_it_is_audited(people, orgs):
    response = api_for(people.admin).post("/api/v1/organisations", NEW_ORG, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["supervisor_code"], body["jurisdiction"]) == (
        "CN-GD-SZ-CB",
        "CN-GD-CB",
        "CN-GD",
    )
    org = Organisation.objects.get(code="CN-GD-SZ-CB")
    assert Organisation.objects.get_parent(org) == orgs.gd
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.organisation.created"
    assert entry.actor_label == "admin@ncac.test"
    assert entry.object_uuid == str(org.uuid)
    assert entry.changes["supervisor"] == "CN-GD-CB"


def test_officer_cannot_create_an_organisation(people, orgs):
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    response = api_for(people.supervisor).post("/api/v1/organisations", NEW_ORG, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "not_node_admin"
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_unknown_field_in_a_new_organisation_is_refused(people, orgs):
    response = api_for(people.admin).post(
        "/api/v1/organisations", {**NEW_ORG, "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {"colour": ["Unknown field."]}
    assert not Organisation.objects.filter(code="CN-GD-SZ-CB").exists()


def test_duplicate_organisation_code_is_a_field_error(people, orgs):
    before = Organisation.objects.count()
    response = api_for(people.admin).post(
        "/api/v1/organisations", {**NEW_ORG, "code": "CN-GD-CB"}, format="json"
    )
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert list(fields) == ["code"]
    assert "already exists" in fields["code"][0]
    assert Organisation.objects.count() == before


def test_unknown_jurisdiction_code_is_a_field_error(people, orgs):
    response = api_for(people.admin).post(
        "/api/v1/organisations", {**NEW_ORG, "jurisdiction": "XX-NOWHERE"}, format="json"
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["jurisdiction"]
    assert not Organisation.objects.filter(code="CN-GD-SZ-CB").exists()


def test_node_admin_renames_an_organisation(people, orgs):
    response = api_for(people.admin).patch(
        f"/api/v1/organisations/{orgs.zj.uuid}", {"name_en": "Zhejiang bureau"}, format="json"
    )
    assert response.status_code == 200
    orgs.zj.refresh_from_db()
    assert orgs.zj.name_en == "Zhejiang bureau"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.organisation.updated"
    assert entry.changes == {"name_en": ["CN-ZJ-CB", "Zhejiang bureau"]}


def test_foreign_organisation_is_read_only_through_the_api(people, orgs):
    response = api_for(people.admin).patch(
        f"/api/v1/organisations/{orgs.foreign.uuid}", {"name_en": "Renamed"}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    orgs.foreign.refresh_from_db()
    assert orgs.foreign.name_en == "Federal Customs Service"


def test_filter_organisations_by_kind(people, orgs):
    response = api_for(people.owner).get("/api/v1/organisations?kind=police")
    assert codes(response) == {"CN-GD-PSD"}


def test_filter_organisations_by_jurisdiction_includes_its_subtree(people, orgs):
    response = api_for(people.owner).get("/api/v1/organisations?jurisdiction=CN-GD")
    assert codes(response) == {"CN-GD-CB", "CN-GD-BA-CB", "CN-GD-PSD"}
    assert codes(api_for(people.owner).get("/api/v1/organisations?jurisdiction=XX")) == set()


def test_filter_organisations_within_a_supervisor(people, orgs):
    response = api_for(people.owner).get("/api/v1/organisations?within=CN-GD-CB")
    assert codes(response) == {"CN-GD-CB", "CN-GD-BA-CB"}


def test_organisation_list_takes_a_handful_of_queries(people, orgs, django_assert_max_num_queries):
    client = api_for(people.owner)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/organisations")
    assert response.json()["count"] == 6


def test_organisation_list_query_count_does_not_grow_with_the_list(
    people, orgs, areas, django_assert_max_num_queries
):
    for n in range(20):
        services.organisation_create(
            actor=SYSTEM,
            code=f"CN-GD-X{n}",
            kind=OrgKind.POLICE,
            name_en=f"Station {n}",
            jurisdiction=areas.gd,
            supervisor=orgs.gd,
        )
    client = api_for(people.owner)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/organisations")
    assert response.json()["count"] == 26


# ---------------------------------------------------------------- jurisdictions


def test_jurisdictions_within_a_province_are_its_subtree(people, areas):
    response = api_for(people.owner).get("/api/v1/jurisdictions?within=CN-GD")
    assert response.status_code == 200
    assert codes(response) == {"CN-GD", "CN-GD-SZ-BA"}
    assert codes(api_for(people.owner).get("/api/v1/jurisdictions?within=cn-gd")) == {
        "CN-GD",
        "CN-GD-SZ-BA",
    }


def test_jurisdictions_within_an_unknown_code_is_empty(people, areas):
    response = api_for(people.owner).get("/api/v1/jurisdictions?within=XX")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_jurisdiction_detail_by_code(people, areas):
    response = api_for(people.owner).get("/api/v1/jurisdictions/CN-GD")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["level"], body["parent"], body["name"]) == (
        "CN-GD",
        "province",
        "CN",
        "Guangdong",
    )


def test_unknown_jurisdiction_code_gets_404(people, areas):
    response = api_for(people.owner).get("/api/v1/jurisdictions/XX-NOWHERE")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_jurisdiction_name_follows_accept_language(people, areas, token_for):
    client = bearer(token_for(people.owner))
    chinese = client.get("/api/v1/jurisdictions/CN-GD", HTTP_ACCEPT_LANGUAGE="zh-hans")
    russian = client.get("/api/v1/jurisdictions/CN-GD", HTTP_ACCEPT_LANGUAGE="ru")
    english = client.get("/api/v1/jurisdictions/CN-GD", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.json()["name"] == "广东省"
    assert russian.json()["name"] == "Гуандун"
    assert english.json()["name"] == "Guangdong"


def test_jurisdiction_name_follows_the_session_users_language(people, areas):
    people.owner.language = "zh-hans"
    people.owner.save(update_fields=["language"])
    response = client_for(people.owner).get("/api/v1/jurisdictions/CN-GD")
    assert response.json()["name"] == "广东省"


def test_jurisdiction_name_follows_the_token_users_language(people, areas, token_for):
    people.owner.language = "zh-hans"
    people.owner.save(update_fields=["language"])
    response = bearer(token_for(people.owner)).get("/api/v1/jurisdictions/CN-GD")
    assert response.json()["name"] == "广东省"


# ---------------------------------------------------------------- sharing groups


@pytest.mark.parametrize("who", ["group_member", "supervisor", "national", "admin"])
def test_sharing_group_is_visible_to_members_and_the_owner_line(people, group, who):
    client = api_for(getattr(people, who))
    detail = client.get(f"/api/v1/sharing-groups/{group.uuid}")
    assert detail.status_code == 200
    assert detail.json()["owner_org"] == "CN-GD-CB"
    assert [m["organisation"]["code"] for m in detail.json()["members"]] == ["CN-GD-PSD"]
    assert [g["uuid"] for g in client.get("/api/v1/sharing-groups").json()["results"]] == [
        str(group.uuid)
    ]


@pytest.mark.parametrize("who", ["colleague", "owner", "no_org"])
def test_sharing_group_is_404_outside_it(people, group, who):
    client = api_for(getattr(people, who))
    response = client.get(f"/api/v1/sharing-groups/{group.uuid}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert client.get("/api/v1/sharing-groups").json()["results"] == []


def test_supervisor_creates_a_sharing_group_for_their_organisation(people, orgs):
    response = api_for(people.supervisor).post(
        "/api/v1/sharing-groups",
        {"name": "Border task force", "owner_org": "CN-GD-CB"},
        format="json",
    )
    assert response.status_code == 201
    group = SharingGroup.objects.get(name="Border task force")
    assert group.owner_org == orgs.gd
    assert AuditEntry.objects.order_by("-seq").first().action == "directory.sharing_group.created"


def test_liaison_creates_a_sharing_group_for_their_organisation(people, orgs):
    liaison = make_user("liaison@ba.test", orgs.ba, Role.LIAISON)
    response = api_for(liaison).post(
        "/api/v1/sharing-groups", {"name": "Bao'an desk", "owner_org": "CN-GD-BA-CB"}, format="json"
    )
    assert response.status_code == 201
    assert SharingGroup.objects.filter(name="Bao'an desk", owner_org=orgs.ba).exists()


def test_officer_cannot_create_a_sharing_group(people, orgs):
    response = api_for(people.owner).post(
        "/api/v1/sharing-groups", {"name": "Mine", "owner_org": "CN-GD-BA-CB"}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "not_group_manager"
    assert not SharingGroup.objects.filter(name="Mine").exists()


def test_supervisor_cannot_create_a_group_for_an_organisation_outside_their_line(people, orgs):
    response = api_for(people.supervisor).post(
        "/api/v1/sharing-groups", {"name": "Not ours", "owner_org": "CN-ZJ-CB"}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "not_group_manager"
    assert not SharingGroup.objects.filter(name="Not ours").exists()


def test_liaison_role_elsewhere_does_not_let_an_officer_manage_their_own_orgs_groups(people, orgs):
    services.membership_grant(
        actor=SYSTEM, user=people.owner, organisation=orgs.zj, role=Role.LIAISON
    )
    response = api_for(people.owner).post(
        "/api/v1/sharing-groups", {"name": "Sneaky", "owner_org": "CN-GD-BA-CB"}, format="json"
    )
    assert response.status_code == 403
    assert not SharingGroup.objects.filter(name="Sneaky").exists()


def test_supervisor_adds_a_member_organisation(people, group):
    response = api_for(people.supervisor).post(
        f"/api/v1/sharing-groups/{group.uuid}/members", {"organisation": "CN-ZJ-CB"}, format="json"
    )
    assert response.status_code == 200
    members = {m["organisation"]["code"] for m in response.json()["members"]}
    assert members == {"CN-GD-PSD", "CN-ZJ-CB"}
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.sharing_group.member_added"
    assert entry.changes["organisation"] == "CN-ZJ-CB"
    # The new member now sees the group.
    assert api_for(people.colleague).get(f"/api/v1/sharing-groups/{group.uuid}").status_code == 200


def test_adding_a_member_twice_is_a_409_conflict(people, group):
    client = api_for(people.supervisor)
    url = f"/api/v1/sharing-groups/{group.uuid}/members"
    assert client.post(url, {"organisation": "CN-ZJ-CB"}, format="json").status_code == 200
    before = AuditEntry.objects.count()
    response = client.post(url, {"organisation": "CN-ZJ-CB"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert group.members.count() == 2
    assert AuditEntry.objects.count() == before


def test_group_member_can_see_but_not_change_the_group(people, group):
    response = api_for(people.group_member).post(
        f"/api/v1/sharing-groups/{group.uuid}/members", {"organisation": "CN-ZJ-CB"}, format="json"
    )
    assert response.status_code == 403
    assert group.members.count() == 1


def test_colleague_cannot_add_members_to_an_invisible_group(people, group):
    response = api_for(people.colleague).post(
        f"/api/v1/sharing-groups/{group.uuid}/members", {"organisation": "CN-ZJ-CB"}, format="json"
    )
    assert response.status_code == 404
    assert group.members.count() == 1


def test_supervisor_removes_a_member(people, group):
    member = group.members.get()
    response = api_for(people.supervisor).delete(
        f"/api/v1/sharing-groups/{group.uuid}/members/{member.pk}"
    )
    assert response.status_code == 200
    assert response.json()["members"] == []
    assert api_for(people.group_member).get(f"/api/v1/sharing-groups/{group.uuid}").status_code == (
        404
    )


# ---------------------------------------------------------------- audit and jobs


def test_node_admin_reads_the_audit_log_newest_first(people):
    response = api_for(people.admin).get("/api/v1/audit")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert response.json()["count"] == AuditEntry.objects.count() > 0
    assert rows[0]["seq"] > rows[-1]["seq"]
    filtered = api_for(people.admin).get("/api/v1/audit?action=directory.membership")
    assert {row["action"] for row in filtered.json()["results"]} == {"directory.membership.granted"}


def test_officer_gets_an_empty_audit_log(people):
    response = api_for(people.owner).get("/api/v1/audit")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_job_is_visible_to_the_user_who_started_it_only(people):
    job = job_start(actor=people.admin, kind=JobKind.AUDIT_VERIFY)
    own = api_for(people.admin).get(f"/api/v1/jobs/{job.uuid}")
    assert own.status_code == 200
    assert (own.json()["kind"], own.json()["status"]) == ("audit.verify", JobStatus.QUEUED)
    other = api_for(people.supervisor).get(f"/api/v1/jobs/{job.uuid}")
    assert other.status_code == 404
    assert error_of(other)["code"] == "not_found"
    assert api_for(people.supervisor).get("/api/v1/jobs").json()["results"] == []


def test_audit_verification_job_runs_and_succeeds(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=people.admin, kind=JobKind.AUDIT_VERIFY)
    body = api_for(people.admin).get(f"/api/v1/jobs/{job.uuid}").json()
    assert body["status"] == JobStatus.SUCCEEDED
    assert body["progress"] == 100
    assert "intact" in body["message"]
    assert body["result"]["ok"] is True
    assert Job.objects.get(pk=job.pk).finished_at is not None
