"""Triage and rewards through the API: one endpoint per step (acknowledge, assess, ask,
link-case, close; reward/invite, propose, approve, pay, reject), each with its own input; bad
input is refused in the one error shape and writes nothing; a tip the caller cannot see is
404, one they may only read is 403; a hidden record named in the input answers as a missing
one."""

from __future__ import annotations

import uuid

import pytest

from ipex.cases import services as case_services
from ipex.core.models import AuditEntry
from ipex.tips import services
from ipex.tips.models import Reward, Tip
from tests.conftest import api_for

# the steps that bring a new tip to where each endpoint applies
BEFORE = {
    "acknowledge": [],
    "assess": ["acknowledge"],
    "ask": [],
    "link-case": [],
    "close": ["acknowledge", "assess"],
    "reward/invite": ["acknowledge", "assess", "close"],
    "reward/propose": ["acknowledge", "assess", "close", "invite", "claim"],
    "reward/approve": ["acknowledge", "assess", "close", "invite", "claim", "propose"],
    "reward/pay": ["acknowledge", "assess", "close", "invite", "claim", "propose", "approve"],
    "reward/reject": ["acknowledge", "assess", "close", "invite", "claim"],
}


@pytest.fixture
def case(people, orgs):
    return case_services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Dye works line"
    )


@pytest.fixture
def bring(people, rewards):
    def run(tip, endpoint) -> Tip:
        for step in BEFORE[endpoint]:
            reward = Reward.objects.filter(tip=tip).first()
            if step == "acknowledge":
                services.tip_acknowledge(actor=people.owner, tip=tip)
            elif step == "assess":
                services.tip_assess(actor=people.owner, tip=tip, assessment="credible")
            elif step == "close":
                services.tip_close(actor=people.owner, tip=tip, outcome="confirmed")
            elif step == "invite":
                services.reward_invite(actor=people.owner, reward=reward)
            elif step == "claim":
                services.reward_claim(tip=tip, payment_identity="Alipay 138 0000 0000")
            elif step == "propose":
                services.reward_propose(actor=people.owner, reward=reward, amount="5000")
            elif step == "approve":
                services.reward_approve(actor=rewards.approver, reward=reward)
        return Tip.objects.get(pk=tip.pk)

    return run


def state(tip) -> tuple:
    """What a step changes: the tip's status, version and case, its reward, its messages."""
    tip = Tip.objects.get(pk=tip.pk)
    reward = Reward.objects.filter(tip=tip).first()
    return (
        tip.status,
        tip.version,
        tip.case_id,
        tip.duplicate_of_id,
        reward and (reward.status, reward.amount, reward.payment_reference, reward.reason),
        tip.messages.count(),
        AuditEntry.objects.count(),
    )


def test_each_triage_step_moves_the_tip_and_answers_its_detail(submit, people, case, bring):
    tip, _receipt, _proof = submit()
    api = api_for(people.owner)
    base = f"/api/v1/tips/{tip.uuid}"
    response = api.post(f"{base}/acknowledge")
    assert (response.status_code, response.json()["status"]) == (200, "acknowledged")
    response = api.post(f"{base}/ask", {"question": "Which gate?"}, format="json")
    assert response.json()["messages"][-1]["body"] == "Which gate?"
    response = api.post(f"{base}/link-case", {"case": case.reference}, format="json")
    assert response.json()["case"] == case.reference
    response = api.post(f"{base}/assess", {"assessment": "credible"}, format="json")
    assert (response.json()["status"], response.json()["assessment"]) == ("assessed", "credible")
    response = api.post(f"{base}/close", {"outcome": "confirmed"}, format="json")
    assert (response.json()["status"], response.json()["outcome"]) == ("closed", "confirmed")
    assert response.json()["reward"]["status"] == "eligible"
    for action in ("acknowledged", "question_asked", "case_linked", "assessed", "closed"):
        assert AuditEntry.objects.filter(
            action=f"tips.tip.{action}", object_uuid=str(tip.uuid)
        ).exists(), action


