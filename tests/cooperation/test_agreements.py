"""Agreements: recorded with their parties, documents and groups; the page counts what each
party shared under it (counts, never contents)."""

from __future__ import annotations

import pytest

from ipex.cooperation import services
from ipex.cooperation.models import Agreement
from ipex.core.errors import DomainError
from ipex.core.services import shared_record_share
from tests.conftest import api_for, client_for
from tests.cooperation.conftest import seize

pytestmark = pytest.mark.django_db


def test_the_agreement_page_counts_what_each_party_shared_under_it(coop, group):
    agreement = services.agreement_create(
        actor=coop.police,
        owner_org=coop.orgs.psd,
        parties=[coop.orgs.gd, coop.orgs.foreign],
        title="Memorandum on optical-disc piracy",
        kind="memorandum",
        signed_on="2013-07-29",
        starts_on="2013-08-01",
        scope_kinds=["seizures.seizure"],
        documents=[{"language": "ru", "title": "Меморандум"}, {"language": "en", "title": "MoU"}],
        groups=[group],
    )
    for _ in range(2):
        seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
        shared_record_share(
            actor=coop.police, record=seizure, distribution="group", sharing_group=group
        )
    seize(coop.police, coop.orgs.psd, coop.areas.gd)  # not shared: not counted
    counts = api_for(coop.bureau).get(f"/api/v1/agreements/{agreement.uuid}/shared").json()
    assert {row["party"]: row["total"] for row in counts} == {
        "CN-GD-PSD": 2,
        "CN-GD-CB": 0,
        "RU-FCS": 0,
    }
    page = client_for(coop.bureau).get(f"/cooperation/agreements/{agreement.uuid}/")
    assert "Меморандум" in page.content.decode()
    assert (
        client_for(coop.outsider).get(f"/cooperation/agreements/{agreement.uuid}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parties": []}, "parties"),
        ({"ends_on": "2013-01-01"}, "ends_on"),
        ({"scope_kinds": ["tips.tip"]}, "scope_kinds"),
        ({"documents": [{"language": "fr", "title": "Accord"}]}, "documents"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_agreements_are_refused_with_the_field_named(coop, changes, field):
    fields = {
        "actor": coop.police,
        "owner_org": coop.orgs.psd,
        "parties": [coop.orgs.gd],
        "title": "Protocol",
        "kind": "protocol",
        "signed_on": "2013-07-29",
        "starts_on": "2013-08-01",
    }
    with pytest.raises(DomainError) as refused:
        services.agreement_create(**{**fields, **changes})
    assert field in refused.value.fields and not Agreement.objects.exists()
