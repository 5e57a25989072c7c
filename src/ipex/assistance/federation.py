"""Alerts, requests for assistance and their messages as they travel to partner nodes. Their
kinds on the wire keep the ``exchange.`` prefix they were first published under."""

from __future__ import annotations

import datetime as dt

from ipex.assistance.models import (
    Alert,
    AlertPriority,
    AssistanceMessage,
    AssistanceRequest,
    MessageKind,
)
from ipex.cases.models import Case
from ipex.directory.models import Organisation
from ipex.directory.shareable import (
    Refused,
    ShareableType,
    date_value,
    org_ref,
    text_value,
)
from ipex.seizures.models import Seizure


class AlertType(ShareableType):
    name = "exchange.alert"

    model = Alert

    def payload(self, obj) -> dict:
        return {
            "title": obj.title,
            "body": obj.body,
            "priority": obj.priority,
            "expires_on": obj.expires_on.isoformat(),
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        if payload["priority"] not in AlertPriority.values:
            raise Refused("unknown priority")
        fields = {
            **self._common(envelope, origin),
            "title": text_value(payload["title"])[:200],
            "body": text_value(payload["body"]),
            "priority": payload["priority"],
            "expires_on": date_value(payload["expires_on"]),
        }
        self.replica_write(obj_uuid, fields)


class AssistanceRequestType(ShareableType):
    """The request, naming the asked organisation and the shared case and seizures by uuid
    (linked here only if they were shared with this node too)."""

    name = "exchange.assistancerequest"
    prefetch = ("seizures", "recipient__jurisdiction", "recipient__origin_node", "case")

    model = AssistanceRequest

    def payload(self, obj) -> dict:
        return {
            "subject": obj.subject,
            "body": obj.body,
            "recipient": org_ref(obj.recipient),
            "case": str(obj.case.uuid) if obj.case_id else None,
            "seizures": sorted(str(s.uuid) for s in obj.seizures.all()),
            "closed_at": obj.closed_at.isoformat() if obj.closed_at else None,
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:

        ref = payload["recipient"]
        recipient = Organisation.objects.filter(
            code=ref["code"], origin_node__uuid=ref["node"]
        ).first()
        if recipient is None:
            raise Refused(f"unknown asked organisation {ref['code']}")
        fields = {
            **self._common(envelope, origin),
            "subject": text_value(payload["subject"])[:200],
            "body": text_value(payload["body"]),
            "recipient": recipient,
            "case": Case.objects.filter(uuid=payload["case"]).first() if payload["case"] else None,
            "case_uuid": payload["case"],
            "closed_at": dt.datetime.fromisoformat(payload["closed_at"])
            if payload["closed_at"]
            else None,
        }
        row = self.replica_write(obj_uuid, fields)[0]
        row.seizures.set(Seizure.objects.filter(uuid__in=payload["seizures"]))


class AssistanceMessageType(ShareableType):
    name = "exchange.assistancemessage"
    model = AssistanceMessage
    prefetch = ("request",)
    answers = "request"

    def payload(self, obj) -> dict:
        return {
            "request": str(obj.request.uuid),
            "kind": obj.kind,
            "body": obj.body,
            "author_name": obj.author_name,
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        request = self.answered(payload, "a message in a request this node does not hold")
        if payload["kind"] not in MessageKind.values:
            raise Refused("unknown kind of message")
        fields = {
            # A message in one of this node's own requests may name this node's group.
            **self._common(envelope, origin, answering=not request.is_replica),
            "request": request,
            "kind": payload["kind"],
            "body": text_value(payload["body"]),
            "author_name": text_value(payload["author_name"])[:200],
        }
        self.replica_write(
            obj_uuid, fields, created_at=dt.datetime.fromisoformat(payload["created_at"])
        )


def link_requests_to_case(case: Case) -> None:
    """Requests for assistance that named a partner's case before it arrived link to it now."""
    AssistanceRequest.objects.filter(case_uuid=case.uuid, case__isnull=True).update(case=case)
