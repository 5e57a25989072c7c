"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash; ``AuditHead`` holds
the newest sequence and hash, so an edit, a removal (anywhere, the last entries included) or a
reordering is found by ``audit_verify``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC

from django.db import models, transaction
from django.utils import timezone

from ipex.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did something: a user (directly or through an API token), a partner node, a task."""

    kind: str
    user: object | None = None
    label: str = ""

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(kind="system", label=label)

    @property
    def is_system(self) -> bool:
        """A task, a command, the demo or the federation machinery: it acts for the node, so
        the checks that stand between a person and a record do not apply to it."""
        return self.kind == "system"


def as_actor(actor) -> Actor:
    if isinstance(actor, Actor):
        return actor
    if actor is None:
        return Actor.system("system")
    return Actor(kind="user", user=actor, label=actor.email)


def actor_from_request(request) -> Actor:
    auth = getattr(request, "auth", None)
    if getattr(auth, "prefix", None):  # an API token (ipex.directory.models.ApiToken)
        return Actor(kind="token", user=request.user, label=f"{request.user.email} [{auth.prefix}]")
    return as_actor(request.user)


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(
    *,
    seq: int,
    at,
    actor_kind: str,
    actor_user_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_uuid: str,
    object_repr: str,
    changes: dict,
    prev_hash: str,
) -> str:
    body = _canonical(
        {
            "seq": seq,
            "at": at.astimezone(UTC).isoformat(),
            "actor_kind": actor_kind,
            "actor_user": actor_user_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_uuid": object_uuid,
            "object_repr": object_repr,
            "changes": changes,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _json_safe(changes: dict | None) -> dict:
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    return json.loads(_canonical(changes or {}))


def _object_key(obj) -> str:
    if obj is None:
        return ""
    return str(getattr(obj, "uuid", None) or obj.pk)


def record_type(obj) -> str:
    """The type the log names a record by: its model's label, or the one a model that moved
    to another app keeps (``audit_type``), so the log names it the same before and after."""
    return getattr(obj, "audit_type", "") or obj._meta.label_lower


# Called with (entry, obj) after every entry, in the same transaction: the federation
# outbox publishes shared records from here, so every audited write reaches it.
AUDIT_HOOKS: list = []


def audit_log(
    actor, action: str, obj: models.Model | None = None, changes: dict | None = None
) -> AuditEntry:
    """Append one entry. Called by services, inside their transaction."""
    who = as_actor(actor)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1)
        fields = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_kind": who.kind,
            "actor_user_id": getattr(who.user, "pk", None),
            "actor_label": who.label[:255],
            "action": action,
            "object_type": record_type(obj) if obj is not None else "",
            "object_uuid": _object_key(obj),
            "object_repr": str(obj)[:255] if obj is not None else "",
            "changes": _json_safe(changes),
            "prev_hash": head.hash or GENESIS,
        }
        digest = entry_hash(**fields)
        entry = AuditEntry.objects.create(hash=digest, **fields)
        head.seq, head.hash = entry.seq, digest
        head.save(update_fields=["seq", "hash"])
        for hook in AUDIT_HOOKS:
            hook(entry, obj)
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _entries() -> Iterator[dict]:
    yield from AuditEntry.objects.order_by("seq").values().iterator(chunk_size=2000)


def audit_verify(progress=None) -> VerifyResult:
    """Walk the chain from the first entry; name the first entry that does not hold."""
    total = AuditEntry.objects.count()
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for row in _entries():
        seq = row["seq"]
        if seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                f"entry {expected_seq} is missing (next present is {seq})",
            )
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, seq, f"entry {seq} does not follow entry {seq - 1}")
        recomputed = entry_hash(
            seq=seq,
            at=row["at"],
            actor_kind=row["actor_kind"],
            actor_user_id=row["actor_user_id"],
            actor_label=row["actor_label"],
            action=row["action"],
            object_type=row["object_type"],
            object_uuid=row["object_uuid"],
            object_repr=row["object_repr"],
            changes=row["changes"],
            prev_hash=row["prev_hash"],
        )
        if recomputed != row["hash"]:
            return VerifyResult(False, checked, seq, f"entry {seq} was altered")
        prev_hash, expected_seq, checked = row["hash"], seq + 1, checked + 1
        if progress and total and checked % 1000 == 0:
            progress(int(checked * 100 / total))
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, "")
    if head_seq != checked or (head_seq and head_hash != prev_hash):
        return VerifyResult(
            False,
            checked,
            checked + 1 if head_seq > checked else head_seq,
            f"the log ends at entry {checked} but entry {head_seq} was written",
        )
    return VerifyResult(True, checked)
