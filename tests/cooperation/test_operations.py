"""Joint operations on one node: linking, kept summaries, the combined page and API, and
each bad input of the issue (what the user gets, nothing written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ipex.cooperation import results, services
from ipex.cooperation.models import JointOperation, OperationLink, ResultSummary
from ipex.cooperation.services import links
from ipex.core.audit import AuditEntry
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_update, seizure_withdraw
from tests.conftest import api_for, client_for
from tests.cooperation.conftest import seize

pytestmark = pytest.mark.django_db


def total(coop) -> dict:
    return results.combined(coop.operation)["total"]


def test_a_linked_seizure_adds_to_its_organisations_figures(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd, method="customs_detention")
    links.operation_link(
        actor=coop.police, operation=coop.operation, kind="seizure", record=seizure
    )
    assert total(coop) == {"detentions": 1, "items:audiovisual.dvd": 1200, "seizures": 1}
    summary = ResultSummary.objects.get(owner_org=coop.orgs.psd)
    assert summary.sharing_group.members.count() == 3  # every participant receives it
    row = results.combined(coop.operation)["organisations"][0]
    assert row["organisation"] == "CN-GD-PSD" and row["country"] == "CN" and not row["stale"]


def test_the_summary_follows_changes_of_the_linked_record_and_unlinking(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
    links.operation_link(
        actor=coop.police, operation=coop.operation, kind="seizure", record=seizure
    )
    seizure_update(actor=coop.police, seizure=seizure, method="customs_detention")
    assert total(coop)["detentions"] == 1
    version = ResultSummary.objects.get().version
    seizure_withdraw(actor=coop.police, seizure=Seizure.objects.get(pk=seizure.pk), reason="x")
    assert total(coop) == {}
    assert ResultSummary.objects.get().version == version + 1  # published again
    other = seize(coop.police, coop.orgs.psd, coop.areas.gd, quantity=5)
    links.operation_link(actor=coop.police, operation=coop.operation, kind="seizure", record=other)
    links.operation_unlink(
        actor=coop.police, operation=coop.operation, kind="seizure", record=other
    )
    assert total(coop) == {} and not OperationLink.objects.filter(record_uuid=other.uuid)


def test_each_organisation_counts_its_own_records_and_countries_add_up(coop):
    one = seize(coop.police, coop.orgs.psd, coop.areas.gd, quantity=10)
    two = seize(coop.bureau, coop.orgs.gd, coop.areas.gd, quantity=7)
    links.operation_link(actor=coop.police, operation=coop.operation, kind="seizure", record=one)
    links.operation_link(actor=coop.bureau, operation=coop.operation, kind="seizure", record=two)
    combined = results.combined(coop.operation)
    assert combined["countries"]["CN"]["items:audiovisual.dvd"] == 17
    assert {r["organisation"]: r["figures"]["seizures"] for r in combined["organisations"]} == {
        "CN-GD-CB": 1,
        "CN-GD-PSD": 1,
    }


def test_linking_twice_or_someone_elses_record_is_refused(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
    links.operation_link(
        actor=coop.police, operation=coop.operation, kind="seizure", record=seizure
    )
    with pytest.raises(Conflict):
        links.operation_link(
            actor=coop.police, operation=coop.operation, kind="seizure", record=seizure
        )
    with pytest.raises(Forbidden):  # the bureau takes part but does not own the seizure
        links.operation_link(
            actor=coop.bureau, operation=coop.operation, kind="seizure", record=seizure
        )
    assert total(coop)["seizures"] == 1


def test_a_record_of_an_organisation_not_taking_part_is_refused(coop):
    seizure = seize(coop.outsider, coop.orgs.zj, coop.areas.zj)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        links.operation_link(
            actor=coop.outsider, operation=coop.operation, kind="seizure", record=seizure
        )
    assert "does not take part" in refused.value.message
    assert not OperationLink.objects.exists() and AuditEntry.objects.count() == before


def test_a_partners_shared_seizure_counts_for_its_owner_only(coop, partner_node):
    replica = Seizure.objects.create(
        owner_org=coop.orgs.foreign,
        origin_node=partner_node,
        seized_on=dt.date(2013, 6, 6),
        jurisdiction=coop.areas.ru,
        method="customs_detention",
    )
    with pytest.raises(DomainError) as refused:
        links.operation_link(
            actor=coop.police, operation=coop.operation, kind="seizure", record=replica
        )
    assert "counts for its owner" in refused.value.message
    assert total(coop) == {}


def test_a_participant_leaving_takes_its_figures_away(coop):
    seizure = seize(coop.bureau, coop.orgs.gd, coop.areas.gd)
    links.operation_link(
        actor=coop.bureau, operation=coop.operation, kind="seizure", record=seizure
    )
    links.operation_leave(actor=coop.bureau, operation=coop.operation, organisation=coop.orgs.gd)
    assert total(coop) == {}
    assert ResultSummary.objects.get(owner_org=coop.orgs.gd).withdrawn_at is not None
    coop.operation.refresh_from_db()
    assert coop.orgs.gd not in coop.operation.participants.all()
    with pytest.raises(DomainError):  # and cannot link any more
        links.operation_link(
            actor=coop.bureau, operation=coop.operation, kind="seizure", record=seizure
        )


def test_an_operation_ending_before_it_starts_is_refused_in_the_users_language(coop):
    with translation.override("ru"), pytest.raises(DomainError) as refused:
        services.operation_create(
            actor=coop.police,
            owner_org=coop.orgs.psd,
            participants=[coop.orgs.gd],
            title="Backwards",
            starts_on="2013-09-01",
            ends_on="2013-08-01",
        )
        assert refused.value.fields["ends_on"] != ["The operation cannot end before it starts."]


def test_the_results_api_and_page_for_participants_and_404_for_others(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
    api = api_for(coop.police)
    linked = api.post(
        f"/api/v1/joint-operations/{coop.operation.uuid}/link",
        {"seizure": str(seizure.uuid)},
        format="json",
    )
    assert linked.status_code == 200, linked.content
    answer = api.get(f"/api/v1/joint-operations/{coop.operation.uuid}/results").json()
    assert answer["total"]["items:audiovisual.dvd"] == 1200
    assert answer["organisations"][0]["organisation"] == "CN-GD-PSD"
    page = client_for(coop.bureau).get(f"/cooperation/joint-operations/{coop.operation.uuid}/")
    assert "1200" in page.content.decode() and "CN-GD-PSD" in page.content.decode()
    for path in (
        f"/api/v1/joint-operations/{coop.operation.uuid}/results",
        f"/api/v1/joint-operations/{coop.operation.uuid}",
    ):
        assert api_for(coop.outsider).get(path).status_code == 404
    assert (
        client_for(coop.outsider)
        .get(f"/cooperation/joint-operations/{coop.operation.uuid}/")
        .status_code
        == 404
    )


def test_linking_through_the_api_names_one_visible_record(coop):
    hidden = seize(coop.outsider, coop.orgs.zj, coop.areas.zj)
    api = api_for(coop.police)
    url = f"/api/v1/joint-operations/{coop.operation.uuid}/link"
    unknown = api.post(url, {"seizure": str(hidden.uuid)}, format="json")
    assert unknown.status_code == 400 and "seizure" in unknown.json()["error"]["fields"]
    none = api.post(url, {}, format="json")
    assert none.json()["error"]["message"] == "Name one seizure, case or alert."
    assert not OperationLink.objects.exists()


def test_the_page_links_a_seizure_and_shows_a_refusal(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
    client = client_for(coop.police)
    url = f"/cooperation/joint-operations/{coop.operation.uuid}/"
    page = client.post(
        url, {"kind": "seizure", "record": str(seizure.uuid), "step": "link"}, follow=True
    )
    assert "The figures are updated." in page.content.decode()
    hidden = seize(coop.outsider, coop.orgs.zj, coop.areas.zj)
    for value in (str(hidden.uuid), "not a uuid"):
        refused = client.post(
            url, {"kind": "seizure", "record": value, "step": "link"}, follow=True
        )
        assert "Unknown record." in refused.content.decode()
    again = client.post(
        url, {"kind": "seizure", "record": str(seizure.uuid), "step": "link"}, follow=True
    )
    assert "already linked" in again.content.decode()


def test_the_closing_report_in_three_languages(coop):
    seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd)
    links.operation_link(
        actor=coop.police, operation=coop.operation, kind="seizure", record=seizure
    )
    client = client_for(coop.bureau)
    base = f"/cooperation/joint-operations/{coop.operation.uuid}/report"
    assert "Closing report" in client.get(f"{base}/en/").content.decode()
    assert "总结报告" in client.get(f"{base}/zh-hans/").content.decode()
    assert "Итоговый отчёт" in client.get(f"{base}/ru/").content.decode()
    assert client.get(f"{base}/fr/").status_code == 404
    assert client_for(coop.outsider).get(f"{base}/en/").status_code == 404


def test_the_new_operation_page_records_one_and_refuses_a_backwards_period(coop):
    client = client_for(coop.police)
    form = {
        "owner_org": "CN-GD-PSD",
        "participants": "CN-GD-CB, RU-FCS",
        "title": "Markets sweep",
        "starts_on": "2013-10-01",
        "ends_on": "2013-09-01",
    }
    refused = client.post("/cooperation/joint-operations/new", form)
    assert "The operation cannot end before it starts." in refused.content.decode()
    unknown = client.post("/cooperation/joint-operations/new", form | {"participants": "CN-NOPE"})
    assert "Unknown organisation codes: CN-NOPE." in unknown.content.decode()
    done = client.post("/cooperation/joint-operations/new", form | {"ends_on": "2013-12-31"})
    operation = JointOperation.objects.get(title="Markets sweep")
    assert done.url == f"/cooperation/joint-operations/{operation.uuid}/"
    assert {p.code for p in operation.participants.all()} == {"CN-GD-PSD", "CN-GD-CB", "RU-FCS"}
