"""Agreements, meetings, action item updates, joint operations and result summaries as they
travel to the participating nodes. A summary carries figures only, never the records."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipex.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementKind,
    ItemStatus,
    ItemUpdate,
    JointOperation,
    Meeting,
    MeetingKind,
    MeetingMode,
    ResultSummary,
)
from ipex.directory.models import Organisation, SharingGroup
from ipex.directory.shareable import (
    Refused,
    ShareableType,
    date_value,
    org_ref,
    text_value,
)


def _orgs(refs) -> list:
    """The organisations named, those known here (a party on a node this one does not know
    cannot be anyone here)."""
    out = []
    for ref in refs:
        org = Organisation.objects.filter(code=ref["code"], origin_node__uuid=ref["node"]).first()
        if org is not None:
            out.append(org)
    return out


def _refs(orgs) -> list[dict]:
    return sorted((org_ref(o) for o in orgs), key=lambda r: r["code"])


def _choice(value, choices, what: str) -> str:
    if value not in choices:
        raise Refused(f"unknown {what}")
    return value


_ORGS = ("parties__jurisdiction", "parties__origin_node")


class AgreementType(ShareableType):
    name = "cooperation.agreement"
    model = Agreement
    prefetch = (*_ORGS, "groups")

    def payload(self, obj) -> dict:
        return {
            "title": obj.title,
            "kind": obj.kind,
            "parties": _refs(obj.parties.all()),
            "signed_on": obj.signed_on.isoformat(),
            "starts_on": obj.starts_on.isoformat(),
            "ends_on": obj.ends_on.isoformat() if obj.ends_on else None,
            "scope": obj.scope,
            "scope_kinds": obj.scope_kinds,
            "scope_categories": obj.scope_categories,
            "documents": obj.documents,
            "groups": sorted(str(g.uuid) for g in obj.groups.all()),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        fields = {
            **self._common(envelope, origin),
            "title": text_value(payload["title"])[:200],
            "kind": _choice(payload["kind"], AgreementKind.values, "kind of agreement"),
            "signed_on": date_value(payload["signed_on"]),
            "starts_on": date_value(payload["starts_on"]),
            "ends_on": date_value(payload["ends_on"]),
            "scope": text_value(payload["scope"]),
            "scope_kinds": [str(k) for k in payload["scope_kinds"]],
            "scope_categories": [str(c) for c in payload["scope_categories"]],
            "documents": [
                {k: text_value(d.get(k)) for k in ("language", "title", "url")}
                for d in payload["documents"]
            ],
        }
        row, _new = self.replica_write(obj_uuid, fields)
        row.parties.set(_orgs(payload["parties"]))
        row.groups.set(SharingGroup.objects.filter(uuid__in=payload["groups"]))


class MeetingType(ShareableType):
    name = "cooperation.meeting"
    model = Meeting
    prefetch = ("participants__jurisdiction", "participants__origin_node", "items__owner")

    def payload(self, obj) -> dict:
        return {
            "title": obj.title,
            "kind": obj.kind,
            "mode": obj.mode,
            "starts_at": obj.starts_at.isoformat(),
            "ends_at": obj.ends_at.isoformat(),
            "time_zone": obj.time_zone,
            "participants": _refs(obj.participants.all()),
            "agenda": obj.agenda,
            "minutes": obj.minutes,
            "decisions": obj.decisions,
            "items": [
                {
                    "uuid": str(i.uuid),
                    "owner": i.owner.code,
                    "text": i.text,
                    "due_on": i.due_on.isoformat(),
                }
                for i in obj.items.all()
            ],
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        starts_at = dt.datetime.fromisoformat(payload["starts_at"])
        ends_at = dt.datetime.fromisoformat(payload["ends_at"])
        if ends_at <= starts_at:
            raise Refused("a meeting that ends before it starts")
        participants = {o.code: o for o in _orgs(payload["participants"])}
        named = {ref["code"] for ref in payload["participants"]}
        if any(item["owner"] not in named for item in payload["items"]):
            raise Refused("an action item of an organisation that does not take part")
        fields = {
            **self._common(envelope, origin),
            "title": text_value(payload["title"])[:200],
            "kind": _choice(payload["kind"], MeetingKind.values, "kind of meeting"),
            "mode": _choice(payload["mode"], MeetingMode.values, "form of meeting"),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": text_value(payload["time_zone"])[:64],
            "agenda": text_value(payload["agenda"]),
            "minutes": {str(k): text_value(v) for k, v in payload["minutes"].items()},
            "decisions": text_value(payload["decisions"]),
        }
        row, _new = self.replica_write(obj_uuid, fields)
        row.participants.set(participants.values())
        kept = []
        for item in payload["items"]:
            owner = participants.get(item["owner"])
            if owner is None:
                continue  # an organisation of a node unknown here
            line = {"owner": owner, "text": text_value(item["text"]), "due_on": item["due_on"]}
            ActionItem.objects.update_or_create(uuid=item["uuid"], meeting=row, defaults=line)
            kept.append(item["uuid"])
        row.items.exclude(uuid__in=kept).delete()


class ItemUpdateType(ShareableType):
    """An owner's update of its action item: refused unless it comes from the node of the
    organisation that owns the item, for that organisation."""

    name = "cooperation.itemupdate"
    model = ItemUpdate
    prefetch = ("meeting", "item")

    def payload(self, obj) -> dict:
        return {
            "meeting": str(obj.meeting.uuid),
            "item": str(obj.item.uuid),
            "status": obj.status,
            "note": obj.note,
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        item = (
            ActionItem.objects.filter(uuid=payload["item"], meeting__uuid=payload["meeting"])
            .select_related("owner", "meeting")
            .first()
        )
        if item is None:
            raise Refused("an update of an action item this node does not hold")
        fields = self._common(envelope, origin, answering=not item.meeting.is_replica)
        if fields["owner_org"].pk != item.owner_id or item.owner.origin_node_id != origin.pk:
            raise Refused("a status update from a node that does not own the item")
        self.replica_write(
            obj_uuid,
            {
                **fields,
                "meeting": item.meeting,
                "item": item,
                "status": _choice(payload["status"], ItemStatus.values, "status"),
                "note": text_value(payload["note"]),
            },
        )


class JointOperationType(ShareableType):
    name = "cooperation.jointoperation"
    model = JointOperation
    prefetch = ("participants__jurisdiction", "participants__origin_node")

    def payload(self, obj) -> dict:
        return {
            "title": obj.title,
            "participants": _refs(obj.participants.all()),
            "starts_on": obj.starts_on.isoformat(),
            "ends_on": obj.ends_on.isoformat(),
            "phases": obj.phases,
            "targets": obj.targets,
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        fields = {
            **self._common(envelope, origin),
            "title": text_value(payload["title"])[:200],
            "starts_on": date_value(payload["starts_on"]),
            "ends_on": date_value(payload["ends_on"]),
            "phases": [
                {k: text_value(p.get(k)) for k in ("name", "starts_on", "ends_on")}
                for p in payload["phases"]
            ],
            "targets": text_value(payload["targets"]),
        }
        row, _new = self.replica_write(obj_uuid, fields)
        row.participants.set(_orgs(payload["participants"]))


def _figures(value) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and type(v) is int and v >= 0 for k, v in value.items()
    ):
        raise Refused("figures that are not counts")
    return value


class ResultSummaryType(ShareableType):
    """A participating organisation's figures, refused unless its node sends them for one of
    its own organisations taking part, and never older than the one held."""

    name = "cooperation.resultsummary"
    model = ResultSummary
    prefetch = ("operation",)

    def payload(self, obj) -> dict:
        return {
            "operation": str(obj.operation.uuid),
            "figures": obj.figures,
            "computed_at": obj.computed_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        operation = JointOperation.objects.filter(uuid=payload["operation"]).first()
        if operation is None:
            raise Refused("a summary of an operation this node does not hold")
        fields = self._common(envelope, origin, answering=not operation.is_replica)
        org = fields["owner_org"]
        if org.origin_node_id != origin.pk:
            raise Refused("a summary for an organisation of another node")
        if not operation.participants.filter(pk=org.pk).exists():
            raise Refused("a summary for an organisation that does not take part")
        computed_at = dt.datetime.fromisoformat(payload["computed_at"])
        held = ResultSummary.objects.filter(operation=operation, owner_org=org).first()
        if held is not None and str(held.uuid) != str(obj_uuid):
            raise Refused("a second summary for one organisation")
        if held is not None and held.computed_at > computed_at:
            raise Refused("a summary older than the one held")
        self.replica_write(
            obj_uuid,
            {
                **fields,
                "operation": operation,
                "figures": _figures(payload["figures"]),
                "computed_at": computed_at,
                "received_at": timezone.now(),
            },
        )
