"""The steps of a tip and of its reward by name, for the tip page's buttons and the API's
``steps/{step}``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ipex.core.errors import DomainError
from ipex.tips.models import (
    Tip,
)
from ipex.tips.queries import reward_of
from ipex.tips.services.rewards import (
    reward_approve,
    reward_invite,
    reward_pay,
    reward_propose,
    reward_reject,
)
from ipex.tips.services.triage import (
    tip_acknowledge,
    tip_ask,
    tip_assess,
    tip_close,
    tip_link_case,
)

TIP_STEPS = ("acknowledge", "assess", "ask", "link_case", "close")


REWARD_STEPS = ("invite", "propose", "approve", "pay", "reject")


STEPS = set(TIP_STEPS + REWARD_STEPS)


def tip_step(
    *,
    actor,
    tip: Tip,
    step: str,
    assessment: str = "",
    duplicate_of: Tip | None = None,
    question: str = "",
    case=None,
    outcome: str = "",
    amount="",
    payment_reference: str = "",
    reason: str = "",
) -> None:
    """One step of the triage or of the reward, by name: what the tip page's buttons and the
    API's ``steps/{step}`` both call, with the other tip and the case already resolved."""
    if step not in STEPS:
        raise DomainError(_("Unknown action."), code="unknown_action")
    if step in TIP_STEPS:
        {
            "acknowledge": lambda: tip_acknowledge(actor=actor, tip=tip),
            "assess": lambda: tip_assess(
                actor=actor, tip=tip, assessment=assessment, duplicate_of=duplicate_of
            ),
            "ask": lambda: tip_ask(actor=actor, tip=tip, question=question),
            "link_case": lambda: tip_link_case(actor=actor, tip=tip, case=case),
            "close": lambda: tip_close(actor=actor, tip=tip, outcome=outcome),
        }[step]()
        return
    reward = reward_of(tip)
    if reward is None:
        raise DomainError(_("This tip has no reward."), code="no_reward")
    {
        "invite": lambda: reward_invite(actor=actor, reward=reward),
        "propose": lambda: reward_propose(actor=actor, reward=reward, amount=amount),
        "approve": lambda: reward_approve(actor=actor, reward=reward),
        "pay": lambda: reward_pay(actor=actor, reward=reward, payment_reference=payment_reference),
        "reject": lambda: reward_reject(actor=actor, reward=reward, reason=reason),
    }[step]()
