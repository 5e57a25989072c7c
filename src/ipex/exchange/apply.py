"""Applying a partner's envelopes: signature and origin verified, only a higher version
applied, tombstones kept for good, the batch and the new cursor stored in one transaction
(a crash anywhere loses and duplicates nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ipex.core.audit import Actor, audit_log
from ipex.exchange import canonical
from ipex.exchange.models import NodeKey, Quarantine, ReplicaState, SyncState
from ipex.exchange.types import REGISTRY, Refused

SYSTEM = Actor.system("federation apply")


@dataclass
class Outcome:
    applied: int = 0
    unchanged: int = 0
    older: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)


def _quarantine(partner, envelope, reason: str, outcome: Outcome) -> None:
    Quarantine.objects.create(partner=partner, reason=reason[:200], envelope=envelope)
    audit_log(
        SYSTEM,
        "federation.envelope.quarantined",
        partner,
        {"reason": reason, "type": envelope.get("type"), "uuid": envelope.get("uuid")},
    )
    outcome.quarantined += 1
    outcome.reasons.append(reason)


def _check(partner, envelope: dict) -> str:
    """Why an envelope cannot be trusted, or ''."""
    if not isinstance(envelope, dict):
        return "not an envelope"
    if envelope.get("type") not in REGISTRY:
        return f"a type this node does not take: {envelope.get('type')}"
    if envelope.get("origin") != str(partner.uuid):
        return "a version of a record the sender does not own"
    if not isinstance(envelope.get("version"), int) or envelope["version"] < 1:
        return "no version"
    public_key = _partner_keys(partner).get(envelope.get("key_id"))
    unsigned = {k: v for k, v in envelope.items() if k != "signature"}
    if public_key is None or not canonical.verify(
        public_key, canonical.canonical(unsigned), str(envelope.get("signature", ""))
    ):
        return "the envelope's signature does not match"
    if envelope.get("tombstone"):
        return "" if envelope.get("payload") is None else "a tombstone with content"
    if envelope.get("sha256") != canonical.sha256_hex(envelope.get("payload")):
        return "the payload does not match its hash"
    return ""


def _partner_keys(partner) -> dict[str, str]:
    from ipex.exchange import types

    cache = types.BATCH_CACHE if types.BATCH_CACHE is not None else {}
    if ("keys", partner.pk) not in cache:
        cache[("keys", partner.pk)] = dict(
            NodeKey.objects.filter(node=partner).values_list("key_id", "public_key")
        )
    return cache[("keys", partner.pk)]


def _digest(envelope: dict) -> str:
    return "tombstone" if envelope.get("tombstone") else envelope["sha256"]


def _apply_one(partner, envelope: dict, outcome: Outcome) -> None:
    reason = _check(partner, envelope)
    if reason:
        _quarantine(partner, envelope, reason, outcome)
        return
    kind = REGISTRY[envelope["type"]]
    uuid, version = envelope["uuid"], envelope["version"]
    state = (
        ReplicaState.objects.select_for_update()
        .filter(record_type=kind.name, record_uuid=uuid)
        .first()
    )
    if state is not None and state.origin_id != partner.pk:
        _quarantine(partner, envelope, "a record another node owns", outcome)
        return
    if state is None and kind.model.objects.filter(uuid=uuid).exclude(origin_node=partner).exists():
        _quarantine(partner, envelope, "a record another node owns", outcome)
        return
    if state is not None:
        if version < state.version:
            outcome.older += 1  # an old version, or one a tombstone already ended
            return
        if version == state.version:
            if state.sha256 == _digest(envelope):
                outcome.unchanged += 1
                return
            if not (envelope["tombstone"] and not state.tombstone):
                _quarantine(partner, envelope, "the same version with other content", outcome)
                return
            # A tombstone of the version held: this node lost access at that version.
    try:
        with transaction.atomic():
            if envelope["tombstone"]:
                kind.remove(uuid, partner)
            else:
                kind.apply(uuid, envelope["payload"], envelope, partner)
    except Refused as exc:
        _quarantine(partner, envelope, str(exc), outcome)
        return
    ReplicaState.objects.update_or_create(
        record_type=kind.name,
        record_uuid=uuid,
        defaults={
            "origin": partner,
            "version": version,
            "sha256": _digest(envelope),
            "tombstone": bool(envelope["tombstone"]),
            "applied_at": timezone.now(),
        },
    )
    outcome.applied += 1


def apply_batch(partner, envelopes: list, cursor: int) -> Outcome:
    """Apply a page of envelopes and move the cursor, all or nothing."""
    from ipex.exchange import types

    outcome = Outcome()
    types.BATCH_CACHE = {}
    try:
        _apply_all(partner, envelopes, cursor, outcome)
    finally:
        types.BATCH_CACHE = None
    return outcome


def _apply_all(partner, envelopes: list, cursor: int, outcome: Outcome) -> None:
    with transaction.atomic():
        state, _created = SyncState.objects.select_for_update().get_or_create(partner=partner)
        for envelope in envelopes:
            _apply_one(partner, envelope, outcome)
        state.cursor = max(state.cursor, int(cursor))
        state.applied += outcome.applied
        state.last_success_at = timezone.now()
        state.save()
        if outcome.applied:
            audit_log(
                SYSTEM,
                "federation.batch.applied",
                partner,
                {
                    "applied": outcome.applied,
                    "unchanged": outcome.unchanged,
                    "older": outcome.older,
                    "quarantined": outcome.quarantined,
                    "cursor": state.cursor,
                },
            )
