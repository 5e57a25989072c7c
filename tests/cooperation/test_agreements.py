"""Agreements: recorded with their parties, documents and groups; the page counts what each
party shared under it (counts, never contents)."""

from __future__ import annotations

import pytest

from ipex.cooperation import services
from ipex.cooperation.models import Agreement
from ipex.core.errors import DomainError
from ipex.core.models import AuditEntry
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


# ---------------------------------------------------------------- the pages

AGREEMENT_FORM = {
    "owner_org": "CN-GD-PSD",
    "parties": "CN-GD-CB, RU-FCS",
    "title": "Memorandum on optical-disc piracy",
    "kind": "memorandum",
    "signed_on": "2013-07-29",
    "starts_on": "2013-08-01",
    "ends_on": "2016-07-31",
    "scope_kinds": ["seizures.seizure", "cases.case"],
    "scope_categories": "audiovisual.dvd",
    "scope": "Discs shipped across the border at Manzhouli",
    "documents": "ru; Меморандум; https://example.org/mou-ru.pdf\nen; Memorandum",
}


def test_an_officer_records_an_agreement_from_the_page_and_every_party_sees_it(coop, group):
    client = client_for(coop.police)
    assert "New agreement" in client.get("/cooperation/agreements/").content.decode()
    answer = client.post("/cooperation/agreements/new", AGREEMENT_FORM | {"group": str(group.uuid)})
    agreement = Agreement.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/cooperation/agreements/{agreement.uuid}/"
    assert sorted(agreement.parties.values_list("code", flat=True)) == [
        "CN-GD-CB",
        "CN-GD-PSD",
        "RU-FCS",
    ]
    assert agreement.scope_kinds == ["cases.case", "seizures.seizure"]
    assert agreement.scope_categories == ["audiovisual.dvd"]
    assert agreement.documents == [
        {"language": "ru", "title": "Меморандум", "url": "https://example.org/mou-ru.pdf"},
        {"language": "en", "title": "Memorandum", "url": ""},
    ]
    assert list(agreement.groups.all()) == [group]
    assert AuditEntry.objects.filter(action="cooperation.agreement.recorded").count() == 1
    page = client_for(coop.bureau).get(f"/cooperation/agreements/{agreement.uuid}/")
    assert 'href="https://example.org/mou-ru.pdf"' in page.content.decode()
    assert (
        client_for(coop.outsider).get(f"/cooperation/agreements/{agreement.uuid}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2013-01-01"}, "The term cannot end before it starts."),
        ({"parties": "CN-XX-NOPE"}, "Unknown organisation codes: CN-XX-NOPE."),
        ({"parties": "CN-GD-PSD"}, "Name at least one other organisation."),
        ({"scope_categories": "audiovisual.nope"}, "Unknown category codes: audiovisual.nope."),
        ({"scope_kinds": ["tips.tip"]}, "Select a valid choice."),
        ({"documents": "fr; Accord"}, "Give each document a title and one of the languages."),
        ({"documents": "Accord"}, "Write each document as: language; title; address (optional)."),
        (
            {"documents": "en; MoU; javascript:alert(1)"},
            "A document&#x27;s address starts with https:// or http://.",
        ),
        ({"signed_on": "soon"}, "Enter a valid date."),
        ({"owner_org": "CN-GD-CB"}, "Unknown organisation."),
    ],
)
def test_a_bad_agreement_on_the_page_is_refused_beside_its_field_and_nothing_is_kept(
    coop, changes, message
):
    answer = client_for(coop.police).post("/cooperation/agreements/new", AGREEMENT_FORM | changes)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="cooperation.agreement").exists()


def test_the_recording_party_changes_the_term_and_documents_and_no_other_party_can(coop):
    agreement = services.agreement_create(
        actor=coop.police,
        owner_org=coop.orgs.psd,
        parties=[coop.orgs.gd],
        title="Protocol",
        kind="protocol",
        signed_on="2013-07-29",
        starts_on="2013-08-01",
    )
    url = f"/cooperation/agreements/{agreement.uuid}/change"
    owner = client_for(coop.police)
    assert url in owner.get(f"/cooperation/agreements/{agreement.uuid}/").content.decode()
    refused = owner.post(url, {"ends_on": "2013-07-01", "documents": ""})
    assert "The term cannot end before it starts." in refused.content.decode()
    owner.post(url, {"ends_on": "2018-07-31", "documents": "zh-hans; 议定书", "scope": "Discs"})
    agreement.refresh_from_db()
    assert agreement.ends_on.isoformat() == "2018-07-31"
    assert agreement.documents == [{"language": "zh-hans", "title": "议定书", "url": ""}]
    assert agreement.version == 2
    party = client_for(coop.bureau)
    assert url not in party.get(f"/cooperation/agreements/{agreement.uuid}/").content.decode()
    party_answer = party.post(url, {"ends_on": "2013-12-31", "documents": ""})
    assert party_answer.status_code == 200
    agreement.refresh_from_db()
    assert agreement.ends_on.isoformat() == "2018-07-31"
    assert client_for(coop.outsider).get(url).status_code == 404
