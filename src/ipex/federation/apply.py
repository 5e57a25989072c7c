"""Applying a partner's envelopes: signature and origin verified, only a higher version
applied, tombstones kept for good, the batch and the new cursor stored in one transaction
(a crash anywhere loses and duplicates nothing).

A page is applied in one pass over its envelopes, in order, with what it needs read once:
the partner's keys, the versions held of every record it names, which of those records
another node owns. Types that can (seizures) collect their rows and write them together;
anything else, and any tombstone, first writes what was collected, so a later envelope
always sees the earlier ones applied (a request for assistance naming a seizure of the
same page, say).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipex.core.audit import Actor, audit_log
from ipex.core.bulk import insert_rows
from ipex.core.registry import shareable_types
from ipex.directory.shareable import Refused, batch_cache
from ipex.federation import checking
from ipex.federation.models import NodeKey, Quarantine, ReplicaState, SyncState

SYSTEM = Actor.system("federation apply")


@dataclass
class Outcome:
    applied: int = 0
    unchanged: int = 0
    older: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        for name in ("applied", "unchanged", "older", "quarantined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reasons += other.reasons


def check_envelope(keys: dict[str, str], origin: str, envelope) -> str:
    """Why an envelope from the node ``origin`` (its uuid) cannot be trusted, or '' (see
    :mod:`ipex.federation.checking`, where the work is done, with no database)."""
    return checking.check_envelope(keys, origin, envelope, frozenset(shareable_types))


def _digest(envelope: dict) -> str:
    return "tombstone" if envelope.get("tombstone") else envelope["sha256"]


class _State:
    """The version held of one record (a ReplicaState row, or one to be written)."""

    __slots__ = ("pk", "origin_id", "version", "sha256", "tombstone")

    def __init__(self, pk, origin_id, version, sha256, tombstone):
        self.pk, self.origin_id, self.version = pk, origin_id, version
        self.sha256, self.tombstone = sha256, tombstone


class _Page:
    """One page being applied, with what it needs read once."""

    def __init__(self, partner, envelopes: list, checked: list[str] | None):
        self.partner = partner
        self.now = timezone.now()
        self.outcome = Outcome()
        if checked is None or len(checked) != len(envelopes):
            keys, origin = NodeKey.of(partner), str(partner.uuid)
            checked = [check_envelope(keys, origin, e) for e in envelopes]
        self.checked = checked
        named: dict[str, set[uuidlib.UUID]] = {}
        for envelope, reason in zip(envelopes, checked, strict=True):
            if not reason:
                named.setdefault(envelope["type"], set()).add(uuidlib.UUID(envelope["uuid"]))
        self.states: dict[tuple[str, uuidlib.UUID], _State] = {}
        self.foreign: set[tuple[str, uuidlib.UUID]] = set()
        if named:
            which = Q()
            for name, uuids in named.items():
                which |= Q(record_type=name, record_uuid__any=uuids)
            rows = ReplicaState.objects.select_for_update().filter(which)
            for row in rows.values_list(
                "record_type", "record_uuid", "pk", "origin_id", "version", "sha256", "tombstone"
            ):
                self.states[(row[0], row[1])] = _State(*row[2:])
            for name, uuids in named.items():
                held = shareable_types[name].model.objects.filter(uuid__any=uuids)
                for value in held.exclude(origin_node=partner).values_list("uuid", flat=True):
                    self.foreign.add((name, value))
        self.changed: dict[tuple[str, uuidlib.UUID], _State] = {}
        self.pending: dict[str, dict[uuidlib.UUID, object]] = {}

    def quarantine(self, envelope, reason: str) -> None:
        Quarantine.objects.create(partner=self.partner, reason=reason[:200], envelope=envelope)
        named = envelope if isinstance(envelope, dict) else {}
        audit_log(
            SYSTEM,
            "federation.envelope.quarantined",
            self.partner,
            {"reason": reason, "type": named.get("type"), "uuid": named.get("uuid")},
        )
        self.outcome.quarantined += 1
        self.outcome.reasons.append(reason)

    def take(self, envelope, reason: str) -> None:
        if reason:
            self.quarantine(envelope, reason)
            return
        kind = shareable_types[envelope["type"]]
        key = (kind.name, uuidlib.UUID(envelope["uuid"]))
        version = envelope["version"]
        state = self.states.get(key)
        if (state is not None and state.origin_id != self.partner.pk) or (
            state is None and key in self.foreign
        ):
            self.quarantine(envelope, "a record another node owns")
            return
        if state is not None:
            if version < state.version:
                self.outcome.older += 1  # an old version, or one a tombstone already ended
                return
            if version == state.version:
                if state.sha256 == _digest(envelope):
                    self.outcome.unchanged += 1
                    return
                if not (envelope["tombstone"] and not state.tombstone):
                    self.quarantine(envelope, "the same version with other content")
                    return
                # A tombstone of the version held: this node lost access at that version.
        uuid, payload = envelope["uuid"], envelope["payload"]
        try:
            if kind.bulk and not envelope["tombstone"]:
                prepared = kind.prepare(uuid, payload, envelope, self.partner)
                self.pending.setdefault(kind.name, {})[key[1]] = prepared
            else:
                self.flush()
                with transaction.atomic():
                    if envelope["tombstone"]:
                        kind.remove(uuid, self.partner)
                    else:
                        kind.apply(uuid, payload, envelope, self.partner)
        except Refused as exc:
            self.quarantine(envelope, str(exc))
            return
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # Signed by its origin, but not what this node can read (a field missing, a
            # quantity that is not a number): held back, not a reason to stop the sync.
            self.quarantine(envelope, f"a payload this node cannot read: {exc!r}"[:200])
            return
        if state is None:
            state = self.states[key] = _State(None, None, 0, "", False)
        state.origin_id = self.partner.pk
        state.version = version
        state.sha256 = _digest(envelope)
        state.tombstone = bool(envelope["tombstone"])
        self.changed[key] = state
        self.outcome.applied += 1

    def flush(self) -> None:
        """Write the rows collected so far, type by type."""
        for name, prepared in self.pending.items():
            if prepared:
                shareable_types[name].write_many(prepared, self.partner)
        self.pending = {}

    def finish(self) -> None:
        self.flush()
        fields = ("origin_id", "version", "sha256", "tombstone")
        insert_rows(
            ReplicaState,
            [
                {"record_type": key[0], "record_uuid": key[1], "applied_at": self.now}
                | {name: getattr(s, name) for name in fields}
                for key, s in self.changed.items()
                if s.pk is None
            ],
        )
        ReplicaState.objects.bulk_update(
            [
                ReplicaState(pk=s.pk, applied_at=self.now, **{n: getattr(s, n) for n in fields})
                for s in self.changed.values()
                if s.pk is not None
            ],
            ["origin", "version", "sha256", "tombstone", "applied_at"],
            batch_size=500,
        )


def apply_batch(partner, envelopes: list, cursor: int, checked: list[str] | None = None) -> Outcome:
    """Apply a page of envelopes and move the cursor, all or nothing. ``checked``: what
    ``check_envelope`` said of each, if it ran already (in the thread that received them)."""
    with batch_cache(), transaction.atomic():
        state, _created = SyncState.objects.select_for_update().get_or_create(partner=partner)
        page = _Page(partner, envelopes, checked)
        for envelope, reason in zip(envelopes, page.checked, strict=True):
            page.take(envelope, reason)
        page.finish()
        outcome = page.outcome
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
    return outcome
