"""Actions and penalties: a penalty outside its provision's range is refused unless a reason
is given, and that is audited; a closed case takes no actions."""

from __future__ import annotations

import pytest

from ipex.cases import services
from ipex.cases.models import CaseAction, LegalProvision
from ipex.core.errors import Conflict, DomainError
from ipex.core.models import AuditEntry
from tests.conftest import api_for, client_for


@pytest.fixture
def case(people, orgs):
    case = services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Line"
    )
    services.case_transition(actor=people.owner, case=case, action="investigate")
    return case


def art217():
    return LegalProvision.objects.get(code="CN-CL-217")


def test_the_3_to_7_year_provision_is_seeded(db):
    provision = art217()
    assert (provision.minimum, provision.maximum) == (36, 84)
    assert "3 to 7 years" in provision.name_en


def test_a_penalty_within_the_range_is_recorded(people, case):
    row = services.case_add_action(
        actor=people.owner,
        case=case,
        kind="judgment",
        taken_on="2013-05-20",
        provision=art217(),
        months=60,
    )
    assert (row.penalty_months, row.out_of_range_reason) == (60, "")


def test_a_penalty_outside_the_range_needs_a_reason(people, case):
    with pytest.raises(DomainError) as err:
        services.case_add_action(
            actor=people.owner,
            case=case,
            kind="judgment",
            taken_on="2013-05-20",
            provision=art217(),
            months=96,
        )
    assert "outside the range of CN-CL-217 (36 to 84)" in err.value.fields["penalty"][0]
    assert not CaseAction.objects.exists()
    row = services.case_add_action(
        actor=people.owner,
        case=case,
        kind="judgment",
        taken_on="2013-05-20",
        provision=art217(),
        months=96,
        out_of_range_reason="Repeat offence, Art. 69 combined",
    )
    assert row.out_of_range_reason == "Repeat offence, Art. 69 combined"
    entry = AuditEntry.objects.filter(action="cases.case.action_recorded").last()
    assert entry.changes["out_of_range"] is True
    assert entry.changes["reason"] == "Repeat offence, Art. 69 combined"


def test_a_closed_case_takes_no_actions(people, case):
    services.case_transition(actor=people.owner, case=case, action="close", outcome="other")
    with pytest.raises(Conflict):
        services.case_add_action(actor=people.owner, case=case, kind="raid", taken_on="2013-05-20")


def test_api_and_page_record_actions(people, case):
    response = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/actions",
        {
            "kind": "administrative_fine",
            "taken_on": "2013-04-02",
            "provision": "CN-CRIR-36",
            "amount": "300000",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "outside the range" in response.json()["error"]["fields"]["penalty"][0]
    ok = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/actions",
        {
            "kind": "administrative_fine",
            "taken_on": "2013-04-02",
            "provision": "CN-CRIR-36",
            "amount": "150000",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["penalty_amount"] == "150000.00"
    client_for(people.owner).post(
        f"/cases/{case.uuid}/act", {"action_kind": "raid", "taken_on": "2013-03-01"}
    )
    page = client_for(people.owner).get(f"/cases/{case.uuid}/").content.decode()
    assert "Raid" in page and "150000.00 CNY" in page
    assert CaseAction.objects.count() == 2
