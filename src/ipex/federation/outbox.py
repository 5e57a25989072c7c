"""The outbox: in the same transaction as each audited write of a local shared record, a
signed envelope of its new version (``ChangeLog``) and, per partner, what that partner is
given of it (``Disclosure``): the version, or a tombstone when it just lost access.

Who receives a version is decided here, once, when it is written: ``public`` goes to every
partner approved here; ``group`` to the partner nodes in the group (as whole nodes, or
through their organisations); anything else to nobody. Records that came from a partner are
never passed on.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from ipex.core.models import Distribution, SharedRecord
from ipex.directory.models import Node, SharingGroup
from ipex.directory.shareable import SHAREABLE, group_ref, org_ref
from ipex.federation import canonical
from ipex.federation.keys import ensure_local_key
from ipex.federation.models import ChangeLog, Disclosure, DisclosureAction, Partner
from ipex.federation.tasks import ring_partner
from ipex.federation.types import all_types, type_for


def _active_partners() -> set[int]:
    return set(
        Partner.objects.filter(
            approved_here_at__isnull=False, suspended_at__isnull=True
        ).values_list("node_id", flat=True)
    )


def _group_nodes(group) -> set[int]:
    return {
        member.node_id if member.node_id else member.organisation.origin_node_id
        for member in group.members.select_related("organisation")
    }


def recipients(obj, partners: set[int] | None = None, groups: dict | None = None) -> set[int]:
    """Partner node ids that may hold this version (``partners`` and ``groups``: what a
    run over many records has read already)."""
    if obj.withdrawn_at is not None or obj.distribution not in SHAREABLE:
        return set()
    partners = _active_partners() if partners is None else partners
    if obj.distribution == Distribution.PUBLIC:
        return partners
    group = obj.sharing_group
    if group is None:
        return set()
    groups = {} if groups is None else groups
    if group.pk not in groups:
        groups[group.pk] = _group_nodes(group)
    return (set(type_for(obj).also_for(obj)) | groups[group.pk]) & partners


def envelope(obj, kind, *, tombstone: bool, refs: dict | None = None) -> dict:
    """A full, signed state of one version (or its tombstone). ``refs``: the owners' and
    groups' descriptions already made in a run over many records."""

    refs = {} if refs is None else refs
    if "local" not in refs:
        local = Node.local()
        refs["local"] = (str(local.uuid), canonical.key_id(local.public_key))
    origin, key_id = refs["local"]
    owner_key = ("org", obj.owner_org_id)
    if owner_key not in refs:
        refs[owner_key] = org_ref(obj.owner_org)
    group_key = ("group", obj.sharing_group_id)
    if not tombstone and group_key not in refs:
        refs[group_key] = group_ref(obj.sharing_group)
    payload = None if tombstone else kind.payload(obj)
    body = {
        "type": kind.name,
        "uuid": str(obj.uuid),
        "origin": origin,
        "owner": refs[owner_key],
        "version": obj.version,
        "distribution": obj.distribution,
        "sharing_group": None if tombstone else refs[group_key],
        "tombstone": tombstone,
        "payload": payload,
        "sha256": None if tombstone else canonical.sha256_hex(payload),
        "key_id": key_id,
    }
    body["signature"] = canonical.sign(canonical.canonical(body))
    return body


def _log(obj, kind, *, tombstone: bool) -> ChangeLog:
    """The signed envelope of the record's version, sealed for the egress check."""
    return ChangeLog.objects.create(**_change(obj, kind, tombstone=tombstone))


def _change(obj, kind, *, tombstone: bool, refs=None, seal_key=None) -> dict:
    signed = envelope(obj, kind, tombstone=tombstone, refs=refs)
    return {
        "record_type": kind.name,
        "record_uuid": obj.uuid,
        "version": obj.version,
        "tombstone": tombstone,
        "envelope": signed,
        "seal": canonical.seal(seal_key or canonical.seal_key(), signed),
    }


def _given(kind, uuids: list) -> dict:
    """uuid → partners whose latest disclosure of it gave them a version (not a tombstone)."""
    latest: dict = {}
    rows = (
        Disclosure.objects.filter(change__record_type=kind.name, change__record_uuid__in=uuids)
        .order_by("change__seq")
        .values_list("change__record_uuid", "partner_id", "action")
    )
    for uuid, partner_id, action in rows:
        latest.setdefault(uuid, {})[partner_id] = action
    return {
        uuid: {p for p, action in given.items() if action == DisclosureAction.UPSERT}
        for uuid, given in latest.items()
    }


def publish(obj) -> None:
    """Record what each partner gets of the record's current state."""
    publish_many([obj])


def publish_many(objs, *, chunk: int = 500) -> None:
    """``publish`` for many records at once (an import, a group's new members): what they
    share (partners, groups, owners, keys) is read once, their versions logged together."""

    local_id = Node.local_id()
    by_model: dict = {}
    for obj in objs:
        kind = type_for(obj)
        if kind is not None and obj.origin_node_id == local_id:
            by_model.setdefault(type(obj), (kind, []))[1].append(obj.pk)
    for model, (kind, pks) in by_model.items():
        for start in range(0, len(pks), chunk):
            _publish_chunk(model, kind, pks[start : start + chunk])


