"""The visibility matrix: distribution × persona × endpoint (API list, API detail, HTML list,
HTML detail). A record a persona may not see is absent from lists and answers 404, never 403."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ipex.core.models import Distribution
from tests.conftest import SYSTEM, api_for, client_for
from tests.memos.models import Memo
from tests.memos.services import memo_create

PERSONAS = ["owner", "supervisor", "national", "group_member", "colleague", "no_org", "anonymous"]

# Who sees a memo owned by the Bao'an county bureau, per distribution level (DESIGN table).
SEES = {
    Distribution.ORG: {"owner", "supervisor", "national"},
    Distribution.NODE: {"owner", "supervisor", "national", "group_member", "colleague"},
    Distribution.GROUP: {"owner", "supervisor", "national", "group_member"},
    Distribution.PUBLIC: set(PERSONAS),
}

CASES = [(d, p) for d in SEES for p in PERSONAS]


@pytest.fixture
def memo_factory(orgs, group):
    def make(distribution, **kwargs):
        return memo_create(
            actor=SYSTEM,
            owner_org=orgs.ba,
            title=f"Raid notes {distribution}",
            distribution=distribution,
            sharing_group=group if distribution == Distribution.GROUP else None,
            **kwargs,
        )

    return make


def persona(people, name):
    return None if name == "anonymous" else getattr(people, name)


@pytest.mark.parametrize(("distribution", "who"), CASES)
def test_queryset_matches_the_matrix(people, memo_factory, distribution, who):
    memo = memo_factory(distribution)
    from django.contrib.auth.models import AnonymousUser

    user = persona(people, who) or AnonymousUser()
    visible = Memo.objects.visible_to(user).filter(pk=memo.pk).exists()
    assert visible is (who in SEES[distribution])


@pytest.mark.parametrize(("distribution", "who"), CASES)
def test_api_detail_and_list(people, memo_factory, distribution, who):
    memo = memo_factory(distribution)
    client = api_for(persona(people, who))
    detail = client.get(f"/api/v1/memos/{memo.uuid}")
    listing = client.get("/api/v1/memos")
    if who == "anonymous" and distribution != Distribution.PUBLIC:
        # The API requires authentication before it says anything about records.
        assert detail.status_code == 401
        assert detail.json()["error"]["code"] == "not_authenticated"
        return
    if who == "anonymous":
        assert detail.status_code == 401  # the API is for signed-in users, even for public records
        return
    uuids = {row["uuid"] for row in listing.json()["results"]}
    if who in SEES[distribution]:
        assert detail.status_code == 200
        assert detail.json()["title"] == memo.title
        assert str(memo.uuid) in uuids
    else:
        assert detail.status_code == 404
        assert detail.json() == {
            "error": {"code": "not_found", "message": "Not found.", "fields": {}}
        }
        assert str(memo.uuid) not in uuids


@pytest.mark.parametrize(("distribution", "who"), CASES)
def test_html_detail_and_list(people, memo_factory, distribution, who):
    memo = memo_factory(distribution)
    client = client_for(persona(people, who))
    detail = client.get(f"/memos/{memo.uuid}/")
    if who == "anonymous":
        assert detail.status_code == 302 and "/accounts/login/" in detail["Location"]
        return
    listing = client.get("/memos/")
    if who in SEES[distribution]:
        assert detail.status_code == 200
        assert memo.title in listing.content.decode()
    else:
        assert detail.status_code == 404
        assert b"There is no such page" in detail.content
        assert memo.title not in listing.content.decode()


def test_withdrawn_record_is_seen_by_nobody(people, memo_factory):
    memo = memo_factory(Distribution.PUBLIC)
    Memo.objects.filter(pk=memo.pk).update(withdrawn_at=timezone.now())
    assert api_for(people.owner).get(f"/api/v1/memos/{memo.uuid}").status_code == 404
    assert client_for(people.owner).get(f"/memos/{memo.uuid}/").status_code == 404


def test_malformed_and_unknown_uuid_are_404(people):
    client = api_for(people.owner)
    assert client.get("/api/v1/memos/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/api/v1/memos/not-a-uuid").status_code == 404
    assert client_for(people.owner).get("/memos/not-a-uuid/").status_code == 404


def test_list_query_count_does_not_grow_with_records(
    people, memo_factory, django_assert_max_num_queries
):
    for _ in range(5):
        memo_factory(Distribution.NODE)
    client = api_for(people.colleague)
    client.get("/api/v1/memos")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/memos")
    assert response.json()["count"] == 5
