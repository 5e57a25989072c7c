"""Rewards: the schedule's ceiling, the yearly budgets, the tipster's claim, an amount
proposed by one officer and approved by another, the payment (the sealed payment identity
shown only to the approver paying), rejection, and the yearly payout report.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.cases.models import PenaltyType
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.permissions import ensure_actor_can_write
from ipex.core.services import locked, shared_record_write, workflow_step
from ipex.directory.models import Organisation, Role
from ipex.tips import crypto
from ipex.tips.crypto import Context
from ipex.tips.models import (
    Direction,
    Reward,
    RewardBudget,
    RewardStatus,
    Tip,
    TipKind,
    TipMessage,
)
from ipex.tips.queries import first_reporter, reward_of
from ipex.tips.services.submission import PUBLIC


def _refused(reward: Reward) -> Conflict:
    return Conflict(
        _("A reward that is '%(status)s' cannot do that.")
        % {"status": reward.get_status_display()},
        code="illegal_transition",
    )


def _reward_step(reward: Reward, method: str) -> None:
    workflow_step(reward, method, _refused)


def is_reward_approver(user, organisation: Organisation) -> bool:
    return any(
        m.role == Role.REWARD_APPROVER and organisation.path.startswith(m.organisation.path)
        for m in getattr(user, "active_memberships", [])
    )


def reward_ceiling(reward: Reward) -> Decimal | None:
    """The schedule's ceiling, or its share of the fines of the tip's case (the lower of the
    two when both are set); None when neither can be worked out."""
    schedule = reward.schedule
    limits = []
    if schedule.ceiling is not None:
        limits.append(schedule.ceiling)
    if schedule.percent_of_fines is not None:
        fines = Decimal(0)
        if reward.tip.case_id:
            fines = reward.tip.case.actions.filter(
                provision__penalty_type=PenaltyType.FINE, provision__currency=reward.currency
            ).aggregate(total=Sum("penalty_amount"))["total"] or Decimal(0)
        limits.append((fines * schedule.percent_of_fines / 100).quantize(Decimal("0.01")))
    return min(limits) if limits else None


def budget_for(reward: Reward, year: int) -> RewardBudget | None:
    """The year's budget of the tip's organisation, or of the nearest one above it."""
    org = reward.tip.owner_org
    ancestors = [org.path[:i] for i in range(4, len(org.path) + 1, 4)]
    budgets = RewardBudget.objects.filter(
        organisation__path__in=ancestors, year=year, currency=reward.currency
    ).select_related("organisation")
    return max(budgets, key=lambda b: len(b.organisation.path), default=None)


def budget_committed(budget: RewardBudget, *, excluding: Reward | None = None) -> Decimal:
    rows = Reward.objects.filter(
        budget=budget,
        status__in=[RewardStatus.PROPOSED, RewardStatus.APPROVED, RewardStatus.PAID],
    )
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def reward_invite(*, actor, reward: Reward) -> Reward:
    who = as_actor(actor)
    with shared_record_write(who, reward.tip, "tips.reward.claim_invited") as write:
        locked(reward)
        _reward_step(reward, "invite")
        reward.save()
        write.note(reward=str(reward.uuid))
    return reward


def reward_claim(*, tip: Tip, payment_identity: str, reason: str = "") -> Reward:
    """The tipster claims with the receipt (or asks for reconsideration after a rejection,
    with a reason). Only the first reporter of a matter can claim."""
    reward = reward_of(tip)
    if reward is None or first_reporter(tip).pk != tip.pk:
        raise Forbidden(
            _("Only the first person to report a matter can claim its reward."),
            code="not_first_reporter",
        )
    payment_identity = (payment_identity or "").strip()
    errors: dict[str, list[str]] = {}
    if not payment_identity and not reward.payment_identity_sealed:
        errors["payment_identity"] = [_("Say how the reward is to be paid to you.")]
    if reward.status == RewardStatus.REJECTED and not (reason or "").strip():
        errors["reason"] = [_("Say why the decision should be reconsidered.")]
    if len(payment_identity) > 1000:
        errors["payment_identity"] = [_("Too long.")]
    refuse_if(errors, _("The claim was not sent; correct the errors."))
    reconsider = reward.status == RewardStatus.REJECTED
    with shared_record_write(
        PUBLIC,
        tip,
        "tips.reward.reconsideration_asked" if reconsider else "tips.reward.claimed",
    ) as write:
        locked(reward)
        _reward_step(reward, "claim")
        if payment_identity:
            reward.payment_identity_sealed = crypto.seal(
                payment_identity, context=Context.REWARD_PAYMENT.of(reward.uuid)
            )
        if reconsider:
            message = TipMessage(tip=tip, direction=Direction.REPLY)
            message.body_sealed = crypto.seal(
                reason.strip(), context=Context.TIP_MESSAGE.of(tip.uuid)
            )
            message.save()
        reward.amount = None
        reward.save()
        write.note(reward=str(reward.uuid))  # never the payment identity
    return reward


def _money(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0:
        raise DomainError(
            _("Give the amount as a number above zero."),
            fields={field: [_("Give the amount as a number above zero.")]},
        )
    return value.quantize(Decimal("0.01"))


def reward_propose(*, actor, reward: Reward, amount) -> Reward:
    """An officer proposes an amount: within the schedule's ceiling and the year's budget."""
    who = as_actor(actor)
    ensure_actor_can_write(who, reward.tip)
    value = _money(amount, "amount")
    with shared_record_write(who, reward.tip, "tips.reward.proposed") as write:
        locked(reward)
        if reward.status != RewardStatus.CLAIMED:
            _reward_step(reward, "propose")  # raises the illegal-transition error
        ceiling = reward_ceiling(reward)
        if ceiling is not None and value > ceiling:
            raise DomainError(
                _("%(amount)s is above this reward's ceiling of %(ceiling)s %(currency)s.")
                % {"amount": value, "ceiling": ceiling, "currency": reward.currency},
                fields={"amount": [_("Above the ceiling.")]},
                code="above_ceiling",
            )
        year = timezone.localdate().year
        budget = (
            RewardBudget.objects.select_for_update()
            .filter(pk=getattr(budget_for(reward, year), "pk", None))
            .first()
        )
        if budget is None:
            raise DomainError(
                _("There is no reward budget for %(year)s in %(currency)s.")
                % {"year": year, "currency": reward.currency},
                fields={"amount": [_("No budget.")]},
                code="no_budget",
            )
        left = budget.amount - budget_committed(budget, excluding=reward)
        if value > left:
            raise DomainError(
                _("%(amount)s is more than is left in the %(year)s budget (%(left)s %(currency)s).")
                % {"amount": value, "year": year, "left": left, "currency": reward.currency},
                fields={"amount": [_("Above what is left in the budget.")]},
                code="over_budget",
            )
        _reward_step(reward, "propose")
        reward.amount, reward.budget, reward.proposed_by = value, budget, who.user
        reward.save()
        write.note(reward=str(reward.uuid), amount=str(value), currency=reward.currency)
    return reward


def _paying_org(reward: Reward) -> Organisation:
    return reward.budget.organisation if reward.budget_id else reward.tip.owner_org


def _ensure_approver(who, reward: Reward) -> None:
    """A person who is a reward approver of the paying organisation (never a system actor:
    paying out is a person's decision)."""
    if who.is_system or not is_reward_approver(who.user, _paying_org(reward)):
        raise Forbidden(
            _("Only a reward approver of the paying organisation can do that."),
            code="not_approver",
        )


def _approver_of(reward: Reward):
    """The approver rule as the permission of a write on the reward's tip."""
    return lambda who, tip: _ensure_approver(who, reward)


def _second_approver_of(reward: Reward):
    """An approver who is not the one who proposed the amount."""

    def check(who, tip) -> None:
        _ensure_approver(who, reward)
        if reward.proposed_by_id is not None and who.user.pk == reward.proposed_by_id:
            raise Forbidden(
                _("The person who proposed a reward cannot approve it."), code="proposer_approves"
            )

    return check


def reward_approve(*, actor, reward: Reward) -> Reward:
    """A second person approves: a reward approver who is not the proposer."""
    who = as_actor(actor)
    with shared_record_write(
        who, reward.tip, "tips.reward.approved", permission=_second_approver_of(reward)
    ) as write:
        locked(reward)
        _reward_step(reward, "approve")
        left = reward.budget.amount - budget_committed(reward.budget, excluding=reward)
        if reward.amount > left:
            raise DomainError(_("The budget no longer covers this reward."), code="over_budget")
        reward.approved_by = who.user
        reward.save()
        write.note(reward=str(reward.uuid))
    return reward


def reward_payment_identity(*, actor, reward: Reward) -> str:
    """The sealed payment identity, shown only to a reward approver at payment; audited."""
    who = as_actor(actor)
    _ensure_approver(who, reward)
    if reward.status != RewardStatus.APPROVED:
        raise Conflict(
            _("The payment identity is shown only when an approved reward is being paid."),
            code="illegal_transition",
        )
    audit_log(who, "tips.reward.identity_viewed", reward.tip, {"reward": str(reward.uuid)})
    return crypto.unseal_text(
        reward.payment_identity_sealed, context=Context.REWARD_PAYMENT.of(reward.uuid)
    )


def reward_pay(*, actor, reward: Reward, payment_reference: str) -> Reward:
    who = as_actor(actor)
    _ensure_approver(who, reward)
    if reward.status != RewardStatus.APPROVED:
        raise Conflict(_("Only an approved reward can be paid."), code="illegal_transition")
    if not (payment_reference or "").strip():
        raise DomainError(
            _("Give the payment reference."), fields={"payment_reference": [_("Required.")]}
        )
    with shared_record_write(
        who, reward.tip, "tips.reward.paid", permission=_approver_of(reward)
    ) as write:
        locked(reward)
        _reward_step(reward, "pay")
        reward.paid_by, reward.paid_at = who.user, timezone.now()
        reward.payment_reference = payment_reference.strip()[:100]
        reward.save()
        write.note(reward=str(reward.uuid), amount=str(reward.amount), currency=reward.currency)
    return reward


def _ensure_may_reject(who, reward: Reward) -> None:
    """A reward approver of the paying organisation, or whoever may write the tip."""
    if who.is_system or not is_reward_approver(who.user, _paying_org(reward)):
        ensure_actor_can_write(who, reward.tip)


def reward_reject(*, actor, reward: Reward, reason: str) -> Reward:
    who = as_actor(actor)
    _ensure_may_reject(who, reward)
    if not (reason or "").strip():
        raise DomainError(_("Say why the reward is rejected."), fields={"reason": [_("Required.")]})
    with shared_record_write(
        who,
        reward.tip,
        "tips.reward.rejected",
        permission=lambda who, tip: _ensure_may_reject(who, reward),
    ) as write:
        locked(reward)
        _reward_step(reward, "reject")
        reward.reason = reason.strip()
        reward.approved_by = None
        reward.save()
        write.note(reward=str(reward.uuid), reason=reward.reason)
    return reward


def payout_report(user, year: int) -> list[dict]:
    """Rewards paid in a year per currency and kind of tip, over the tips the user sees."""
    rows = (
        Reward.objects.filter(
            status=RewardStatus.PAID,
            paid_at__year=year,
            tip__in=Tip.objects.visible_to(user).values("pk"),
        )
        .values("currency", "tip__kind")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("currency", "tip__kind")
    )
    return [
        {
            "currency": r["currency"],
            "kind": r["tip__kind"],
            "kind_label": TipKind(r["tip__kind"]).label,
            "count": r["count"],
            "total": Decimal(r["total"]).quantize(Decimal("0.01")),
        }
        for r in rows
    ]
