"""Exchange between nodes: partners and their keys, the outbox (change log and per-partner
disclosures), what was applied from each partner, quarantine, sync state and seen nonces.

Principles (DESIGN, "Exchange between nodes"): the origin owns a record; the cursor is a
sequence number, never a clock; every version is a full, signed state; who may receive a
version is decided once, when it is written, and recorded (``Disclosure``); a tombstone is a
version and is kept for good.
"""

from __future__ import annotations

import orjson
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.core.models import parent_fk, unique


class PartnerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the other side")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Partner(models.Model):
    """Another node this node exchanges with. Active only when this side approved it and the
    other side has answered, signed, that it approved this node too."""

    node = models.OneToOneField(
        "directory.Node", on_delete=models.PROTECT, related_name="partner", verbose_name=_("node")
    )
    approved_here_at = models.DateTimeField(_("approved here"), null=True, blank=True)
    approved_there_at = models.DateTimeField(_("approved there"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.node.name

    @property
    def status(self) -> str:
        if self.suspended_at:
            return PartnerStatus.SUSPENDED
        if self.approved_here_at and self.approved_there_at:
            return PartnerStatus.ACTIVE
        return PartnerStatus.PENDING

    def get_status_display(self) -> str:
        return str(PartnerStatus(self.status).label)

    @property
    def is_active(self) -> bool:
        return self.status == PartnerStatus.ACTIVE


class NodeKey(models.Model):
    """Every public key a node has used: the current one signs; old ones still verify the
    versions signed with them."""

    node = parent_fk("directory.Node", related_name="keys")
    public_key = models.CharField(_("public key"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    # A key made by a rotation is endorsed by the key before it (its signature over the new
    # public key): how partners come to trust it without another exchange out of band.
    endorsed_by = models.CharField(_("endorsed by"), max_length=64, blank=True)
    endorsement = models.CharField(_("endorsement"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("node key")
        verbose_name_plural = _("node keys")
        constraints = [unique("node", "public_key", name="unique_node_key")]

    @classmethod
    def of(cls, node) -> dict[str, str]:
        """Every key a node has used, retired ones too: key id → public key (base64)."""
        return dict(cls.objects.filter(node=node).values_list("key_id", "public_key"))


class EnvelopeField(models.JSONField):
    """JSON read back with orjson (a page of changes reads a thousand envelopes; the standard
    library took a quarter of the time of serving one); anything orjson will not read (a NaN,
    say) goes the usual way."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str | bytes) and not isinstance(expression, KeyTransform):
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        return super().from_db_value(value, expression, connection)

    def deconstruct(self):  # stored exactly as a JSONField: no migration, no table rebuilt
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class ChangeLog(models.Model):
    """One signed version of a local shared record; ``seq`` is the cursor partners pull by."""

    seq = models.BigAutoField(primary_key=True)
    record_type = models.CharField(max_length=40)
    record_uuid = models.UUIDField(db_index=True)
    version = models.PositiveIntegerField()
    tombstone = models.BooleanField(default=False)
    envelope = EnvelopeField()
    # HMAC of the envelope as signed, keyed from this node's private key (never stored
    # here): the egress check's proof that the row was not changed since, at a fraction of
    # the cost of checking the signature again (which it falls back to when this is absent
    # or does not match, after a key rotation say).
    seal = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            unique(
                "record_type", "record_uuid", "version", "tombstone", name="unique_change_version"
            )
        ]


class DisclosureAction(models.TextChoices):
    UPSERT = "upsert", _("Sent")
    TOMBSTONE = "tombstone", _("Withdrawn")


class Disclosure(models.Model):
    """What a partner is given of a change: the version itself, or a tombstone when the
    partner just lost access. Also the record of who was sent what."""

    change = models.ForeignKey(ChangeLog, on_delete=models.PROTECT, related_name="disclosures")
    partner = models.ForeignKey(
        "directory.Node", on_delete=models.PROTECT, related_name="disclosures"
    )
    action = models.CharField(max_length=10, choices=DisclosureAction.choices)

    class Meta:
        indexes = [models.Index(fields=["partner", "change"], name="disclosure_partner_seq")]
        constraints = [unique("change", "partner", name="unique_disclosure")]


class ReplicaState(models.Model):
    """The version of a partner's record held here; a tombstone is kept for good so that an
    older version never brings a withdrawn record back."""

    origin = models.ForeignKey("directory.Node", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)
    record_uuid = models.UUIDField()
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    tombstone = models.BooleanField(default=False)
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [unique("record_type", "record_uuid", name="unique_replica_state")]


class Quarantine(models.Model):
    """An envelope refused for a reason worth an alarm (same version, other content; a
    record claimed by a node that does not own it; a bad signature)."""

    partner = models.ForeignKey("directory.Node", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    envelope = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quarantined envelope")
        verbose_name_plural = _("quarantined envelopes")


class SyncState(models.Model):
    """Where pulling from a partner stands: its cursor is stored with each applied batch."""

    partner = models.OneToOneField(
        "directory.Node", on_delete=models.CASCADE, related_name="sync_state"
    )
    cursor = models.BigIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    applied = models.PositiveBigIntegerField(default=0)
    # A pull asked for by the partner's doorbell and not started yet: more rings meanwhile
    # add nothing (a burst of changes is one pull, not one each).
    pull_queued_at = models.DateTimeField(null=True, blank=True)


class SeenNonce(models.Model):
    """Nonces of signed requests and responses already accepted: a replay is refused."""

    node = models.ForeignKey("directory.Node", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [unique("node", "nonce", name="unique_seen_nonce")]
