"""RFC 8785 canonical JSON (the ``rfc8785`` package), its SHA-256, and Ed25519 signatures
of envelopes by this node's key."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac

import orjson
import rfc8785
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

_SAFE_INT = 2**53  # RFC 8785 numbers are IEEE doubles: whole numbers beyond this differ


def _plain(value) -> bool:
    """Only strings, whole numbers a double holds exactly, booleans, null, lists and objects
    with ASCII keys: the values IPEX puts in envelopes. (A loop, not a recursion: it runs
    over every envelope sent and received.)"""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -_SAFE_INT < item < _SAFE_INT:
                continue
            return False
        if kind is dict:
            for key in item:
                if type(key) is not str or not key.isascii():
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        else:
            return False
    return True


def _dumps(value) -> bytes:
    """Sorted, compact JSON, UTF-8 (orjson: some ten times the standard library's speed)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def canonical(value) -> bytes:
    """RFC 8785. For plain values (no numbers other than whole ones, ASCII keys) orjson's
    sorted, compact JSON is byte for byte the same and many times faster (a Hypothesis test
    holds it to the package's bytes); anything else goes through the ``rfc8785`` package."""
    return _dumps(value) if _plain(value) else rfc8785.dumps(value)


def envelope_parts(envelope: dict) -> tuple[bytes, bytes] | None:
    """What an envelope's signature covers (the envelope without it) and its payload, both
    canonical, with one look at the whole envelope for the fast path; None if it cannot be
    put in canonical form at all (a number JSON cannot hold exactly, say)."""
    unsigned = {k: v for k, v in envelope.items() if k != "signature"}
    try:
        if _plain(unsigned):
            return _dumps(unsigned), _dumps(envelope.get("payload"))
        return rfc8785.dumps(unsigned), rfc8785.dumps(envelope.get("payload"))
    except (ValueError, TypeError, UnicodeEncodeError):  # a lone surrogate, say
        return None


def _quick_parts(envelope: dict) -> tuple[bytes, bytes] | None:
    """Sorted, compact JSON of what the signature covers and of the payload, without looking
    at the values first: RFC 8785's bytes whenever the values are plain, which those of every
    envelope IPEX writes are."""
    try:
        unsigned = {k: v for k, v in envelope.items() if k != "signature"}
        return _dumps(unsigned), _dumps(envelope.get("payload"))
    except (TypeError, ValueError):  # orjson's errors are both: a lone surrogate, a huge number
        return None


def checked_parts(envelope: dict, accepts) -> tuple[bytes, bytes] | None:
    """What the envelope's signature covers and its payload, both canonical, as ``accepts``
    (a check of the first: its signature, or this node's seal) takes them; None if it takes
    neither form.

    The quick form (:func:`_quick_parts`) is tried first; only if it is refused are the values
    looked at and the RFC 8785 form proper made and tried. Either way what is accepted is the
    very bytes the check passed over, and they read back as the envelope: nothing unsigned
    slips in, and an envelope IPEX wrote costs one pass of the JSON encoder."""
    quick = _quick_parts(envelope)
    if quick is not None and accepts(quick[0]):
        return quick
    strict = envelope_parts(envelope)
    if strict is None or strict == quick:
        return None
    return strict if accepts(strict[0]) else None


def sha256_hex(value) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def key_id(public_key_b64: str) -> str:
    """A short, stable name for a public key: the SHA-256 of its raw bytes, hex."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]


def seal_key() -> bytes:
    """The key of this node's egress seals, derived from its private key."""
    # Imported here, not above: the checking process imports this module without Django.
    from cryptography.hazmat.primitives import serialization

    from ipex.directory.services import node_private_key  # only with Django: see above

    raw = node_private_key().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return hashlib.sha256(b"ipex egress seal v1\0" + raw).digest()


def seal(key: bytes, envelope: dict, signed: bytes | None = None) -> str:
    """HMAC-SHA256 over what the envelope's signature covers (``signed``, or made here) and
    the signature."""
    if signed is None:
        parts = envelope_parts(envelope)
        if parts is None:
            return ""
        signed = parts[0]
    signature = str(envelope.get("signature", "")).encode()
    return hmac.new(key, signed + b"\n" + signature, hashlib.sha256).hexdigest()


def endorsed(public_key_b64: str) -> bytes:
    """What a node's old key signs to endorse its new one."""
    return b"ipex-key-rotation-v1\n" + public_key_b64.encode("ascii")


def sign(data: bytes) -> str:
    from ipex.directory.services import node_private_key  # see seal_key: no Django above

    return base64.b64encode(node_private_key().sign(data)).decode("ascii")


@functools.lru_cache(maxsize=256)
def _verify_key(public_key_b64: str) -> VerifyKey:
    return VerifyKey(base64.b64decode(public_key_b64, validate=True))


def verify(public_key_b64: str, data: bytes, signature_b64: str) -> bool:
    """Whether the signature over the data is the key's. Checked by libsodium (PyNaCl):
    twice as fast as OpenSSL's Ed25519 here, and every envelope is checked twice (on its
    way out and on its way in). Both follow RFC 8032; the keys are those `cryptography`
    made."""
    try:
        _verify_key(public_key_b64).verify(data, base64.b64decode(signature_b64, validate=True))
    except (BadSignatureError, ValueError, TypeError, binascii.Error):
        return False
    return True
