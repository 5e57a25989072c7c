"""The officers' side of a tip: opening its sealed parts (audited), acknowledging,
assessing (with the tip it duplicates), asking the tipster, linking a case, closing with an
outcome (which may make a reward due), and the escalation of tips not acknowledged in time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_can_write
from ipex.directory.models import Organisation
from ipex.tips import crypto
from ipex.tips.crypto import Context
from ipex.tips.models import (
    Assessment,
    Direction,
    Reward,
    RewardSchedule,
    Tip,
    TipMessage,
    TipOutcome,
    TipStatus,
)
from ipex.tips.queries import first_reporter
from ipex.tips.services.submission import MAX_TEXT


def tip_open(*, actor, tip: Tip) -> dict:
    """The sealed parts of a tip, for an officer who can see it; every opening is audited."""
    audit_log(as_actor(actor), "tips.tip.viewed", tip, {})
    return tip_open_quiet(tip)


def tip_open_quiet(tip: Tip) -> dict:
    """The sealed parts again, within a request whose opening was audited already."""
    return {
        "description": crypto.unseal_text(
            tip.description_sealed, context=Context.TIP_DESCRIPTION.of(tip.uuid)
        ),
        "contact": crypto.unseal_text(tip.contact_sealed, context=Context.TIP_CONTACT.of(tip.uuid)),
        "conversation": [
            {
                "direction": m.direction,
                "direction_label": m.get_direction_display(),
                "author": str(m.author) if m.author_id else "",
                "body": crypto.unseal_text(m.body_sealed, context=Context.TIP_MESSAGE.of(tip.uuid)),
                "at": m.created_at,
            }
            for m in tip.messages.select_related("author")
        ],
    }


def _step(tip: Tip, method: str) -> None:
    if not can_proceed(getattr(tip, method)):
        raise Conflict(
            _("A tip that is '%(status)s' cannot do that.") % {"status": tip.get_status_display()},
            code="illegal_transition",
        )
    getattr(tip, method)()


def _locked(tip: Tip) -> Tip:
    Tip.objects.select_for_update().filter(pk=tip.pk).values("pk").get()
    tip.refresh_from_db()
    return tip


def tip_acknowledge(*, actor, tip: Tip) -> Tip:
    who = as_actor(actor)
    ensure_can_write(who.user, tip)
    with transaction.atomic():
        _locked(tip)
        _step(tip, "acknowledge")
        tip.acknowledged_at = timezone.now()
        tip.version += 1
        tip.save()
        audit_log(who, "tips.tip.acknowledged", tip, {})
    return tip


def tip_assess(*, actor, tip: Tip, assessment: str, duplicate_of: Tip | None = None) -> Tip:
    who = as_actor(actor)
    ensure_can_write(who.user, tip)
    if assessment not in Assessment.values:
        raise DomainError(
            _("Choose an assessment."), fields={"assessment": [_("Choose an assessment.")]}
        )
    if assessment == Assessment.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == tip.pk:
            raise DomainError(
                _("Name the other tip this one duplicates."),
                fields={"duplicate_of": [_("Name another tip you can see.")]},
            )
        if not Tip.objects.visible_to(who.user).filter(pk=duplicate_of.pk).exists():
            raise DomainError(
                _("Unknown tip."), fields={"duplicate_of": [_("Unknown.")]}, code="not_found"
            )
    with transaction.atomic():
        _locked(tip)
        _step(tip, "assess")
        tip.assessment = assessment
        tip.duplicate_of = duplicate_of if assessment == Assessment.DUPLICATE else None
        tip.version += 1
        tip.save()
        audit_log(
            who,
            "tips.tip.assessed",
            tip,
            {
                "assessment": assessment,
                **({"duplicate_of": str(duplicate_of.uuid)} if tip.duplicate_of else {}),
            },
        )
    return tip


def tip_ask(*, actor, tip: Tip, question: str) -> TipMessage:
    who = as_actor(actor)
    ensure_can_write(who.user, tip)
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Write the question."), fields={"question": [_("Required.")]})
    if len(question) > MAX_TEXT:
        raise DomainError(
            _("The message is longer than %(n)s characters.") % {"n": MAX_TEXT},
            fields={"question": [_("Too long.")]},
        )
    if tip.status == TipStatus.CLOSED:
        raise Conflict(_("This tip is closed."), code="tip_closed")
    with transaction.atomic():
        message = TipMessage(tip=tip, direction=Direction.QUESTION, author=who.user)
        message.body_sealed = crypto.seal(question, context=Context.TIP_MESSAGE.of(tip.uuid))
        message.save()
        audit_log(who, "tips.tip.question_asked", tip, {"message": message.pk})
    return message


def tip_link_case(*, actor, tip: Tip, case) -> Tip:
    """Link the tip to a case the officer can see."""
    from ipex.cases.models import Case

    who = as_actor(actor)
    ensure_can_write(who.user, tip)
    if case is None or not Case.objects.visible_to(who.user).filter(pk=case.pk).exists():
        raise DomainError(
            _("No case you can see has that reference."),
            fields={"case": [_("Unknown.")]},
            code="not_found",
        )
    with transaction.atomic():
        _locked(tip)
        tip.case = case
        tip.version += 1
        tip.save()
        audit_log(who, "tips.tip.case_linked", tip, {"case": str(case.uuid)})
        audit_log(who, "cases.case.tip_linked", case, {"tip": str(tip.uuid)})
    return tip


def tip_close(*, actor, tip: Tip, outcome: str) -> Tip:
    """Close with an outcome. A confirmed tip whose kind has a reward schedule, and that was
    the first report of its matter, becomes eligible for a reward."""
    who = as_actor(actor)
    ensure_can_write(who.user, tip)
    if outcome not in TipOutcome.values:
        raise DomainError(
            _("A tip is closed with an outcome."),
            fields={"outcome": [_("Choose the outcome.")]},
            code="no_outcome",
        )
    with transaction.atomic():
        _locked(tip)
        _step(tip, "close")
        tip.outcome = outcome
        tip.closed_at = timezone.now()
        tip.version += 1
        tip.save()
        schedule = RewardSchedule.objects.filter(kind=tip.kind, outcome=outcome).first()
        eligible = (
            schedule is not None
            and outcome == TipOutcome.CONFIRMED
            and first_reporter(tip).pk == tip.pk
        )
        if eligible:
            Reward.objects.create(tip=tip, schedule=schedule, currency=schedule.currency)
        audit_log(who, "tips.tip.closed", tip, {"outcome": outcome, "reward_eligible": eligible})
    return tip


def tips_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Tips not acknowledged in time go to the supervising organisation (once)."""
    today = today or timezone.localdate()
    moved = 0
    for tip in Tip.objects.filter(
        status=TipStatus.RECEIVED, acknowledge_by__lt=today, escalated_at__isnull=True
    ).select_related("owner_org"):
        parent = Organisation.objects.get_parent(tip.owner_org)
        if parent is None:
            continue
        with transaction.atomic():
            before = tip.owner_org.code
            tip.owner_org = parent
            tip.escalated_at = timezone.now()
            tip.version += 1
            tip.save()
            audit_log(
                Actor.system("tip escalation"),
                "tips.tip.escalated",
                tip,
                {"from": before, "to": parent.code},
            )
        moved += 1
    return moved
