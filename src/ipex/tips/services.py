"""Tip-off and reward writes: one function per use case, transactional, audited.

Nothing here ever sees the tipster's address or user agent: the public entry points take
only what the tipster typed and sent. The audit log names tips by uuid and never carries a
description, contact, message or payment identity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid as uuid_module
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_can_write
from ipex.directory.models import Jurisdiction, Node, Organisation, Role
from ipex.tips import crypto, receipts
from ipex.tips.images import strip_metadata
from ipex.tips.models import (
    Assessment,
    Direction,
    Reward,
    RewardBudget,
    RewardSchedule,
    RewardStatus,
    RoutingRule,
    Tip,
    TipAttachment,
    TipKind,
    TipMessage,
    TipOutcome,
    TipStatus,
)

PUBLIC = Actor.system("public tip form")
MAX_TEXT = 20_000
TIP_FILE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
IMAGE_TYPES = {"image/png", "image/jpeg"}


def files_dir() -> Path:
    return Path(settings.DATA_DIR) / "tips"


# ---------------------------------------------------------------- routing


def route(jurisdiction: Jurisdiction, kind: str) -> Organisation | None:
    """The organisation of the deepest rule covering the place; for the kind before any."""
    ancestors = [jurisdiction.path[:i] for i in range(4, len(jurisdiction.path) + 1, 4)]
    rules = RoutingRule.objects.filter(
        jurisdiction__path__in=ancestors, kind__in=[kind, ""], organisation__is_active=True
    ).select_related("jurisdiction", "organisation")
    best = max(rules, key=lambda r: (len(r.jurisdiction.path), bool(r.kind)), default=None)
    return best.organisation if best else None


def routable_jurisdictions():
    """The places a tip can be about: those under a routing rule, outline order."""
    paths = set(RoutingRule.objects.values_list("jurisdiction__path", flat=True))
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return Jurisdiction.objects.filter(q).order_by("path")


# ---------------------------------------------------------------- files


@dataclass
class Incoming:
    name: str
    data: bytes
    content_type: str
    clean: bytes | None


def _read_files(files, errors: dict, existing: int = 0) -> list[Incoming]:
    """Check every file before anything is written: count, size, type by content."""
    from ipex.cases.evidence import sniff

    files = [f for f in files or [] if f]
    limit, max_bytes = settings.IPEX_TIP_MAX_FILES, settings.IPEX_TIP_MAX_FILE_BYTES
    if existing + len(files) > limit:
        errors["files"] = [_("At most %(n)s files can be sent with a tip.") % {"n": limit}]
        return []
    out, problems = [], []
    for upload in files:
        name = Path(getattr(upload, "name", "") or "file").name[:200]
        if getattr(upload, "size", 0) > max_bytes:
            problems.append(
                _("%(name)s is larger than %(size)s.")
                % {"name": name, "size": filesizeformat(max_bytes)}
            )
            continue
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            problems.append(
                _("%(name)s is larger than %(size)s.")
                % {"name": name, "size": filesizeformat(max_bytes)}
            )
            continue
        try:
            content_type = sniff(data[:16], name, allowed=TIP_FILE_TYPES)
        except DomainError:
            problems.append(
                _("%(name)s is not a photo (JPEG, PNG) or PDF whose content matches its name.")
                % {"name": name}
            )
            continue
        clean = None
        if content_type in IMAGE_TYPES:
            try:
                clean = strip_metadata(data, content_type)
            except Exception:  # noqa: BLE001 - any decoder failure means a broken image
                problems.append(_("%(name)s is not a readable image.") % {"name": name})
                continue
        out.append(Incoming(name=name, data=data, content_type=content_type, clean=clean))
    if problems:
        errors["files"] = problems
    return out


def _store_files(tip: Tip, incoming: list[Incoming], written: list[Path]) -> None:
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for item in incoming:
        attachment = TipAttachment(
            tip=tip,
            name_sealed=crypto.seal(item.name, context=f"tip:{tip.uuid}:file-name"),
            content_type=item.content_type,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            has_clean_copy=item.clean is not None,
        )
        for variant, data in (("original", item.data), ("clean", item.clean)):
            if data is None:
                continue
            path = folder / f"{attachment.uuid}.{variant}"
            path.write_bytes(crypto.seal(data, context=f"attachment:{attachment.uuid}:{variant}"))
            written.append(path)
        attachment.save()


def attachment_bytes(attachment: TipAttachment, variant: str) -> bytes:
    path = files_dir() / f"{attachment.uuid}.{variant}"
    return crypto.unseal(path.read_bytes(), context=f"attachment:{attachment.uuid}:{variant}")


def attachment_file(*, actor, attachment: TipAttachment, variant: str) -> bytes:
    """An attachment for an officer who can see its tip (checked by the caller); audited."""
    who = as_actor(actor)
    data = attachment_bytes(attachment, variant)
    audit_log(
        who,
        "tips.attachment.downloaded",
        attachment.tip,
        {"attachment": str(attachment.uuid), "variant": variant},
    )
    return data


def attachment_name(attachment: TipAttachment) -> str:
    return crypto.unseal_text(
        attachment.name_sealed, context=f"tip:{attachment.tip.uuid}:file-name"
    )


def tip_open(*, actor, tip: Tip) -> dict:
    """The sealed parts of a tip, for an officer who can see it; every opening is audited."""
    audit_log(as_actor(actor), "tips.tip.viewed", tip, {})
    return tip_open_quiet(tip)


def tip_open_quiet(tip: Tip) -> dict:
    """The sealed parts again, within a request whose opening was audited already."""
    return {
        "description": crypto.unseal_text(
            tip.description_sealed, context=f"tip:{tip.uuid}:description"
        ),
        "contact": crypto.unseal_text(tip.contact_sealed, context=f"tip:{tip.uuid}:contact"),
        "conversation": [
            {
                "direction": m.direction,
                "direction_label": m.get_direction_display(),
                "author": str(m.author) if m.author_id else "",
                "body": crypto.unseal_text(m.body_sealed, context=f"tip:{tip.uuid}:message"),
                "at": m.created_at,
            }
            for m in tip.messages.select_related("author")
        ],
    }


def _discard(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- the public side


def _content_hash(kind, jurisdiction, description, contact, incoming) -> str:
    canonical = json.dumps(
        {
            "kind": kind,
            "jurisdiction": jurisdiction,
            "description": description,
            "contact": contact,
            "files": [hashlib.sha256(i.data).hexdigest() for i in incoming],
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def tip_submit(
    *,
    kind: str,
    jurisdiction: str,
    description: str,
    contact: str = "",
    files=(),
    language: str = "en",
) -> tuple[Tip, str, dict]:
    """A tip from the public: checked whole before anything is written; returns the tip, its
    receipt (to show once) and the signed proof of submission."""
    from ipex.tips.proof import make_proof

    errors: dict[str, list[str]] = {}
    if kind not in TipKind.values:
        errors["kind"] = [_("Choose what the tip is about.")]
    description = (description or "").strip()
    contact = (contact or "").strip()
    if not description:
        errors["description"] = [_("Describe what you saw.")]
    elif len(description) > MAX_TEXT:
        errors["description"] = [
            _("The description is longer than %(n)s characters.") % {"n": MAX_TEXT}
        ]
    if len(contact) > 500:
        errors["contact"] = [_("The contact is longer than 500 characters.")]
    place = Jurisdiction.objects.filter(code=(jurisdiction or "").strip().upper()).first()
    organisation = route(place, kind) if place is not None and kind in TipKind.values else None
    if place is None:
        errors["jurisdiction"] = [_("Choose where it happens.")]
    elif organisation is None and "kind" not in errors:
        errors["jurisdiction"] = [
            _("Tips about %(place)s are not taken on this node.") % {"place": place.name}
        ]
    incoming = _read_files(files, errors)
    if errors:
        raise DomainError(
            _("The tip was not sent; correct the errors."), fields=errors, code="invalid_tip"
        )
    now = timezone.now()
    written: list[Path] = []
    try:
        with transaction.atomic():
            for _attempt in range(3):
                code = receipts.new_receipt()
                hashed = receipts.receipt_hash(code)
                if not Tip.objects.filter(receipt_hash=hashed).exists():
                    break
            tip_uuid = uuid_module.uuid4()
            tip = Tip(
                uuid=tip_uuid,
                origin_node=Node.local(),
                owner_org=organisation,
                routed_to=organisation,
                distribution=Distribution.ORG,
                kind=kind,
                jurisdiction=place,
                description_sealed=crypto.seal(description, context=f"tip:{tip_uuid}:description"),
                contact_sealed=(
                    crypto.seal(contact, context=f"tip:{tip_uuid}:contact") if contact else None
                ),
                receipt_hash=hashed,
                content_sha256=_content_hash(kind, place.code, description, contact, incoming),
                language=language,
                created_at=now,
                updated_at=now,
                acknowledge_by=timezone.localdate(now)
                + dt.timedelta(days=settings.IPEX_TIP_ACK_DAYS),
            )
            tip.save()
            _store_files(tip, incoming, written)
            audit_log(
                PUBLIC,
                "tips.tip.received",
                tip,
                {
                    "kind": kind,
                    "jurisdiction": place.code,
                    "routed_to": organisation.code,
                    "attachments": len(incoming),
                },
            )
    except BaseException:
        _discard(written)
        raise
    return tip, code, make_proof(tip)


def tip_by_receipt(raw) -> Tip | None:
    """The tip of a receipt, or None: one argon2id hash and one indexed lookup either way."""
    return (
        Tip.objects.filter(receipt_hash=receipts.receipt_hash(raw), withdrawn_at__isnull=True)
        .select_related("jurisdiction")
        .first()
    )


def tipster_reply(*, tip: Tip, body: str, files=()) -> None:
    """The tipster answers a question and/or sends more files."""
    errors: dict[str, list[str]] = {}
    body = (body or "").strip()
    if len(body) > MAX_TEXT:
        errors["body"] = [_("The message is longer than %(n)s characters.") % {"n": MAX_TEXT}]
    incoming = _read_files(files, errors, existing=tip.attachments.count())
    if not body and not incoming and not errors:
        errors["body"] = [_("Write a reply or add a file.")]
    if tip.status == TipStatus.CLOSED:
        raise Conflict(_("This tip is closed."), code="tip_closed")
    if errors:
        raise DomainError(_("Nothing was sent; correct the errors."), fields=errors)
    written: list[Path] = []
    try:
        with transaction.atomic():
            if body:
                message = TipMessage(tip=tip, direction=Direction.REPLY)
                message.body_sealed = crypto.seal(body, context=f"tip:{tip.uuid}:message")
                message.save()
            _store_files(tip, incoming, written)
            audit_log(
                PUBLIC,
                "tips.tip.tipster_replied",
                tip,
                {"message": bool(body), "files": len(incoming)},
            )
    except BaseException:
        _discard(written)
        raise


def tipster_view(tip: Tip) -> dict:
    """What the tipster sees with the receipt: status, the conversation, the reward."""
    reward = Reward.objects.filter(tip=tip).first()
    return {
        "status": tip.status,
        "status_label": tip.get_status_display(),
        "kind": tip.get_kind_display(),
        "submitted": tip.created_at.date(),
        "messages": [
            {
                "direction": m.direction,
                "body": crypto.unseal_text(m.body_sealed, context=f"tip:{tip.uuid}:message"),
                "at": m.created_at,
            }
            for m in tip.messages.all()
        ],
        "files": tip.attachments.count(),
        "reward": None
        if reward is None
        else {
            "status": reward.status,
            "status_label": reward.get_status_display(),
            "amount": reward.amount if reward.status in {"approved", "paid"} else None,
            "currency": reward.currency,
            "reason": reward.reason if reward.status == RewardStatus.REJECTED else "",
        },
        "can_reply": tip.status != TipStatus.CLOSED,
        "can_claim": reward is not None
        and reward.status in {RewardStatus.CLAIM_INVITED, RewardStatus.REJECTED},
    }


# ---------------------------------------------------------------- officers


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


def cluster(tip: Tip) -> list[Tip]:
    """The tip and every tip linked to it as a duplicate, either way, transitively."""
    seen = {tip.pk: tip}
    frontier = [tip.pk]
    while frontier:
        linked = Tip.objects.filter(
            Q(duplicate_of_id__in=frontier) | Q(duplicates__id__in=frontier)
        ).exclude(pk__in=seen)
        frontier = []
        for other in linked:
            seen[other.pk] = other
            frontier.append(other.pk)
    return list(seen.values())


def first_reporter(tip: Tip) -> Tip:
    """Of a matter reported several times, the tip submitted first."""
    return min(cluster(tip), key=lambda t: (t.created_at, t.pk))


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
        message.body_sealed = crypto.seal(question, context=f"tip:{tip.uuid}:message")
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


# ---------------------------------------------------------------- rewards


def _reward_step(reward: Reward, method: str) -> None:
    if not can_proceed(getattr(reward, method)):
        raise Conflict(
            _("A reward that is '%(status)s' cannot do that.")
            % {"status": reward.get_status_display()},
            code="illegal_transition",
        )
    getattr(reward, method)()


def _locked_reward(reward: Reward) -> Reward:
    Reward.objects.select_for_update().filter(pk=reward.pk).values("pk").get()
    reward.refresh_from_db()
    return reward


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
            from ipex.cases.models import PenaltyType

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
    ensure_can_write(who.user, reward.tip)
    with transaction.atomic():
        _locked_reward(reward)
        _reward_step(reward, "invite")
        reward.save()
        audit_log(who, "tips.reward.claim_invited", reward.tip, {"reward": str(reward.uuid)})
    return reward


def reward_claim(*, tip: Tip, payment_identity: str, reason: str = "") -> Reward:
    """The tipster claims with the receipt (or asks for reconsideration after a rejection,
    with a reason). Only the first reporter of a matter can claim."""
    reward = Reward.objects.filter(tip=tip).first()
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
    if errors:
        raise DomainError(_("The claim was not sent; correct the errors."), fields=errors)
    with transaction.atomic():
        _locked_reward(reward)
        reconsider = reward.status == RewardStatus.REJECTED
        _reward_step(reward, "claim")
        if payment_identity:
            reward.payment_identity_sealed = crypto.seal(
                payment_identity, context=f"reward:{reward.uuid}:payment"
            )
        if reconsider:
            message = TipMessage(tip=tip, direction=Direction.REPLY)
            message.body_sealed = crypto.seal(reason.strip(), context=f"tip:{tip.uuid}:message")
            message.save()
        reward.amount = None
        reward.save()
        audit_log(
            PUBLIC,
            "tips.reward.reconsideration_asked" if reconsider else "tips.reward.claimed",
            tip,
            {"reward": str(reward.uuid)},
        )
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
    ensure_can_write(who.user, reward.tip)
    value = _money(amount, "amount")
    with transaction.atomic():
        _locked_reward(reward)
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
        audit_log(
            who,
            "tips.reward.proposed",
            reward.tip,
            {"reward": str(reward.uuid), "amount": str(value), "currency": reward.currency},
        )
    return reward


def _ensure_approver(who, reward: Reward) -> None:
    budget_org = reward.budget.organisation if reward.budget_id else reward.tip.owner_org
    if who.user is None or not is_reward_approver(who.user, budget_org):
        raise Forbidden(
            _("Only a reward approver of the paying organisation can do that."),
            code="not_approver",
        )


def reward_approve(*, actor, reward: Reward) -> Reward:
    """A second person approves: a reward approver who is not the proposer."""
    who = as_actor(actor)
    _ensure_approver(who, reward)
    if reward.proposed_by_id is not None and who.user.pk == reward.proposed_by_id:
        raise Forbidden(
            _("The person who proposed a reward cannot approve it."), code="proposer_approves"
        )
    with transaction.atomic():
        _locked_reward(reward)
        _reward_step(reward, "approve")
        left = reward.budget.amount - budget_committed(reward.budget, excluding=reward)
        if reward.amount > left:
            raise DomainError(_("The budget no longer covers this reward."), code="over_budget")
        reward.approved_by = who.user
        reward.save()
        audit_log(who, "tips.reward.approved", reward.tip, {"reward": str(reward.uuid)})
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
    with transaction.atomic():
        audit_log(who, "tips.reward.identity_viewed", reward.tip, {"reward": str(reward.uuid)})
    return crypto.unseal_text(
        reward.payment_identity_sealed, context=f"reward:{reward.uuid}:payment"
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
    with transaction.atomic():
        _locked_reward(reward)
        _reward_step(reward, "pay")
        reward.paid_by, reward.paid_at = who.user, timezone.now()
        reward.payment_reference = payment_reference.strip()[:100]
        reward.save()
        audit_log(
            who,
            "tips.reward.paid",
            reward.tip,
            {"reward": str(reward.uuid), "amount": str(reward.amount), "currency": reward.currency},
        )
    return reward


def reward_reject(*, actor, reward: Reward, reason: str) -> Reward:
    who = as_actor(actor)
    budget_org = reward.budget.organisation if reward.budget_id else reward.tip.owner_org
    if not is_reward_approver(who.user, budget_org):
        ensure_can_write(who.user, reward.tip)
    if not (reason or "").strip():
        raise DomainError(_("Say why the reward is rejected."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        _locked_reward(reward)
        _reward_step(reward, "reject")
        reward.reason = reason.strip()
        reward.approved_by = None
        reward.save()
        audit_log(
            who,
            "tips.reward.rejected",
            reward.tip,
            {"reward": str(reward.uuid), "reason": reward.reason},
        )
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


# ---------------------------------------------------------------- steps by name

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
    reward = Reward.objects.filter(tip=tip).first()
    if reward is None:
        raise DomainError(_("This tip has no reward."), code="no_reward")
    {
        "invite": lambda: reward_invite(actor=actor, reward=reward),
        "propose": lambda: reward_propose(actor=actor, reward=reward, amount=amount),
        "approve": lambda: reward_approve(actor=actor, reward=reward),
        "pay": lambda: reward_pay(actor=actor, reward=reward, payment_reference=payment_reference),
        "reject": lambda: reward_reject(actor=actor, reward=reward, reason=reason),
    }[step]()
