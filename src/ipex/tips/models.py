"""Tip-offs from the public and the rewards paid for them.

A tip never leaves its node (it is not exchanged): what identifies a tipster stays here.
Its description, contact, messages and attachments are stored sealed (AES-GCM, see
``ipex.tips.crypto``); the receipt only as an argon2id hash (``ipex.tips.receipts``); and no
address, user agent or other request metadata is kept at all.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMModelMixin, transition

from ipex.core.models import SharedRecord, parent_fk, protected_fk, unique, user_fk, workflow_status


class TipKind(models.TextChoices):
    PRODUCTION_LINE = "production_line", _("Optical-disc production line")
    DISTRIBUTION = "distribution", _("Wholesale or retail distribution")
    ONLINE = "online", _("Online piracy")
    UNLICENSED_SOFTWARE = "unlicensed_software", _("Unlicensed software in an organisation")
    SMUGGLING = "smuggling", _("Smuggling")
    OTHER = "other", _("Other")


class TipStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSESSED = "assessed", _("Assessed")
    CLOSED = "closed", pgettext_lazy("tip status", "Closed")


class Assessment(models.TextChoices):
    CREDIBLE = "credible", _("Credible")
    NOT_CREDIBLE = "not_credible", _("Not credible")
    DUPLICATE = "duplicate", _("Duplicate of another tip")


class TipOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed and acted upon")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    NOT_CREDIBLE = "not_credible", _("Not credible")
    DUPLICATE = "duplicate", _("Duplicate of another tip")
    OUTSIDE_REMIT = "outside_remit", _("Outside our remit")


class TipConfig(models.Model):
    """Node-wide tip settings kept in the database: the salt of receipt hashes."""

    receipt_salt = models.BinaryField(max_length=32)
    time_cost = models.PositiveSmallIntegerField()
    memory_cost = models.PositiveIntegerField()


class RoutingRule(models.Model):
    """Tips about a place (and everything below it), optionally of one kind, go to an
    organisation. The deepest matching place wins; a rule for the kind beats one for any."""

    jurisdiction = protected_fk("directory.Jurisdiction", _("where"))
    kind = models.CharField(_("kind"), max_length=24, choices=TipKind.choices, blank=True)
    organisation = protected_fk("directory.Organisation", _("organisation"))

    class Meta:
        ordering = ["jurisdiction__path", "kind"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [unique("jurisdiction", "kind", name="unique_tip_route")]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} {self.kind or '*'} → {self.organisation.code}"


class Tip(FSMModelMixin, SharedRecord):
    """A tip-off, owned by the organisation it was routed (or escalated) to; seen by that
    organisation and those supervising it, never by anyone else."""

    kind = models.CharField(_("kind"), max_length=24, choices=TipKind.choices)
    jurisdiction = protected_fk("directory.Jurisdiction", _("where"))
    description_sealed = models.BinaryField(_("description (sealed)"))
    contact_sealed = models.BinaryField(_("contact (sealed)"), null=True, blank=True)
    receipt_hash = models.CharField(_("receipt hash"), max_length=64, unique=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    status = workflow_status(TipStatus, TipStatus.RECEIVED)
    assessment = models.CharField(
        _("assessment"), max_length=16, choices=Assessment.choices, blank=True
    )
    duplicate_of = protected_fk("self", _("duplicate of"), optional=True, related_name="duplicates")
    outcome = models.CharField(_("outcome"), max_length=16, choices=TipOutcome.choices, blank=True)
    case = protected_fk("cases.Case", _("case"), optional=True, related_name="tips")
    routed_to = protected_fk("directory.Organisation", _("first routed to"))
    acknowledge_by = models.DateField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.jurisdiction.code} · {str(self.uuid)[:8]}"

    @property
    def submitted_at(self):
        return self.created_at

    @transition(field=status, source=TipStatus.RECEIVED, target=TipStatus.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        """An officer has read the tip."""

    @transition(
        field=status,
        source=[TipStatus.ACKNOWLEDGED, TipStatus.ASSESSED],
        target=TipStatus.ASSESSED,
    )
    def assess(self) -> None:
        """Credible, not credible, or a duplicate."""

    @transition(field=status, source=TipStatus.ASSESSED, target=TipStatus.CLOSED)
    def close(self) -> None:
        """Closed with an outcome."""


class Direction(models.TextChoices):
    QUESTION = "question", _("Question from an officer")
    REPLY = "reply", _("Reply from the tipster")


class TipMessage(models.Model):
    tip = parent_fk(Tip, related_name="messages")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    body_sealed = models.BinaryField(_("message (sealed)"))
    author = user_fk(_("officer"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tip message")
        verbose_name_plural = _("tip messages")


class TipAttachment(models.Model):
    """A file sent with a tip: the original sealed as evidence; for images also a copy
    re-encoded without metadata (EXIF, GPS, camera serials), which is what officers see."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tip = parent_fk(Tip, related_name="attachments")
    name_sealed = models.BinaryField(_("file name (sealed)"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    has_clean_copy = models.BooleanField(_("metadata-free copy"), default=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tip attachment")
        verbose_name_plural = _("tip attachments")


# ---------------------------------------------------------------- rewards


class RewardSchedule(models.Model):
    """What a tip of a kind with an outcome may earn: a fixed ceiling, or a share of the
    fines of the case it led to (e.g. 10 %)."""

    kind = models.CharField(_("kind of tip"), max_length=24, choices=TipKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=TipOutcome.choices)
    ceiling = models.DecimalField(
        _("ceiling"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    percent_of_fines = models.DecimalField(
        _("share of the case's fines (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "outcome"]
        verbose_name = _("reward schedule")
        verbose_name_plural = _("reward schedules")
        constraints = [unique("kind", "outcome", name="unique_reward_schedule")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_outcome_display()}"


class RewardBudget(models.Model):
    """The money an organisation may pay in rewards in a year."""

    organisation = protected_fk("directory.Organisation", _("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["-year", "organisation__code"]
        verbose_name = _("reward budget")
        verbose_name_plural = _("reward budgets")
        constraints = [unique("organisation", "year", "currency", name="unique_reward_budget")]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.year}: {self.amount} {self.currency}"


class RewardStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    CLAIM_INVITED = "claim_invited", _("Claim invited")
    CLAIMED = "claimed", _("Claimed")
    PROPOSED = "proposed", _("Amount proposed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Reward(FSMModelMixin, models.Model):
    """One reward per tip, for its first reporter only. Proposed by one user, approved by
    another (never the proposer), then paid; the payment identity is sealed and shown only
    to the approver at payment, every view audited."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tip = models.OneToOneField(Tip, on_delete=models.PROTECT, related_name="reward")
    schedule = protected_fk(RewardSchedule, _("schedule"))
    budget = protected_fk(RewardBudget, _("budget"), optional=True, related_name="rewards")
    status = workflow_status(RewardStatus, RewardStatus.ELIGIBLE)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3)
    payment_identity_sealed = models.BinaryField(_("payment identity (sealed)"), null=True)
    proposed_by = protected_fk(settings.AUTH_USER_MODEL, _("proposed by"), null=True)
    approved_by = protected_fk(settings.AUTH_USER_MODEL, _("approved by"), null=True)
    paid_by = protected_fk(settings.AUTH_USER_MODEL, _("paid by"), null=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.amount or ''} {self.currency}".strip()

    @transition(field=status, source=RewardStatus.ELIGIBLE, target=RewardStatus.CLAIM_INVITED)
    def invite(self) -> None:
        """The tipster is invited to claim."""

    @transition(
        field=status,
        source=[RewardStatus.CLAIM_INVITED, RewardStatus.REJECTED],
        target=RewardStatus.CLAIMED,
    )
    def claim(self) -> None:
        """The tipster claims (or, after a rejection, asks for reconsideration)."""

    @transition(field=status, source=RewardStatus.CLAIMED, target=RewardStatus.PROPOSED)
    def propose(self) -> None:
        """An officer proposes an amount within the ceiling and the budget."""

    @transition(field=status, source=RewardStatus.PROPOSED, target=RewardStatus.APPROVED)
    def approve(self) -> None:
        """A reward approver who is not the proposer approves."""

    @transition(field=status, source=RewardStatus.APPROVED, target=RewardStatus.PAID)
    def pay(self) -> None:
        """Paid."""

    @transition(
        field=status,
        source=[RewardStatus.CLAIMED, RewardStatus.PROPOSED, RewardStatus.APPROVED],
        target=RewardStatus.REJECTED,
    )
    def reject(self) -> None:
        """Rejected with a reason."""
