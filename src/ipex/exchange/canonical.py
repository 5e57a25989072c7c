"""RFC 8785 canonical JSON (the ``rfc8785`` package), its SHA-256, and Ed25519 signatures
of envelopes by this node's key."""

from __future__ import annotations

import base64
import hashlib
import json

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def _plain(value) -> bool:
    """Only strings, whole numbers, booleans, null, lists and objects with ASCII keys: the
    values IPEX puts in envelopes."""
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _plain(v) for k, v in value.items())
    return False


def canonical(value) -> bytes:
    """RFC 8785. For plain values (no numbers other than whole ones, ASCII keys) the standard
    library's sorted, compact JSON is byte for byte the same and several times faster; anything
    else goes through the ``rfc8785`` package."""
    if _plain(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8"
        )
    return rfc8785.dumps(value)


def sha256_hex(value) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def key_id(public_key_b64: str) -> str:
    """A short, stable name for a public key: the SHA-256 of its raw bytes, hex."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]


def sign(data: bytes) -> str:
    from ipex.directory.services import node_private_key

    return base64.b64encode(node_private_key().sign(data)).decode("ascii")


def verify(public_key_b64: str, data: bytes, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
