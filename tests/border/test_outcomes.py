"""Customs close a detention: release, destruction, seizure (a seizure record counted as a
customs seizure in the statistics) or a linked case."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ipex.border import services as border
from ipex.border.models import Detention
from ipex.cases import services as cases
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.seizures.models import Seizure
from ipex.seizures.queries import seizure_stats
from tests.border.conftest import detain
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db


def confirmed(r, record):
    detention = detain(r, [record])
    return border.detention_answer(
        actor=r.rep, detention=detention, kind="confirm", grounds="No hologram"
    )


def test_a_confirmed_detention_is_seized_and_counted_as_a_customs_seizure(
    rights, recordation, people
):
    detention = border.detention_close(
        actor=rights.officer, detention=confirmed(rights, recordation), outcome="seized"
    )
    assert (detention.status, detention.outcome) == ("closed", "seized")
    seizure = Seizure.objects.get(pk=detention.seizure_id)
    assert (seizure.method, seizure.owner_org, seizure.reference) == (
        "customs_detention",
        rights.customs,
        "5101-2013-0042",
    )
    assert [(i.category.code, i.quantity) for i in seizure.items.all()] == [
        ("audiovisual.dvd", 1200)
    ]
    rows = seizure_stats(
        people.admin, area="CN", year=timezone.localdate().year, by="org_kind", source="records"
    )
    assert rows == [{"org_kind": "customs", "name": "Customs", "quantity": 1200}]


def test_seizure_needs_the_holders_confirmation(rights, recordation):
    detention = detain(rights, [recordation])
    with pytest.raises(Conflict) as refused:
        border.detention_close(actor=rights.officer, detention=detention, outcome="seized")
    assert refused.value.code == "not_confirmed"
    detention.refresh_from_db()
    assert detention.status == "notified" and not Seizure.objects.exists()


def test_an_ex_officio_detention_may_be_seized_at_once(rights):
    detention = border.detention_close(
        actor=rights.officer, detention=detain(rights), outcome="destroyed"
    )
    assert detention.outcome == "destroyed" and detention.seizure_id is None


def test_release_after_silence(rights, recordation):
    detention = detain(rights, [recordation])
    Detention.objects.filter(pk=detention.pk).update(answer_by="2013-10-10")
    border.detentions_release_due()
    detention.refresh_from_db()
    border.detention_close(actor=rights.officer, detention=detention, outcome="released")
    assert (detention.status, detention.outcome) == ("closed", "released")
    with pytest.raises(Conflict):  # closed once
        border.detention_close(actor=rights.officer, detention=detention, outcome="released")


def test_a_case_is_linked_and_only_one_the_officer_may_see(rights, recordation, people, orgs):
    case = cases.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="customs_detention", title="Disc exports"
    )
    detention = confirmed(rights, recordation)
    with pytest.raises(DomainError):  # a case the customs officer does not see
        border.detention_close(actor=rights.officer, detention=detention, outcome="case", case=case)
    from ipex.core.services import shared_record_share

    shared_record_share(actor=people.owner, record=case, distribution="node")
    border.detention_close(actor=rights.officer, detention=detention, outcome="case", case=case)
    assert detention.case == case


def test_only_the_customs_that_recorded_it_close_it(rights, recordation):
    detention = confirmed(rights, recordation)
    with pytest.raises(Forbidden):
        border.detention_close(actor=rights.rep, detention=detention, outcome="released")
    answer = api_for(rights.officer).post(
        f"/api/v1/detentions/{detention.uuid}/close", {"outcome": "seized"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["seizure"] is not None
    page = client_for(rights.officer).get(f"/border/detentions/{detention.uuid}/")
    assert "Seized" in page.content.decode()
