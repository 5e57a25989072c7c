"""Rewards: only the first reporter; ceiling and budget; a second person approves, never the
proposer; only an approved reward is paid; the payment identity is sealed and every view of
it audited; the payout report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.tips import services
from ipex.tips.models import Reward


@pytest.fixture
def claimed(submit, people, rewards):
    """A confirmed production-line tip whose tipster has claimed the reward."""
    tip, receipt, _proof = submit()
    officer = people.owner
    services.tip_acknowledge(actor=officer, tip=tip)
    services.tip_assess(actor=officer, tip=tip, assessment="credible")
    services.tip_close(actor=officer, tip=tip, outcome="confirmed")
    reward = Reward.objects.get(tip=tip)
    services.reward_invite(actor=officer, reward=reward)
    services.reward_claim(tip=tip, payment_identity="Bank of China 6222 0000 1111 2222, Li")
    reward.refresh_from_db()
    return tip, reward


def test_the_whole_way_to_payment(claimed, people, rewards):
    tip, reward = claimed
    assert b"6222" not in bytes(reward.payment_identity_sealed)
    services.reward_propose(actor=people.owner, reward=reward, amount="300000")
    services.reward_approve(actor=rewards.approver, reward=reward)
    identity = services.reward_payment_identity(actor=rewards.approver, reward=reward)
    assert identity.startswith("Bank of China 6222")
    services.reward_pay(actor=rewards.approver, reward=reward, payment_reference="PAY-2013-7")
    reward.refresh_from_db()
    assert reward.status == "paid" and reward.amount == Decimal("300000.00")
    assert AuditEntry.objects.filter(action="tips.reward.identity_viewed").count() == 1
    assert not any("6222" in str(e.changes) for e in AuditEntry.objects.all())
    report = services.payout_report(rewards.approver, timezone.localdate().year)
    assert report == [
        {
            "currency": "CNY",
            "kind": "production_line",
            "kind_label": "Optical-disc production line",
            "count": 1,
            "total": Decimal("300000.00"),
        }
    ]
    assert services.tipster_view(tip)["reward"]["status"] == "paid"


def test_the_proposer_cannot_approve(claimed, people, rewards, orgs):
    _tip, reward = claimed
    from ipex.directory.models import Membership, Role

    # Even a proposer who also holds the approver role.
    Membership.objects.create(user=people.owner, organisation=orgs.ncac, role=Role.REWARD_APPROVER)
    people.owner.__dict__.pop("active_memberships", None)
    services.reward_propose(actor=people.owner, reward=reward, amount="1000")
    with pytest.raises(Forbidden) as refused:
        services.reward_approve(actor=people.owner, reward=reward)
    assert str(refused.value.message) == "The person who proposed a reward cannot approve it."
    reward.refresh_from_db()
    assert reward.status == "proposed" and reward.approved_by is None


def test_an_officer_who_is_no_approver_cannot_approve_or_see_the_identity(claimed, people):
    _tip, reward = claimed
    services.reward_propose(actor=people.owner, reward=reward, amount="1000")
    with pytest.raises(Forbidden):
        services.reward_approve(actor=people.supervisor, reward=reward)
    with pytest.raises(Forbidden):
        services.reward_payment_identity(actor=people.owner, reward=reward)


@pytest.mark.parametrize(
    ("amount", "code"),
    [("300000.01", "above_ceiling"), ("0", None), ("lots", None)],
)
def test_amounts_above_the_ceiling_or_not_amounts_are_refused(claimed, people, amount, code):
    _tip, reward = claimed
    with pytest.raises(DomainError) as refused:
        services.reward_propose(actor=people.owner, reward=reward, amount=amount)
    if code:
        assert refused.value.code == code
    reward.refresh_from_db()
    assert reward.status == "claimed" and reward.amount is None


def test_an_amount_above_the_budget_is_refused(claimed, people, rewards):
    _tip, reward = claimed
    rewards.budget.amount = Decimal("200000")
    rewards.budget.save()
    with pytest.raises(DomainError) as refused:
        services.reward_propose(actor=people.owner, reward=reward, amount="250000")
    assert refused.value.code == "over_budget"
    assert "200000" in str(refused.value.message)


def test_an_unapproved_reward_is_not_paid(claimed, people, rewards):
    _tip, reward = claimed
    services.reward_propose(actor=people.owner, reward=reward, amount="1000")
    with pytest.raises(Conflict) as refused:
        services.reward_pay(actor=rewards.approver, reward=reward, payment_reference="X")
    assert str(refused.value.message) == "Only an approved reward can be paid."
    with pytest.raises(Conflict):
        services.reward_payment_identity(actor=rewards.approver, reward=reward)


def test_rejection_and_reconsideration_carry_reasons(claimed, people, rewards):
    tip, reward = claimed
    services.reward_propose(actor=people.owner, reward=reward, amount="1000")
    with pytest.raises(DomainError):
        services.reward_reject(actor=rewards.approver, reward=reward, reason=" ")
    services.reward_reject(actor=rewards.approver, reward=reward, reason="Line was already known")
    view = services.tipster_view(tip)
    assert view["reward"]["status"] == "rejected" and view["can_claim"]
    assert view["reward"]["reason"] == "Line was already known"
    with pytest.raises(DomainError) as refused:
        services.reward_claim(tip=tip, payment_identity="")
    assert "reason" in refused.value.fields
    services.reward_claim(tip=tip, payment_identity="", reason="I reported it in March")
    reward.refresh_from_db()
    assert reward.status == "claimed"
    assert services.tipster_view(tip)["messages"][-1]["body"] == "I reported it in March"


def test_a_later_reporter_cannot_claim(submit, people, rewards):
    first, _r1, _p1 = submit("The line at the dye works")
    later, _r2, _p2 = submit("Same line")
    officer = people.owner
    for tip in (first, later):
        services.tip_acknowledge(actor=officer, tip=tip)
    services.tip_assess(actor=officer, tip=first, assessment="credible")
    services.tip_close(actor=officer, tip=first, outcome="confirmed")
    reward = Reward.objects.get(tip=first)
    services.reward_invite(actor=officer, reward=reward)
    # The later tip, linked as a duplicate, has no reward of its own and cannot claim one.
    services.tip_assess(actor=officer, tip=later, assessment="duplicate", duplicate_of=first)
    services.tip_close(actor=officer, tip=later, outcome="confirmed")
    assert not Reward.objects.filter(tip=later).exists()
    with pytest.raises(Forbidden) as refused:
        services.reward_claim(tip=later, payment_identity="My account")
    assert refused.value.code == "not_first_reporter"
