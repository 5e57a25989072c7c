"""The officers' side of a tip: opening its sealed parts (audited), acknowledging,
assessing (with the tip it duplicates), asking the tipster, linking a case, closing with an
outcome (which may make a reward due), and the escalation of tips not acknowledged in time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_actor_can_write
from ipex.core.services import shared_record_transition, shared_record_write
from ipex.core.visibility import may_name
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

ESCALATION = Actor.system("tip escalation")


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


def _illegal_step(tip: Tip) -> Conflict:
    return Conflict(
        _("A tip that is '%(status)s' cannot do that.") % {"status": tip.get_status_display()},
        code="illegal_transition",
    )


def tip_acknowledge(*, actor, tip: Tip) -> Tip:
    who = as_actor(actor)
    with shared_record_transition(
        who, tip, "acknowledge", "tips.tip.acknowledged", refused=_illegal_step
    ):
        tip.acknowledged_at = timezone.now()
    return tip


def tip_assess(*, actor, tip: Tip, assessment: str, duplicate_of: Tip | None = None) -> Tip:
    who = as_actor(actor)
    ensure_actor_can_write(who, tip)
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
        if not may_name(who, duplicate_of):
            raise DomainError(
                _("Unknown tip."), fields={"duplicate_of": [_("Unknown.")]}, code="not_found"
            )
    with shared_record_transition(
        who, tip, "assess", "tips.tip.assessed", refused=_illegal_step
    ) as write:
        tip.assessment = assessment
        tip.duplicate_of = duplicate_of if assessment == Assessment.DUPLICATE else None
        write.note(
            assessment=assessment,
            **({"duplicate_of": str(duplicate_of.uuid)} if tip.duplicate_of else {}),
        )
    return tip


def tip_ask(*, actor, tip: Tip, question: str) -> TipMessage:
    who = as_actor(actor)
    ensure_actor_can_write(who, tip)
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Write the question."), fields={"question": [_("Required.")]})
    if len(question) > MAX_TEXT:
        raise DomainError(
            _("The message is longer than %(n)s characters.") % {"n": MAX_TEXT},
            fields={"question": [_("Too long.")]},
        )
    with shared_record_write(who, tip, "tips.tip.question_asked") as write:
        if tip.status == TipStatus.CLOSED:
            raise Conflict(_("This tip is closed."), code="tip_closed")
        message = TipMessage(tip=tip, direction=Direction.QUESTION, author=who.user)
        message.body_sealed = crypto.seal(question, context=Context.TIP_MESSAGE.of(tip.uuid))
        message.save()
        write.note(message=message.pk)
    return message


def tip_link_case(*, actor, tip: Tip, case) -> Tip:
    """Link the tip to a case the officer can see; the case records the link too (a new
    version of a case of this node; a partner's case is only audited here, its versions are
    its origin's)."""

    who = as_actor(actor)
    ensure_actor_can_write(who, tip)

    def ensure_visible(who, case) -> None:
        if case is None or not may_name(who, case):
            raise DomainError(
                _("No case you can see has that reference."),
                fields={"case": [_("Unknown.")]},
                code="not_found",
            )

    ensure_visible(who, case)
    with transaction.atomic():
        with shared_record_write(who, tip, "tips.tip.case_linked") as write:
            tip.case = case
            write.note(case=str(case.uuid))
        if case.is_replica:
            audit_log(who, "cases.case.tip_linked", case, {"tip": str(tip.uuid)})
        else:
            # The tip's officers may link a case they can see but not change.
            with shared_record_write(
                who, case, "cases.case.tip_linked", permission=ensure_visible
            ) as write:
                write.note(tip=str(tip.uuid))
    return tip


def tip_close(*, actor, tip: Tip, outcome: str) -> Tip:
    """Close with an outcome. A confirmed tip whose kind has a reward schedule, and that was
    the first report of its matter, becomes eligible for a reward."""
    who = as_actor(actor)
    ensure_actor_can_write(who, tip)
    if outcome not in TipOutcome.values:
        raise DomainError(
            _("A tip is closed with an outcome."),
            fields={"outcome": [_("Choose the outcome.")]},
            code="no_outcome",
        )
    with shared_record_transition(
        who, tip, "close", "tips.tip.closed", refused=_illegal_step
    ) as write:
        tip.outcome = outcome
        tip.closed_at = timezone.now()
        schedule = RewardSchedule.objects.filter(kind=tip.kind, outcome=outcome).first()
        eligible = (
            schedule is not None
            and outcome == TipOutcome.CONFIRMED
            and first_reporter(tip).pk == tip.pk
        )
        if eligible:
            Reward.objects.create(tip=tip, schedule=schedule, currency=schedule.currency)
        write.note(outcome=outcome, reward_eligible=eligible)
    return tip


def tips_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Tips not acknowledged in time go to the supervising organisation (once)."""
    today = today or timezone.localdate()
    moved = 0
    for tip in Tip.objects.filter(
        status=TipStatus.RECEIVED, acknowledge_by__lt=today, escalated_at__isnull=True
    ).select_related("owner_org"):
        with shared_record_write(ESCALATION, tip, "tips.tip.escalated") as write:
            parent = Organisation.objects.get_parent(tip.owner_org)
            if parent is None or tip.status != TipStatus.RECEIVED or tip.escalated_at:
                write.skip()  # acknowledged (or escalated) meanwhile, or nowhere to go
                continue
            write.note(**{"from": tip.owner_org.code, "to": parent.code})
            tip.owner_org = parent
            tip.escalated_at = timezone.now()
        moved += 1
    return moved
