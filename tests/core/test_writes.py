"""Writes: only the owner organisation, only on the origin node; refusals write nothing."""

from __future__ import annotations

import pytest

from ipex.core.errors import Forbidden
from ipex.core.models import AuditEntry, Distribution
from tests.conftest import SYSTEM, api_for, client_for
from tests.memos.models import Memo
from tests.memos.services import memo_create, memo_update


@pytest.fixture
def memo(orgs):
    return memo_create(
        actor=SYSTEM, owner_org=orgs.ba, title="Market raid", distribution=Distribution.NODE
    )


def test_owner_edits_and_version_is_bumped_and_audited(people, memo):
    response = api_for(people.owner).patch(
        f"/api/v1/memos/{memo.uuid}", {"title": "Raid 2"}, format="json"
    )
    assert response.status_code == 200
    memo.refresh_from_db()
    assert (memo.title, memo.version) == ("Raid 2", 2)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "memos.memo.updated"
    assert entry.actor_label == "owner@ba.test"
    assert entry.changes == {"title": ["Market raid", "Raid 2"]}


@pytest.mark.parametrize("who", ["supervisor", "colleague", "national"])
def test_other_organisations_cannot_write(people, memo, who):
    before = AuditEntry.objects.count()
    response = api_for(getattr(people, who)).patch(
        f"/api/v1/memos/{memo.uuid}", {"title": "Hijacked"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_owner"
    assert "Only the organisation that owns this record" in response.json()["error"]["message"]
    memo.refresh_from_db()
    assert (memo.title, memo.version) == ("Market raid", 1)
    assert AuditEntry.objects.count() == before


def test_write_refusal_in_html_shows_the_reason_in_the_users_language(people, memo):
    people.colleague.language = "ru"
    people.colleague.save()
    response = client_for(people.colleague).post(f"/memos/{memo.uuid}/edit", {"title": "X"})
    assert response.status_code == 400
    memo.refresh_from_db()
    assert memo.title == "Market raid"
    assert "только организация-владелец" in response.content.decode()


def test_replica_from_another_node_is_read_only(people, orgs, partner_node):
    replica = Memo.objects.create(
        origin_node=partner_node, owner_org=orgs.ba, title="Replica", distribution=Distribution.NODE
    )
    with pytest.raises(Forbidden) as err:
        memo_update(actor=people.owner, memo=replica, title="Changed")
    assert err.value.code == "read_only"
    replica.refresh_from_db()
    assert replica.title == "Replica"


def test_unknown_and_read_only_fields_are_refused(people, memo):
    client = api_for(people.owner)
    unknown = client.patch(f"/api/v1/memos/{memo.uuid}", {"colour": "red"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"colour": ["Unknown field."]}
    read_only = client.patch(f"/api/v1/memos/{memo.uuid}", {"version": 9}, format="json")
    assert read_only.status_code == 400
    assert read_only.json()["error"]["fields"] == {"version": ["This field is read-only."]}
    memo.refresh_from_db()
    assert memo.version == 1


def test_malformed_json_gets_the_error_shape(people, memo):
    response = api_for(people.owner).generic(
        "PATCH", f"/api/v1/memos/{memo.uuid}", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"


def test_group_distribution_requires_a_group(orgs):
    from ipex.core.errors import DomainError

    with pytest.raises(DomainError) as err:
        memo_create(actor=SYSTEM, owner_org=orgs.ba, title="x", distribution=Distribution.GROUP)
    assert "sharing_group" in err.value.fields
    assert not Memo.objects.exists()
