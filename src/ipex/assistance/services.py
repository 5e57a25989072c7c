"""Alerts and requests for assistance: one function per use case, transactional, audited
(and so published to the partners they are shared with)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.assistance.models import (
    Alert,
    AlertPriority,
    AssistanceMessage,
    AssistanceRequest,
    MessageKind,
)
from ipex.core.audit import as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.registry import answers
from ipex.core.services import (
    creating_member,
    distribution_check,
    shared_record_create,
    shared_record_write,
)
from ipex.directory.models import Node, Organisation, SharingGroup, SharingGroupMember
from ipex.directory.shareable import local_record


def alert_create(
    *,
    actor,
    owner_org: Organisation,
    title: str,
    body: str,
    priority: str,
    expires_on,
    distribution: str = Distribution.GROUP,
    sharing_group: SharingGroup | None = None,
) -> Alert:
    who = creating_member(actor, owner_org, distribution=distribution, sharing_group=sharing_group)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the alert a title.")]
    if not (body or "").strip():
        errors["body"] = [_("Say what the alert is about.")]
    if priority not in AlertPriority.values:
        errors["priority"] = [_("Choose a priority.")]
    if isinstance(expires_on, str):
        try:
            expires_on = dt.date.fromisoformat(expires_on)
        except ValueError:
            expires_on = None
    if not isinstance(expires_on, dt.date) or expires_on < timezone.localdate():
        errors["expires_on"] = [_("Give a date from today on (YYYY-MM-DD).")]
    refuse_if(errors, _("The alert was not sent; correct the errors."))
    alert = local_record(
        Alert,
        owner_org,
        distribution,
        sharing_group,
        title=title.strip(),
        body=body.strip(),
        priority=priority,
        expires_on=expires_on,
    )
    with shared_record_create(who, alert, "exchange.alert.sent") as write:
        write.note(priority=priority)
    return alert


def _two_party_group(owner_org: Organisation, recipient: Organisation, subject: str):
    group = SharingGroup.objects.create(
        name=f"{_('Assistance')}: {subject[:150]} · {uuid.uuid4().hex[:6]}",
        owner_org=owner_org,
        origin_node=Node.local(),
    )
    SharingGroupMember.objects.create(group=group, organisation=owner_org)
    SharingGroupMember.objects.create(group=group, organisation=recipient)
    return group


def request_create(
    *,
    actor,
    owner_org: Organisation,
    recipient: Organisation,
    subject: str,
    body: str,
    case=None,
    seizures=(),
    sharing_group: SharingGroup | None = None,
) -> AssistanceRequest:
    """Ask an organisation of a partner node; shared with the given group (which must
    include it) or with a new group of the two organisations."""
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    if sharing_group is not None:  # without one, a new group of the two organisations
        distribution_check(actor=who, distribution=Distribution.GROUP, sharing_group=sharing_group)
    errors: dict[str, list[str]] = {}
    if not (subject or "").strip():
        errors["subject"] = [_("Give the request a subject.")]
    if not (body or "").strip():
        errors["body"] = [_("Write the questions.")]
    if (
        recipient is None
        or recipient.origin_node.is_local
        or not answers["partner_node_active"](recipient.origin_node)
    ):
        errors["recipient"] = [_("Choose an organisation of a partner node.")]
    if case is not None and case.owner_org_id != owner_org.pk:
        errors["case"] = [_("Attach a case of your own organisation.")]
    if (
        sharing_group is not None
        and recipient is not None
        and not sharing_group.members.filter(organisation=recipient).exists()
        and not sharing_group.members.filter(node=recipient.origin_node).exists()
    ):
        errors["sharing_group"] = [_("The group does not include the asked organisation.")]
    refuse_if(errors, _("The request was not sent; correct the errors."))
    with transaction.atomic():
        group = sharing_group or _two_party_group(owner_org, recipient, subject.strip())
        request = local_record(
            AssistanceRequest,
            owner_org,
            Distribution.GROUP,
            group,
            subject=subject.strip()[:200],
            body=body.strip(),
            recipient=recipient,
            case=case,
            case_uuid=case.uuid if case else None,
        )
        with shared_record_create(who, request, "exchange.request.sent") as write:
            request.seizures.set(seizures)
            write.note(recipient=recipient.code, case=str(case.uuid) if case else None)
    return request


def request_message(*, actor, request: AssistanceRequest, kind: str, body: str = ""):
    """A message in a request, by either side; only the asked side acknowledges and
    answers. The message is the writer's own record, shared like the request."""
    who = as_actor(actor)
    user = who.user
    sides = {request.owner_org_id: request.owner_org, request.recipient_id: request.recipient}
    mine = [
        o for o in getattr(user, "organisations", []) if o.pk in sides and o.origin_node.is_local
    ]
    if not mine:
        raise Forbidden(_("Only the two organisations of a request write in it."))
    org = mine[0]
    if kind not in MessageKind.values:
        raise DomainError(_("Unknown kind of message."), fields={"kind": [_("Unknown.")]})
    if kind in {MessageKind.ACKNOWLEDGE, MessageKind.ANSWER} and org.pk != request.recipient_id:
        raise Forbidden(_("Only the asked organisation acknowledges or answers."))
    if kind != MessageKind.ACKNOWLEDGE and not (body or "").strip():
        raise DomainError(_("Write the message."), fields={"body": [_("Required.")]})
    if request.closed_at:
        raise Conflict(_("This request is closed."), code="closed")
    message = local_record(
        AssistanceMessage,
        org,
        Distribution.GROUP,
        request.sharing_group,
        request=request,
        kind=kind,
        body=(body or "").strip(),
        author_name=str(user)[:200],
    )
    with shared_record_create(who, message, f"exchange.request.{kind}") as write:
        write.note(request=str(request.uuid))
    return message


def request_close(*, actor, request: AssistanceRequest) -> AssistanceRequest:
    who = as_actor(actor)
    with shared_record_write(who, request, "exchange.request.closed") as write:
        if request.closed_at:
            raise Conflict(_("This request is closed."), code="closed")
        write.set(closed_at=timezone.now())
    return request
