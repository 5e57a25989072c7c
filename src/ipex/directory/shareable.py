"""What every shareable type is made of: the base class, and how organisations and sharing
groups are named to a partner node and resolved from what a partner sent.

Each app declares its own shareable types in its ``federation.py`` (an allow-list of fields
per type: the payload is built from it, never by loading everything and stripping) and
registers them in ``core.registry.shareable_types``; the federation app publishes, checks and
applies whatever is registered. A type not registered never leaves the node, whatever its
distribution: tips, for instance, are not shareable at all.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from ipex.core.models import Distribution
from ipex.directory.models import Jurisdiction, Node, Organisation, SharingGroup, SharingGroupMember


class Refused(Exception):
    """A payload that cannot be applied here (quarantined by the caller, with the reason)."""


# ---------------------------------------------------------------- shared parts


def local_record(model, owner_org, distribution=Distribution.ORG, sharing_group=None, **fields):
    """A new shared record of this node (not saved yet) owned by ``owner_org``: shared with
    ``sharing_group`` only where the distribution is a group's."""
    return model(
        origin_node=Node.local(),
        owner_org=owner_org,
        distribution=distribution,
        sharing_group=sharing_group if distribution == Distribution.GROUP else None,
        **fields,
    )


def org_ref(org) -> dict:
    return {
        "code": org.code,
        "kind": org.kind,
        **{field: getattr(org, field) for field in org.NAME_FIELDS},
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


def cached(kind: str, ident, ref, resolve):
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
    return cached("org", ident, ref, lambda: _local_org(ref, origin))


def _local_org(ref: dict, origin):

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
                for k in (*Organisation.NAME_FIELDS, "kind")
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
            **{field: ref[field] for field in ("code", "kind", *Organisation.NAME_FIELDS)},
            "jurisdiction": place,
            "origin_node": origin,
        }
    )


def local_group(ref: dict | None, origin, *, answering: bool = False):
    """This node's replica of the sender's sharing group, members as sent."""
    ident = (ref["uuid"] if ref else None, origin.pk, answering)
    return cached("group", ident, ref, lambda: _local_group(ref, origin, answering))


def _local_group(ref: dict | None, origin, answering: bool = False):

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


def date_value(value):
    return dt.date.fromisoformat(value) if value else None


def money_value(value):
    return Decimal(value) if value not in (None, "") else None


def text_value(value) -> str:
    return "" if value is None else str(value)


class ShareableType:
    """One kind of record as it travels. ``name`` is the kind on the wire and in the change
    log: it never changes, even when the model moves to another app."""

    name = ""
    model = None
    # What ``payload`` reads of each record besides its row, fetched for many at once.
    prefetch: tuple[str, ...] = ()
    # A type whose replicas are written a page at a time: ``prepare`` checks and resolves one
    # envelope (raising Refused before anything of it is written), ``write_many`` writes the
    # prepared rows of a page together.
    bulk = False
    # The foreign key to the record this one answers (a message in a request, say): that
    # record's node receives this one whatever its group. The payload names it by its uuid
    # under the same key.
    answers = ""

    def prepare(self, obj_uuid: str, payload: dict, envelope: dict, origin):
        raise NotImplementedError

    def write_many(self, prepared: dict, origin) -> None:
        raise NotImplementedError

    def also_for(self, obj) -> set[int]:
        """Node ids that receive this record whatever its group: the node of the record it
        answers, for instance."""
        if not self.answers:
            return set()
        return {getattr(obj, self.answers).origin_node_id}

    def also_for_envelope(self, envelope: dict) -> set[str]:
        """The same, worked out again from an envelope (for the egress check)."""
        if not self.answers:
            return set()
        uuid = (envelope.get("payload") or {}).get(self.answers)
        rows = self._answered_model().objects.filter(uuid=uuid)
        row = rows.select_related("origin_node").first()
        return {str(row.origin_node.uuid)} if row else set()

    def answered(self, payload: dict, refusal: str, **where):
        """The record this one answers, as the payload names it (among those matching
        ``where``); ``Refused(refusal)`` when this node holds no such record."""
        row = self._answered_model().objects.filter(uuid=payload[self.answers], **where).first()
        if row is None:
            raise Refused(refusal)
        return row

    def _answered_model(self):
        return self.model._meta.get_field(self.answers).related_model

    def payload(self, obj) -> dict:
        raise NotImplementedError

    def apply(self, obj_uuid: str, payload: dict, envelope: dict, origin) -> None:
        raise NotImplementedError

    def published_with(self, entry, obj):
        """Records of this type that an audited write of ``obj`` (not itself a shared record,
        e.g. an import file) changed, to be published with it; None when there are none."""
        return None

    def replica_write(self, obj_uuid: str, fields: dict, **on_create):
        """This node's replica of a partner's record: created with ``fields`` (and
        ``on_create``) on first sight, otherwise its row updated to ``fields`` (no signals, no
        save hooks); the row (not read again after an update) and whether it is new."""
        row = self.model.objects.filter(uuid=obj_uuid).first()
        if row is None:
            return self.model.objects.create(uuid=obj_uuid, **fields, **on_create), True
        self.model.objects.filter(pk=row.pk).update(**fields)
        return row, False

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


#: The distributions under which a record may leave its node at all.
SHAREABLE = {Distribution.GROUP, Distribution.PUBLIC}