def test_a_duplicate_names_the_tip_it_repeats(submit, people, bring):
    first, _receipt, _proof = submit()
    tip, _receipt, _proof = submit("The same line, seen again")
    services.tip_acknowledge(actor=people.owner, tip=tip)
    response = api_for(people.owner).post(
        f"/api/v1/tips/{tip.uuid}/assess",
        {"assessment": "duplicate", "duplicate_of": str(first.uuid)},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["duplicate_of"] == str(first.uuid)
    assert Tip.objects.get(pk=tip.pk).duplicate_of == first


def test_each_reward_step_moves_the_reward(submit, people, rewards, bring):
    tip, _receipt, _proof = submit()
    api, approver = api_for(people.owner), api_for(rewards.approver)
    base = f"/api/v1/tips/{tip.uuid}/reward"
    bring(tip, "reward/invite")
    assert api.post(f"{base}/invite").json()["reward"]["status"] == "claim_invited"
    services.reward_claim(tip=tip, payment_identity="Alipay 138 0000 0000")
    proposed = api.post(f"{base}/propose", {"amount": "5000"}, format="json").json()["reward"]
    assert (proposed["status"], proposed["amount"]) == ("proposed", "5000.00")
    assert approver.post(f"{base}/approve").json()["reward"]["status"] == "approved"
    paid = approver.post(f"{base}/pay", {"payment_reference": "TX-7"}, format="json").json()
    assert (paid["reward"]["status"], paid["reward"]["payment_reference"]) == ("paid", "TX-7")
    for action in ("claim_invited", "proposed", "approved", "paid"):
        assert AuditEntry.objects.filter(
            action=f"tips.reward.{action}", object_uuid=str(tip.uuid)
        ).exists(), action


def test_a_reward_is_rejected_with_its_reason(submit, people, bring):
    tip, _receipt, _proof = submit()
    bring(tip, "reward/reject")
    response = api_for(people.owner).post(
        f"/api/v1/tips/{tip.uuid}/reward/reject",
        {"reason": "Already paid by Guangdong"},
        format="json",
    )
    reward = response.json()["reward"]
    assert (reward["status"], reward["reason"]) == ("rejected", "Already paid by Guangdong")


BAD = [
    ("assess", {}, {"assessment": ["This field is required."]}),
    ("assess", {"assessment": "likely"}, {"assessment": ['"likely" is not a valid choice.']}),
    ("assess", {"assessment": "duplicate"}, {"duplicate_of": ["Name another tip you can see."]}),
    ("ask", {}, {"question": ["This field is required."]}),
    ("ask", {"question": " "}, {"question": ["This field may not be blank."]}),
    ("link-case", {}, {"case": ["This field is required."]}),
    ("link-case", {"case": "CN-GD-BA-CB-1999-0001"}, {"case": ["Unknown case."]}),
    ("close", {}, {"outcome": ["This field is required."]}),
    ("acknowledge", {"note": "read"}, {"note": ["Unknown field."]}),
    ("reward/invite", {"amount": "1"}, {"amount": ["Unknown field."]}),
    ("reward/propose", {}, {"amount": ["This field is required."]}),
    ("reward/propose", {"amount": "lots"}, {"amount": ["A valid number is required."]}),
    ("reward/propose", {"amount": "0"}, {"amount": ["Give the amount as a number above zero."]}),
    ("reward/pay", {}, {"payment_reference": ["This field is required."]}),
    ("reward/reject", {}, {"reason": ["This field is required."]}),
]


@pytest.mark.parametrize(("endpoint", "body", "fields"), BAD)
def test_bad_input_is_refused_with_the_field_error_and_nothing_is_written(
    submit, people, rewards, bring, endpoint, body, fields
):
    tip, _receipt, _proof = submit()
    tip = bring(tip, endpoint)
    # pay is for a reward approver; the others for an officer of the tip's organisation
    user = rewards.approver if endpoint == "reward/pay" else people.owner
    before = state(tip)
    response = api_for(user).post(f"/api/v1/tips/{tip.uuid}/{endpoint}", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state(tip) == before


def test_a_hidden_case_and_an_unknown_one_get_the_same_answer(submit, people, orgs):
    tip, _receipt, _proof = submit()
    hidden = case_services.case_open(
        actor=people.colleague, owner_org=orgs.zj, kind="optical_disc_line", title="Zhejiang"
    )
    api = api_for(people.owner)
    answers = [
        api.post(f"/api/v1/tips/{tip.uuid}/link-case", {"case": ref}, format="json")
        for ref in (hidden.reference, "CN-ZJ-2999-0001")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert Tip.objects.get(pk=tip.pk).case is None


def test_a_hidden_tip_and_an_unknown_one_get_the_same_answer(submit, people):
    tip, _receipt, _proof = submit()
    hidden, _receipt, _proof = submit(jurisdiction="CN")  # the national bureau's tip
    assert not Tip.objects.visible_to(people.owner).filter(pk=hidden.pk).exists()
    services.tip_acknowledge(actor=people.owner, tip=tip)
    api = api_for(people.owner)
    answers = [
        api.post(
            f"/api/v1/tips/{tip.uuid}/assess",
            {"assessment": "duplicate", "duplicate_of": str(other)},
            format="json",
        )
        for other in (hidden.uuid, uuid.uuid4())
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["error"]["fields"] == {"duplicate_of": ["Unknown tip."]}
    assert answers[1].json()["error"]["fields"] == {"duplicate_of": ["Unknown tip."]}
    assert Tip.objects.get(pk=tip.pk).status == "acknowledged"


GOOD = {
    "acknowledge": {},
    "assess": {"assessment": "credible"},
    "ask": {"question": "Which gate?"},
    "link-case": None,  # the case's reference, filled in
    "close": {"outcome": "confirmed"},
    "reward/invite": {},
    "reward/propose": {"amount": "5000"},
    "reward/approve": {},
    "reward/pay": {"payment_reference": "TX-7"},
    "reward/reject": {"reason": "Not the first report"},
}


@pytest.mark.parametrize("endpoint", list(GOOD))
def test_a_tip_the_caller_cannot_see_is_not_found(submit, people, case, bring, endpoint):
    tip, _receipt, _proof = submit()
    tip = bring(tip, endpoint)
    before = state(tip)
    body = {"case": case.reference} if endpoint == "link-case" else GOOD[endpoint]
    response = api_for(people.colleague).post(
        f"/api/v1/tips/{tip.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert state(tip) == before


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        ("acknowledge", "not_owner"),
        ("assess", "not_owner"),
        ("ask", "not_owner"),
        ("link-case", "not_owner"),
        ("close", "not_owner"),
        ("reward/invite", "not_owner"),
        ("reward/propose", "not_owner"),
        ("reward/approve", "not_approver"),
        ("reward/pay", "not_approver"),
        ("reward/reject", "not_owner"),
    ],
)
def test_the_supervisor_reads_the_tip_but_may_not_act(submit, people, case, bring, endpoint, code):
    tip, _receipt, _proof = submit()
    tip = bring(tip, endpoint)
    before = state(tip)
    body = {"case": case.reference} if endpoint == "link-case" else GOOD[endpoint]
    response = api_for(people.supervisor).post(
        f"/api/v1/tips/{tip.uuid}/{endpoint}", body, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == code
    assert state(tip) == before


def test_the_proposer_may_not_approve(submit, people, bring):
    tip, _receipt, _proof = submit()
    tip = bring(tip, "reward/approve")
    before = state(tip)
    response = api_for(people.owner).post(f"/api/v1/tips/{tip.uuid}/reward/approve")
    assert response.status_code == 403
    assert state(tip) == before


def test_a_reward_step_on_a_tip_without_reward_is_refused(submit, people):
    tip, _receipt, _proof = submit()
    response = api_for(people.owner).post(f"/api/v1/tips/{tip.uuid}/reward/invite")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_reward"


def test_a_step_the_status_does_not_allow_is_a_conflict(submit, people):
    tip, _receipt, _proof = submit()
    response = api_for(people.owner).post(
        f"/api/v1/tips/{tip.uuid}/close", {"outcome": "confirmed"}, format="json"
    )
    assert response.status_code == 409
    assert Tip.objects.get(pk=tip.pk).status == "received"


def test_the_generic_steps_endpoint_is_gone(submit, people):
    tip, _receipt, _proof = submit()
    response = api_for(people.owner).post(f"/api/v1/tips/{tip.uuid}/steps/acknowledge")
    assert response.status_code == 404
    assert Tip.objects.get(pk=tip.pk).status == "received"
