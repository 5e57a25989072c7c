"""What crosses to a partner, type by type: an allow-list of fields per shareable type (the
payload is built from it, never by loading everything and stripping), and how a partner's
payload becomes a read-only replica here.

A type not registered here never leaves the node, whatever its distribution: tips, for
instance, are not shareable at all.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction

from ipex.core.models import Distribution


class Refused(Exception):
    """A payload that cannot be applied here (quarantined by the caller, with the reason)."""


# ---------------------------------------------------------------- shared parts


def org_ref(org) -> dict:
    return {
        "code": org.code,
        "kind": org.kind,
        "name_en": org.name_en,
        "name_zh_hans": org.name_zh_hans,
        "name_ru": org.name_ru,
        "jurisdiction": org.jurisdiction.code,
        # From the country down, so a node that lacks a local place can use the nearest one.
        "jurisdiction_path": [
            j.code for j in type(org.jurisdiction).objects.get_ancestors(org.jurisdiction)
        ]
        + [org.jurisdiction.code],
        "node": str(org.origin_node.uuid),
    }


def group_ref(group) -> dict | None:
    if group is None:
        return None
    members = []
    for member in group.members.select_related("organisation__origin_node", "node"):
        if member.node_id:
            members.append({"node": str(member.node.uuid)})
        else:
            members.append(
                {
                    "org": member.organisation.code,
                    "node": str(member.organisation.origin_node.uuid),
                }
            )
    return {
        "uuid": str(group.uuid),
        "name": group.name,
        "owner": group.owner_org.code,
        "members": sorted(members, key=lambda m: (m.get("org", ""), m["node"])),
    }


def local_member_nodes(group) -> set[str]:
    """The node ids a local group reaches."""
    return member_nodes(group_ref(group))


def member_nodes(group: dict | None) -> set[str]:
    """The node ids a group (as sent in an envelope) reaches."""
    return {m["node"] for m in (group or {}).get("members", [])}


# Within one applied batch, what was already resolved (organisations, groups, places,
# categories): see apply_batch. One per thread of execution.
_BATCH_CACHE: ContextVar[dict | None] = ContextVar("ipex_exchange_batch_cache", default=None)


@contextmanager
def batch_cache():
    token = _BATCH_CACHE.set({})
    try:
        yield
    finally:
        _BATCH_CACHE.reset(token)


def _cached(kind: str, ident, ref, resolve):
    """What ``resolve`` made of the thing ``ident`` names, made again whenever its reference
    differs from the last one seen for it in the batch: the last envelope of a page decides
    (a group's members changed and changed back within one page end as sent last)."""
    cache = _BATCH_CACHE.get()
    if cache is None:
        return resolve()
    key = (kind, ident)
    stamp = ref if isinstance(ref, str) else repr(ref)
    held = cache.get(key)
    if held is None or held[0] != stamp:
        held = cache[key] = (stamp, resolve())
    return held[1]


def local_org(ref: dict, origin):
    """The organisation an envelope names: a local one only if it belongs to the local node,
    otherwise this node's replica of the partner's organisation (created on first sight)."""
    ident = (ref["code"], ref["node"], origin.pk)
    return _cached("org", ident, ref, lambda: _local_org(ref, origin))


def _local_org(ref: dict, origin):
    from ipex.directory.models import Jurisdiction, Node, Organisation

    node = Node.objects.filter(uuid=ref["node"]).first()
    if node is None:
        raise Refused(f"organisation {ref['code']} belongs to an unknown node")
    existing = Organisation.objects.filter(code=ref["code"]).first()
    if existing is not None:
        if existing.origin_node_id != node.pk:
            raise Refused(f"organisation code {ref['code']} is another node's here")
        if node.pk == origin.pk:
            changed = {
                k: ref[k]
                for k in ("name_en", "name_zh_hans", "name_ru", "kind")
                if getattr(existing, k) != ref[k]
            }
            if changed:
                Organisation.objects.filter(pk=existing.pk).update(**changed)
        return existing
    if node.pk != origin.pk:
        raise Refused(f"organisation {ref['code']} is not the sender's")
    codes = ref.get("jurisdiction_path") or [ref["jurisdiction"]]
    known = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    place = next((known[c] for c in reversed(codes) if c in known), None)
    if place is None:
        raise Refused(f"unknown jurisdiction {ref['jurisdiction']}")
    return Organisation.objects.add_root(
        {
            "code": ref["code"],
            "kind": ref["kind"],
            "name_en": ref["name_en"],
            "name_zh_hans": ref["name_zh_hans"],
            "name_ru": ref["name_ru"],
            "jurisdiction": place,
            "origin_node": origin,
        }
    )


def local_group(ref: dict | None, origin, *, answering: bool = False):
    """This node's replica of the sender's sharing group, members as sent."""
    ident = (ref["uuid"] if ref else None, origin.pk, answering)
    return _cached("group", ident, ref, lambda: _local_group(ref, origin, answering))


def _local_group(ref: dict | None, origin, answering: bool = False):
    from ipex.directory.models import Node, Organisation, SharingGroup, SharingGroupMember

    if ref is None:
        return None
    group = SharingGroup.objects.filter(uuid=ref["uuid"]).select_related("origin_node").first()
    if group is not None and group.origin_node_id != origin.pk:
        # A partner's record shared with one of *this* node's groups (an answer in our own
        # request, say): the group stays as we keep it, and the sender must be in it.
        if group.origin_node.is_local and (
            str(origin.uuid) in local_member_nodes(group) or answering
        ):
            return group
        raise Refused("a sharing group of another node")
    owner = Organisation.objects.filter(code=ref["owner"], origin_node=origin).first()
    if owner is None:
        raise Refused(f"unknown owner {ref['owner']} of the sharing group")
    if group is None:
        group = SharingGroup.objects.create(
            uuid=ref["uuid"], name=ref["name"][:200], owner_org=owner, origin_node=origin
        )
    elif group.name != ref["name"]:
        SharingGroup.objects.filter(pk=group.pk).update(name=ref["name"][:200])
    group.members.all().delete()
    nodes = {str(n.uuid): n for n in Node.objects.filter(uuid__in=member_nodes(ref))}
    for member in ref["members"]:
        node = nodes.get(member["node"])
        if node is None:
            continue  # a node unknown here: its members cannot be anyone here
        if "org" in member:
            org = Organisation.objects.filter(code=member["org"], origin_node=node).first()
            if org is not None:
                SharingGroupMember.objects.create(group=group, organisation=org)
        else:
            SharingGroupMember.objects.create(group=group, node=node)
    return group


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _money(value):
    return Decimal(value) if value not in (None, "") else None


def _text(value) -> str:
    return "" if value is None else str(value)


def _categories(model) -> dict[str, list]:
    """Every category by code, each code's periods oldest first."""
    periods: dict[str, list] = {}
    for category in model.objects.order_by("valid_from"):
        periods.setdefault(category.code, []).append(category)
    return periods


def _valid_on(periods: list, day):
    """The category of a code valid on a day (a re-classification does not rewrite the
    past), or the newest one if none was."""
    for category in reversed(periods):
        if category.valid_from <= day and (category.valid_to is None or day <= category.valid_to):
            return category
    return periods[-1]


# ---------------------------------------------------------------- the types


class ShareableType:
    name = ""
    model = None
    # What ``payload`` reads of each record besides its row, fetched for many at once.
    prefetch: tuple[str, ...] = ()
    # A type whose replicas are written a page at a time: ``prepare`` checks and resolves one
    # envelope (raising Refused before anything of it is written), ``write_many`` writes the
    # prepared rows of a page together.
    bulk = False

    def prepare(self, obj_uuid: str, payload: dict, envelope: dict, origin):
        raise NotImplementedError

    def write_many(self, prepared: dict, origin) -> None:
        raise NotImplementedError

    def also_for(self, obj) -> set[int]:
        """Node ids that receive this record whatever its group: the node of the record it
        answers, for instance."""
        return set()

    def also_for_envelope(self, envelope: dict) -> set[str]:
        """The same, worked out again from an envelope (for the egress check)."""
        return set()

    def payload(self, obj) -> dict:
        raise NotImplementedError

    def apply(self, obj_uuid: str, payload: dict, envelope: dict, origin) -> None:
        raise NotImplementedError

    def remove(self, obj_uuid: str, origin) -> None:
        """A tombstone: the replica's content goes; only its ReplicaState stays."""
        row = self.model.objects.filter(uuid=obj_uuid, origin_node=origin).first()
        if row is not None:
            row.delete()

    def _common(self, envelope: dict, origin, *, answering: bool = False) -> dict:
        return {
            "origin_node": origin,
            "owner_org": local_org(envelope["owner"], origin),
            "distribution": envelope["distribution"],
            "sharing_group": local_group(envelope["sharing_group"], origin, answering=answering),
            "version": envelope["version"],
        }


class SeizureType(ShareableType):
    name = "seizures.seizure"
    prefetch = ("items__category",)

    @property
    def model(self):
        from ipex.seizures.models import Seizure

        return Seizure

    def payload(self, obj) -> dict:
        return {
            "reference": obj.reference,
            "seized_on": obj.seized_on.isoformat(),
            "jurisdiction": obj.jurisdiction.code,
            "place": obj.place,
            "method": obj.method,
            "notes": obj.notes,
            "created_at": obj.created_at.isoformat(),
            "items": [
                {
                    "line_no": item.line_no,
                    "category": item.category.code,
                    "description": item.description,
                    "quantity": item.quantity,
                    "unit": item.unit,
                    "value_amount": None if item.value_amount is None else str(item.value_amount),
                    "value_currency": item.value_currency,
                    "disposition": item.disposition,
                }
                for item in sorted(obj.items.all(), key=lambda i: i.line_no)
            ],
        }

    bulk = True

    def prepare(self, obj_uuid, payload, envelope, origin) -> dict:
        from ipex.directory.models import Jurisdiction
        from ipex.seizures.models import Category

        place = _cached(
            "jurisdiction",
            payload["jurisdiction"],
            payload["jurisdiction"],
            lambda: Jurisdiction.objects.filter(code=payload["jurisdiction"]).first(),
        )
        if place is None:
            raise Refused(f"unknown jurisdiction {payload['jurisdiction']}")
        seized_on = _date(payload["seized_on"])
        periods = _cached("categories", "", "", lambda: _categories(Category))
        categories = {
            code: _valid_on(periods[code], seized_on)
            for code in {i["category"] for i in payload["items"]}
            if code in periods
        }
        unknown = {i["category"] for i in payload["items"]} - set(categories)
        if unknown:
            raise Refused(f"unknown categories {sorted(unknown)}")
        common = self._common(envelope, origin)
        fields = {  # by column (attname): written without model objects
            "origin_node_id": origin.pk,
            "owner_org_id": common["owner_org"].pk,
            "distribution": common["distribution"],
            "sharing_group_id": common["sharing_group"].pk if common["sharing_group"] else None,
            "version": common["version"],
            "seized_on": seized_on,
            "jurisdiction_id": place.pk,
            "place": _text(payload["place"])[:200],
            "method": payload["method"],
            "reference": _text(payload["reference"])[:60],
            "notes": _text(payload["notes"]),
        }
        items = [
            {
                "line_no": int(i["line_no"]),
                "category_id": categories[i["category"]].pk,
                "description": _text(i["description"])[:300],
                "quantity": int(i["quantity"]),
                "unit": i["unit"],
                "value_amount": _money(i["value_amount"]),
                "value_currency": _text(i["value_currency"])[:3],
                "disposition": i["disposition"],
            }
            for i in payload["items"]
        ]
        return {"fields": fields, "items": items}

    def write_many(self, prepared: dict, origin) -> None:
        from ipex.core.bulk import insert_rows
        from ipex.seizures.models import SeizedItem, Seizure

        held = dict(Seizure.objects.filter(uuid__any=list(prepared)).values_list("uuid", "pk"))
        insert_rows(
            Seizure,
            [{"uuid": uuid, **row["fields"]} for uuid, row in prepared.items() if uuid not in held],
        )
        for uuid, pk in held.items():
            Seizure.objects.filter(pk=pk).update(**prepared[uuid]["fields"])
        SeizedItem.objects.filter(seizure_id__in=list(held.values())).delete()
        pks = dict(Seizure.objects.filter(uuid__any=list(prepared)).values_list("uuid", "pk"))
        insert_rows(
            SeizedItem,
            [
                {"seizure_id": pks[uuid], **item}
                for uuid, row in prepared.items()
                for item in row["items"]
            ],
        )

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        import uuid as uuidlib

        self.write_many(
            {uuidlib.UUID(str(obj_uuid)): self.prepare(obj_uuid, payload, envelope, origin)},
            origin,
        )


class CaseType(ShareableType):
    """A case with its actions and the subjects that are not persons: personal data never
    leaves the node unless a case explicitly shares it (not offered yet)."""

    name = "cases.case"
    prefetch = ("actions__provision", "subject_links__subject")

    @property
    def model(self):
        from ipex.cases.models import Case

        return Case

    def payload(self, obj) -> dict:
        return {
            "reference": obj.reference,
            "year": obj.year,
            "number": obj.number,
            "kind": obj.kind,
            "title": obj.title,
            "summary": obj.summary,
            "status": obj.status,
            "outcome": obj.outcome,
            "created_at": obj.created_at.isoformat(),
            "actions": [
                {
                    "kind": a.kind,
                    "taken_on": a.taken_on.isoformat(),
                    "notes": a.notes,
                    "provision": a.provision.code if a.provision_id else None,
                    "penalty_amount": None if a.penalty_amount is None else str(a.penalty_amount),
                    "penalty_months": a.penalty_months,
                }
                for a in sorted(obj.actions.all(), key=lambda a: (a.taken_on, a.id))
            ],
            "subjects": [
                {
                    "kind": link.subject.kind,
                    "name": link.subject.name,
                    "role": link.role,
                    "registration_number": link.subject.registration_number,
                    "sid_code": link.subject.sid_code,
                    "domain": link.subject.domain,
                }
                for link in sorted(obj.subject_links.all(), key=lambda link: link.id)
                if not link.subject.is_personal_data
            ],
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        from ipex.cases.models import Case, CaseAction, LegalProvision

        common = self._common(envelope, origin)
        fields = {
            **common,
            "reference": _text(payload["reference"])[:60],
            "year": int(payload["year"]),
            "number": int(payload["number"]),
            "kind": payload["kind"],
            "title": _text(payload["title"])[:200],
            "summary": _text(payload["summary"]),
            "status": payload["status"],
            "outcome": _text(payload["outcome"]),
        }
        provisions = {p.code: p for p in LegalProvision.objects.all()}
        with transaction.atomic():
            case = Case.objects.filter(uuid=obj_uuid).first()
            if case is None:
                case = Case.objects.create(uuid=obj_uuid, **fields)
            else:
                Case.objects.filter(pk=case.pk).update(**fields)
                case.actions.all().delete()
            CaseAction.objects.bulk_create(
                CaseAction(
                    case=case,
                    kind=a["kind"],
                    taken_on=_date(a["taken_on"]),
                    organisation=common["owner_org"],
                    notes=_text(a["notes"]),
                    provision=provisions.get(a["provision"]) if a["provision"] else None,
                    penalty_amount=_money(a["penalty_amount"]),
                    penalty_months=a["penalty_months"],
                )
                for a in payload["actions"]
            )
            self._subjects(case, payload["subjects"], common["owner_org"])
            # Requests for assistance that name this case, received before it, link to it now.
            from ipex.exchange.models import AssistanceRequest

            AssistanceRequest.objects.filter(case_uuid=case.uuid, case__isnull=True).update(
                case=case
            )

    def _subjects(self, case, subjects: list[dict], owner) -> None:
        """The replica's subjects are its own (never merged with this node's)."""
        from ipex.cases.models import CaseSubject, Subject

        old = list(Subject.objects.filter(links__case=case, owner_org=owner))
        case.subject_links.all().delete()
        Subject.objects.filter(pk__in=[s.pk for s in old], links__isnull=True).delete()
        for item in subjects:
            subject = Subject.objects.create(
                owner_org=owner,
                kind=item["kind"],
                name=_text(item["name"])[:200],
                registration_number=_text(item["registration_number"])[:40],
                sid_code=_text(item["sid_code"])[:20],
                domain=_text(item["domain"])[:253],
            )
            CaseSubject.objects.create(case=case, subject=subject, role=item["role"])


class AlertType(ShareableType):
    name = "exchange.alert"

    @property
    def model(self):
        from ipex.exchange.models import Alert

        return Alert

    def payload(self, obj) -> dict:
        return {
            "title": obj.title,
            "body": obj.body,
            "priority": obj.priority,
            "expires_on": obj.expires_on.isoformat(),
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        from ipex.exchange.models import Alert, AlertPriority

        if payload["priority"] not in AlertPriority.values:
            raise Refused("unknown priority")
        fields = {
            **self._common(envelope, origin),
            "title": _text(payload["title"])[:200],
            "body": _text(payload["body"]),
            "priority": payload["priority"],
            "expires_on": _date(payload["expires_on"]),
        }
        row = Alert.objects.filter(uuid=obj_uuid).first()
        if row is None:
            Alert.objects.create(uuid=obj_uuid, **fields)
        else:
            Alert.objects.filter(pk=row.pk).update(**fields)


class AssistanceRequestType(ShareableType):
    """The request, naming the asked organisation and the shared case and seizures by uuid
    (linked here only if they were shared with this node too)."""

    name = "exchange.assistancerequest"
    prefetch = ("seizures", "recipient__jurisdiction", "recipient__origin_node", "case")

    @property
    def model(self):
        from ipex.exchange.models import AssistanceRequest

        return AssistanceRequest

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
        from ipex.cases.models import Case
        from ipex.directory.models import Organisation
        from ipex.exchange.models import AssistanceRequest
        from ipex.seizures.models import Seizure

        ref = payload["recipient"]
        recipient = Organisation.objects.filter(
            code=ref["code"], origin_node__uuid=ref["node"]
        ).first()
        if recipient is None:
            raise Refused(f"unknown asked organisation {ref['code']}")
        fields = {
            **self._common(envelope, origin),
            "subject": _text(payload["subject"])[:200],
            "body": _text(payload["body"]),
            "recipient": recipient,
            "case": Case.objects.filter(uuid=payload["case"]).first() if payload["case"] else None,
            "case_uuid": payload["case"],
            "closed_at": dt.datetime.fromisoformat(payload["closed_at"])
            if payload["closed_at"]
            else None,
        }
        row = AssistanceRequest.objects.filter(uuid=obj_uuid).first()
        if row is None:
            row = AssistanceRequest.objects.create(uuid=obj_uuid, **fields)
        else:
            AssistanceRequest.objects.filter(pk=row.pk).update(**fields)
        row.seizures.set(Seizure.objects.filter(uuid__in=payload["seizures"]))


class AssistanceMessageType(ShareableType):
    name = "exchange.assistancemessage"
    prefetch = ("request",)

    def also_for(self, obj) -> set[int]:
        return {obj.request.origin_node_id}

    def also_for_envelope(self, envelope: dict) -> set[str]:
        from ipex.exchange.models import AssistanceRequest

        request = (
            AssistanceRequest.objects.filter(uuid=(envelope.get("payload") or {}).get("request"))
            .select_related("origin_node")
            .first()
        )
        return {str(request.origin_node.uuid)} if request else set()

    @property
    def model(self):
        from ipex.exchange.models import AssistanceMessage

        return AssistanceMessage

    def payload(self, obj) -> dict:
        return {
            "request": str(obj.request.uuid),
            "kind": obj.kind,
            "body": obj.body,
            "author_name": obj.author_name,
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        from ipex.exchange.models import AssistanceMessage, AssistanceRequest, MessageKind

        request = AssistanceRequest.objects.filter(uuid=payload["request"]).first()
        if request is None:
            raise Refused("a message in a request this node does not hold")
        if payload["kind"] not in MessageKind.values:
            raise Refused("unknown kind of message")
        fields = {
            # A message in one of this node's own requests may name this node's group.
            **self._common(envelope, origin, answering=not request.is_replica),
            "request": request,
            "kind": payload["kind"],
            "body": _text(payload["body"]),
            "author_name": _text(payload["author_name"])[:200],
        }
        row = AssistanceMessage.objects.filter(uuid=obj_uuid).first()
        if row is None:
            AssistanceMessage.objects.create(
                uuid=obj_uuid, created_at=dt.datetime.fromisoformat(payload["created_at"]), **fields
            )
        else:
            AssistanceMessage.objects.filter(pk=row.pk).update(**fields)


REGISTRY: dict[str, ShareableType] = {
    t.name: t
    for t in (
        SeizureType(),
        CaseType(),
        AlertType(),
        AssistanceRequestType(),
        AssistanceMessageType(),
    )
}


def type_for(obj) -> ShareableType | None:
    return REGISTRY.get(obj._meta.label_lower)


SHAREABLE = {Distribution.GROUP, Distribution.PUBLIC}
