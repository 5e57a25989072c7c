"""RFC 8785 canonical JSON (the ``rfc8785`` package), its SHA-256, and Ed25519 signatures
of envelopes by this node's key."""

from __future__ import annotations

import base64
import hashlib

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(value) -> bytes:
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
