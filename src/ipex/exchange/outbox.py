"""The outbox: in the same transaction as each audited write of a local shared record, a
signed envelope of its new version (``ChangeLog``) and, per partner, what that partner is
given of it (``Disclosure``): the version, or a tombstone when it just lost access.

Who receives a version is decided here, once, when it is written: ``public`` goes to every
partner approved here; ``group`` to the partner nodes in the group (as whole nodes, or
through their organisations); anything else to nobody. Records that came from a partner are
never passed on.
"""

from __future__ import annotations

from django.db.models import F

from ipex.core.models import Distribution, SharedRecord
from ipex.exchange import canonical
from ipex.exchange.models import ChangeLog, Disclosure, DisclosureAction, Partner
from ipex.exchange.types import SHAREABLE, group_ref, org_ref, type_for


def recipients(obj) -> set[int]:
    """Partner node ids that may hold this version."""
    if obj.withdrawn_at is not None or obj.distribution not in SHAREABLE:
        return set()
    partners = set(
        Partner.objects.filter(
            approved_here_at__isnull=False, suspended_at__isnull=True
        ).values_list("node_id", flat=True)
    )
    if obj.distribution == Distribution.PUBLIC:
        return partners
    group = obj.sharing_group
    if group is None:
        return set()
    reached = set(type_for(obj).also_for(obj))
    for member in group.members.select_related("organisation"):
        reached.add(member.node_id if member.node_id else member.organisation.origin_node_id)
    return reached & partners


def envelope(obj, kind, *, tombstone: bool) -> dict:
    """A full, signed state of one version (or its tombstone)."""
    from ipex.directory.models import Node

    local = Node.local()
    payload = None if tombstone else kind.payload(obj)
    body = {
        "type": kind.name,
        "uuid": str(obj.uuid),
        "origin": str(local.uuid),
        "owner": org_ref(obj.owner_org),
        "version": obj.version,
        "distribution": obj.distribution,
        "sharing_group": None if tombstone else group_ref(obj.sharing_group),
        "tombstone": tombstone,
        "payload": payload,
        "sha256": None if tombstone else canonical.sha256_hex(payload),
        "key_id": canonical.key_id(local.public_key),
    }
    body["signature"] = canonical.sign(canonical.canonical(body))
    return body


def _previously_given(obj, kind) -> set[int]:
    """Partners whose latest disclosure of this record gave them a version (not a
    tombstone)."""
    latest: dict[int, str] = {}
    rows = (
        Disclosure.objects.filter(change__record_type=kind.name, change__record_uuid=obj.uuid)
        .order_by("change__seq")
        .values_list("partner_id", "action")
    )
    for partner_id, action in rows:
        latest[partner_id] = action
    return {p for p, action in latest.items() if action == DisclosureAction.UPSERT}


def publish(obj) -> None:
    """Record what each partner gets of the record's current state."""
    from ipex.directory.models import Node

    kind = type_for(obj)
    if kind is None or obj.origin_node_id != Node.local_id():
        return
    ever = ChangeLog.objects.filter(record_type=kind.name, record_uuid=obj.uuid)
    if obj.distribution not in SHAREABLE and not ever.exists():
        return  # never shared, not shared now: nothing to say to anyone
    from ipex.exchange.services import ensure_local_key

    ensure_local_key()
    # As written so far (FSM fields cannot be refreshed), with what the envelope names.
    obj = (
        type(obj)
        .objects.select_related(
            "owner_org__jurisdiction",
            "owner_org__origin_node",
            "sharing_group__owner_org",
        )
        .get(pk=obj.pk)
    )
    now = recipients(obj)
    losing = _previously_given(obj, kind) - now
    if not now and not losing:
        return
    logged = ever.filter(version=obj.version)
    if logged.exists():
        held = logged.filter(tombstone=False).first()
        fresh = envelope(obj, kind, tombstone=False) if now else None
        same = (
            held is not None
            and fresh is not None
            and not losing
            and all(
                held.envelope[k] == fresh[k] for k in ("sha256", "distribution", "sharing_group")
            )
        )
        if same:
            # Nothing new in the record: only partners that never had this version get it.
            given = set(held.disclosures.values_list("partner_id", flat=True))
            Disclosure.objects.bulk_create(
                [
                    Disclosure(change=held, partner_id=p, action=DisclosureAction.UPSERT)
                    for p in sorted(now - given)
                ]
            )
            return
        # A version is immutable: new content, or a new loss of access, is a new version.
        type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
        obj = type(obj).objects.get(pk=obj.pk)
    if now:
        change = ChangeLog.objects.create(
            record_type=kind.name,
            record_uuid=obj.uuid,
            version=obj.version,
            envelope=envelope(obj, kind, tombstone=False),
        )
        Disclosure.objects.bulk_create(
            [
                Disclosure(change=change, partner_id=p, action=DisclosureAction.UPSERT)
                for p in sorted(now)
            ]
        )
    _ring_after_commit(now | losing)
    if losing:
        tomb = ChangeLog.objects.create(
            record_type=kind.name,
            record_uuid=obj.uuid,
            version=obj.version,
            tombstone=True,
            envelope=envelope(obj, kind, tombstone=True),
        )
        Disclosure.objects.bulk_create(
            [
                Disclosure(change=tomb, partner_id=p, action=DisclosureAction.TOMBSTONE)
                for p in sorted(losing)
            ]
        )


class _Ring:
    """The partners to ring once the current transaction commits: one ring per partner per
    transaction, however many records it published."""

    def __init__(self):
        self.partner_ids: set[int] = set()

    def __call__(self):
        from ipex.directory.models import Node
        from ipex.exchange.tasks import ring_partner

        for uuid in Node.objects.filter(pk__in=self.partner_ids).values_list("uuid", flat=True):
            ring_partner.enqueue(str(uuid))


def _ring_after_commit(partner_ids: set[int]) -> None:
    """Once the change is committed, ring each partner's doorbell (from the task worker)."""
    from django.db import transaction

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
    from ipex.directory.models import Node
    from ipex.exchange.types import REGISTRY

    count = 0
    for kind in REGISTRY.values():
        rows = kind.model.objects.filter(
            sharing_group=group, origin_node_id=Node.local_id(), withdrawn_at__isnull=True
        )
        for obj in rows.iterator():
            publish(obj)
            count += 1
    return count


def on_audited(entry, obj) -> None:
    """The audit hook: every audited write of a shared record reaches the outbox."""
    if isinstance(obj, SharedRecord):
        publish(obj)
        return
    from ipex.directory.models import SharingGroup

    if isinstance(obj, SharingGroup) and entry.action.startswith("directory.sharing_group.member_"):
        republish_group(obj)
        return
    from ipex.seizures.models import ImportBatch

    if isinstance(obj, ImportBatch):
        from ipex.seizures.models import Seizure

        shared = Seizure.objects.filter(import_batch=obj, distribution__in=SHAREABLE)
        for seizure in shared.iterator():
            publish(seizure)
