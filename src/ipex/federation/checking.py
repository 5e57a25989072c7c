"""Checking a partner's envelopes before they are applied: type, origin, record id, version,
signature and payload hash. Pure — no Django, no database — so that a pull can check a page in
a process of its own (``check_page``) while it applies the page before: the signature checks
are most of the work of a pull, and in the pulling process they would compete with applying
for the interpreter lock.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib

import orjson

from ipex.federation import canonical


def check_envelope(keys: dict[str, str], origin: str, envelope, types: frozenset[str]) -> str:
    """Why an envelope from the node ``origin`` (its uuid) cannot be trusted, or ''.
    ``keys``: that node's key ids and public keys; ``types``: the record types this node
    takes."""
    if not isinstance(envelope, dict):
        return "not an envelope"
    if not isinstance(envelope.get("type"), str) or envelope["type"] not in types:
        return f"a type this node does not take: {envelope.get('type')}"[:200]
    if envelope.get("origin") != origin:
        return "a version of a record the sender does not own"
    if record_uuid(envelope.get("uuid")) is None:
        return "no record id"
    if not isinstance(envelope.get("version"), int) or envelope["version"] < 1:
        return "no version"
    key_id = envelope.get("key_id")
    public_key = keys.get(key_id) if isinstance(key_id, str) else None
    if public_key is None:
        return "the envelope's signature does not match"
    signature = str(envelope.get("signature", ""))
    parts = canonical.checked_parts(
        envelope, lambda signed: canonical.verify(public_key, signed, signature)
    )
    if parts is None:
        return "the envelope's signature does not match"
    if envelope.get("tombstone"):
        return "" if envelope.get("payload") is None else "a tombstone with content"
    if envelope.get("sha256") != hashlib.sha256(parts[1]).hexdigest():
        return "the payload does not match its hash"
    return ""


def check_page(
    content: bytes, keys: dict[str, str], origin: str, types: frozenset[str]
) -> list[str] | None:
    """What ``check_envelope`` says of each envelope of a page of changes as received (the
    answer's bytes), or None if it is not a page."""
    try:
        page = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None
    changes = page.get("changes") if isinstance(page, dict) else None
    if not isinstance(changes, list):
        return None
    return [check_envelope(keys, origin, envelope, types) for envelope in changes]


def record_uuid(value) -> uuidlib.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuidlib.UUID(value)
    except ValueError:
        return None
