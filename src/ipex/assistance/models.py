"""Alerts and requests for assistance: shareable records that organisations send one another,
on this node or a partner's (they travel as every shared record does, see ``federation``).

The tables keep the names they had when these models lived in the ``exchange`` app, so a
node's data did not move when the code did.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipex.core.models import SharedRecord, parent_fk, protected_fk
from ipex.core.visibility import shared_record_q


class AlertPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Alert(SharedRecord):
    """A warning to other organisations (a shipment, a network, a new trick), until it
    expires; its recipients are those it is shared with."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=AlertPriority.choices, default=AlertPriority.NORMAL
    )
    expires_on = models.DateField(_("expires"))

    class Meta(SharedRecord.Meta):
        db_table = "exchange_alert"
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()


class AssistanceStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class AssistanceRequest(SharedRecord):
    """A request from an organisation on this node to one on a partner node. The requester
    owns it (and closes it); the other side acknowledges and answers with messages of its
    own, which travel back: each side only ever writes its own records."""

    subject = models.CharField(pgettext_lazy("request for assistance", "subject"), max_length=200)
    body = models.TextField(_("questions"))
    recipient = protected_fk("directory.Organisation", _("asked organisation"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("case"),
    )
    # The case named by the request, kept even while it is not (yet) shared with this node,
    # so the link is made when the case arrives.
    case_uuid = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    seizures = models.ManyToManyField(
        "seizures.Seizure", blank=True, related_name="+", verbose_name=_("seizures")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta(SharedRecord.Meta):
        db_table = "exchange_assistancerequest"
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")

    def __str__(self) -> str:
        return self.subject

    @classmethod
    def with_status(cls, queryset):
        """The queryset with what ``status`` needs, so a list does not ask row by row."""
        replies = AssistanceMessage.objects.filter(
            request=OuterRef("pk"), withdrawn_at__isnull=True, owner_org=OuterRef("recipient")
        )
        return queryset.annotate(
            recipient_replied=Exists(replies),
            recipient_answered=Exists(replies.filter(kind=MessageKind.ANSWER)),
        )

    @property
    def status(self) -> str:
        if self.closed_at:
            return AssistanceStatus.CLOSED
        if hasattr(self, "recipient_replied"):
            answered, replied = self.recipient_answered, self.recipient_replied
        else:
            kinds = set(
                self.messages.filter(
                    withdrawn_at__isnull=True, owner_org=self.recipient
                ).values_list("kind", flat=True)
            )
            answered, replied = MessageKind.ANSWER in kinds, bool(kinds)
        if answered:
            return AssistanceStatus.ANSWERED
        if replied:
            return AssistanceStatus.ACKNOWLEDGED
        return AssistanceStatus.SENT

    def get_status_display(self) -> str:
        return str(AssistanceStatus(self.status).label)


class MessageKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
    ANSWER = "answer", _("Answer")
    MESSAGE = "message", _("Message")


class AssistanceMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A message is seen by whoever may see its request (both sides of it), and as any
        shared record."""

        requests = AssistanceRequest.objects.visible_to(user)
        return self.filter(withdrawn_at__isnull=True).filter(
            shared_record_q(user) | models.Q(request__in=requests)
        )

    def live(self):
        return self.filter(withdrawn_at__isnull=True)


class AssistanceMessage(SharedRecord):
    """A message in a request for assistance, owned by the side that wrote it; it always
    reaches the request's own node, whatever group the request is shared with."""

    objects = AssistanceMessageQuerySet.as_manager()

    request = parent_fk(AssistanceRequest, related_name="messages")
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    body = models.TextField(_("text"), blank=True)
    author_name = models.CharField(_("from"), max_length=200, blank=True)

    class Meta(SharedRecord.Meta):
        db_table = "exchange_assistancemessage"
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
