"""Seizure visibility matrix: distribution × persona × endpoint (API, page, export)."""

from __future__ import annotations

import pytest

from ipex.core.models import Distribution
from tests.conftest import SYSTEM, api_for, client_for
from tests.core.test_visibility_matrix import PERSONAS, SEES


@pytest.fixture
def seizure_of(record, group):
    def make(distribution):
        return record(
            # The Bao'an officer cannot see the Guangdong task force (its owner is above him):
            # the system records it for the matrix, as the memos' matrix does.
            who=SYSTEM if distribution == Distribution.GROUP else None,
            distribution=distribution,
            reference=f"VIS-{distribution}",
            sharing_group=group if distribution == Distribution.GROUP else None,
        )

    return make


@pytest.mark.parametrize("distribution", list(SEES))
@pytest.mark.parametrize("who", [p for p in PERSONAS if p != "anonymous"])
def test_seizure_matrix(people, seizure_of, distribution, who):
    seizure = seizure_of(distribution)
    user = getattr(people, who)
    sees = who in SEES[distribution]
    api = api_for(user).get(f"/api/v1/seizures/{seizure.uuid}")
    page = client_for(user).get(f"/seizures/{seizure.uuid}/")
    exported = b"".join(client_for(user).get("/seizures/export.csv").streaming_content)
    assert api.status_code == (200 if sees else 404)
    assert page.status_code == (200 if sees else 404)
    assert (seizure.reference.encode() in exported) is sees


def test_anonymous_gets_nothing(people, seizure_of, client):
    seizure = seizure_of(Distribution.PUBLIC)
    assert client.get(f"/seizures/{seizure.uuid}/").status_code == 302
    assert client.get(f"/api/v1/seizures/{seizure.uuid}").status_code == 401