def _publish_chunk(model, kind, pks: list) -> None:
    # As written so far (FSM fields cannot be refreshed), with what the envelope names.
    rows = list(
        model.objects.select_related(*_NAMED)
        .prefetch_related(*kind.prefetch)
        .filter(pk__in=pks)
        .order_by("pk")
    )
    logged: dict = {}
    for uuid, version in ChangeLog.objects.filter(
        record_type=kind.name, record_uuid__in=[r.uuid for r in rows]
    ).values_list("record_uuid", "version"):
        logged.setdefault(uuid, set()).add(version)
    rows = [r for r in rows if r.distribution in SHAREABLE or r.uuid in logged]
    if not rows:
        return  # never shared, not shared now: nothing to say to anyone
    ensure_local_key()
    given = _given(kind, [r.uuid for r in rows])
    partners, groups, refs, seal_key = _active_partners(), {}, {}, canonical.seal_key()
    changes, rings = [], set()
    for obj in rows:
        now = recipients(obj, partners, groups)
        losing = given.get(obj.uuid, set()) - now
        if not now and not losing:
            continue
        if obj.version in logged.get(obj.uuid, ()):
            _publish_again(obj, kind, now, losing)
            continue
        rings |= now | losing
        if now:
            changes.append((_change(obj, kind, tombstone=False, refs=refs, seal_key=seal_key), now))
        if losing:
            tomb = _change(obj, kind, tombstone=True, refs=refs, seal_key=seal_key)
            changes.append((tomb, losing))
    made = ChangeLog.objects.bulk_create([ChangeLog(**fields) for fields, _to in changes])
    _disclose((change, to) for change, (_fields, to) in zip(made, changes, strict=True))
    _ring_after_commit(rings)


def _disclose(given) -> None:
    """A Disclosure per (change, partner ids): the version, or its tombstone."""
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                change=change,
                partner_id=p,
                action=DisclosureAction.TOMBSTONE if change.tombstone else DisclosureAction.UPSERT,
            )
            for change, partner_ids in given
            for p in sorted(partner_ids)
        ]
    )


# What an envelope names of a record, read with it.
_NAMED = ("owner_org__jurisdiction", "owner_org__origin_node", "sharing_group__owner_org")


def _publish_again(obj, kind, now: set[int], losing: set[int]) -> None:
    """A record whose current version was logged already (shared again, a group changed)."""
    held = ChangeLog.objects.filter(
        record_type=kind.name, record_uuid=obj.uuid, version=obj.version, tombstone=False
    ).first()
    fresh = envelope(obj, kind, tombstone=False) if now else None
    same = (
        held is not None
        and fresh is not None
        and not losing
        and all(held.envelope[k] == fresh[k] for k in ("sha256", "distribution", "sharing_group"))
    )
    if same:
        # Nothing new in the record: only partners that never had this version get it.
        given = set(held.disclosures.values_list("partner_id", flat=True))
        _disclose([(held, now - given)])
        return
    # A version is immutable: new content, or a new loss of access, is a new version.
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj = type(obj).objects.select_related(*_NAMED).prefetch_related(*kind.prefetch).get(pk=obj.pk)
    if now:
        _disclose([(_log(obj, kind, tombstone=False), now)])
    _ring_after_commit(now | losing)
    if losing:
        _disclose([(_log(obj, kind, tombstone=True), losing)])


class _Ring:
    """The partners to ring once the current transaction commits: one ring per partner per
    transaction, however many records it published."""

    def __init__(self):
        self.partner_ids: set[int] = set()

    def __call__(self):
        for uuid in Node.objects.filter(pk__in=self.partner_ids).values_list("uuid", flat=True):
            ring_partner.enqueue(str(uuid))


def _ring_after_commit(partner_ids: set[int]) -> None:
    """Once the change is committed, ring each partner's doorbell (from the task worker)."""
    if not partner_ids:
        return
    connection = transaction.get_connection()
    pending = next(
        (func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Ring)),
        None,
    )
    if pending is None:
        pending = _Ring()
        transaction.on_commit(pending)
    pending.partner_ids |= partner_ids


def republish_group(group) -> int:
    """A group's membership changed: every local record shared with it is published again,
    so removed partners get tombstones and added ones the records (backfill)."""

    count = 0
    for kind in all_types():
        rows = list(
            kind.model.objects.filter(
                sharing_group=group, origin_node_id=Node.local_id(), withdrawn_at__isnull=True
            )
        )
        publish_many(rows)
        count += len(rows)
    return count


def on_audited(entry, obj) -> None:
    """The audit hook: every audited write of a shared record reaches the outbox."""
    if isinstance(obj, SharedRecord):
        publish(obj)
        return
    if isinstance(obj, SharingGroup) and entry.action.startswith("directory.sharing_group.member_"):
        republish_group(obj)
        return
    for kind in all_types():
        records = kind.published_with(entry, obj)
        if records is not None:
            publish_many(records)
