"""Reads kept between requests under the audit head (ipex.core.freshness): whatever an
officer does, the next read shows it; one reader's kept answer never reaches another.

These tests run outside a transaction (``transaction=True``), as requests do in production:
inside one, nothing is kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipex.core.audit import Actor
from ipex.directory import services as directory
from ipex.directory.models import Membership
from ipex.seizures import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)
SYSTEM = Actor.system("tests")


def _bearer(token_for, user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


def _references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_the_same_read_again_is_answered_from_what_was_kept(record, people, token_for):
    record(reference="BA-1")
    api = _bearer(token_for, people.owner)
    api.get("/api/v1/me")  # the token's first use is written down (and re-read once)
    first = api.get("/api/v1/seizures")
    with CaptureQueriesContext(connection) as queries:
        again = api.get("/api/v1/seizures")
    assert again.content == first.content
    # The audit head, and nothing else: no token, membership, count or seizure query.
    assert [q["sql"] for q in queries.captured_queries if "seizures_" in q["sql"]] == []
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_a_seizure_recorded_shows_in_the_next_list(record, people, token_for):
    record(reference="BA-1")
    api = _bearer(token_for, people.owner)
    assert _references(api.get("/api/v1/seizures")) == ["BA-1"]
    record(reference="BA-2")
    assert _references(api.get("/api/v1/seizures")) == ["BA-2", "BA-1"]


def test_a_withdrawn_seizure_is_gone_from_the_next_read(record, people, token_for):
    seizure = record(reference="BA-1")
    api = _bearer(token_for, people.owner)
    assert api.get(f"/api/v1/seizures/{seizure.uuid}").status_code == 200
    services.seizure_withdraw(actor=people.owner, seizure=seizure, reason="Entered twice")
    assert api.get(f"/api/v1/seizures/{seizure.uuid}").status_code == 404
    assert _references(api.get("/api/v1/seizures")) == []


def test_a_revoked_membership_hides_the_records_on_the_next_read(record, people, token_for):
    seizure = record(reference="BA-1")
    api = _bearer(token_for, people.supervisor)
    assert _references(api.get("/api/v1/seizures")) == ["BA-1"]
    assert api.get(f"/api/v1/seizures/{seizure.uuid}").status_code == 200
    membership = Membership.objects.get(user=people.supervisor)
    directory.membership_revoke(actor=people.admin, membership=membership)
    assert _references(api.get("/api/v1/seizures")) == []
    assert api.get(f"/api/v1/seizures/{seizure.uuid}").status_code == 404


def test_a_revoked_token_is_refused_on_the_next_request(people):
    token, plain = directory.token_create(actor=SYSTEM, user=people.owner, name="laptop")
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.get("/api/v1/me").status_code == 200
    directory.token_revoke(actor=people.owner, token=token)
    refused = api.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_revoked"


def test_one_readers_kept_list_never_reaches_another(record, people, token_for):
    record(reference="BA-1")
    assert _references(_bearer(token_for, people.owner).get("/api/v1/seizures")) == ["BA-1"]
    # Same address, same language, another reader: Zhejiang sees none of Bao'an's records.
    assert _references(_bearer(token_for, people.colleague).get("/api/v1/seizures")) == []


def test_a_kept_page_is_kept_per_language(record, people):
    record(reference="BA-1")
    browser = client_for(people.owner)
    english = browser.get("/seizures/")
    assert english.status_code == 200
    assert "Seizures" in english.content.decode()
    russian = browser.get("/seizures/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Изъятия" in russian.content.decode()
    assert "BA-1" in russian.content.decode()


def test_a_waiting_message_is_shown_not_a_kept_page(record, people):
    """After a change the page says what was done; a kept page without the message would
    leave the officer wondering whether it happened."""
    seizure = record(reference="BA-1")
    browser = client_for(people.owner)
    assert "BA-1" in browser.get("/seizures/").content.decode()
    answer = browser.post(
        f"/seizures/{seizure.uuid}/withdraw", {"reason": "Entered twice"}, follow=True
    )
    assert answer.status_code == 200
    assert "withdrawn" in answer.content.decode().lower()


def test_nothing_is_kept_when_keeping_is_off(record, people, token_for, settings):
    settings.IPEX_KEEP_SECONDS = 0
    record(reference="BA-1")
    api = _bearer(token_for, people.owner)
    api.get("/api/v1/seizures")
    with CaptureQueriesContext(connection) as queries:
        assert _references(api.get("/api/v1/seizures")) == ["BA-1"]
    assert any("seizures_seizure" in q["sql"] for q in queries.captured_queries)
