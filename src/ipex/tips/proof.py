"""Proof of submission: the tip's id, time and content hash, signed with the node's Ed25519
key. The tipster keeps it; ``ipex tips verify-proof FILE`` (or anyone with the node's public
key) checks it. Changing any field breaks the signature."""

from __future__ import annotations

import base64
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ipex.directory.models import Node
from ipex.directory.services import node_private_key

FORMAT = "ipex-tip-proof/1"
SIGNED_FIELDS = ("format", "node", "tip", "submitted_at", "content_sha256")


def _canonical(proof: dict) -> bytes:
    return json.dumps(
        {k: proof[k] for k in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def make_proof(tip) -> dict:

    node = Node.local()
    proof = {
        "format": FORMAT,
        "node": node.public_key,
        "tip": str(tip.uuid),
        "submitted_at": tip.created_at.isoformat(),
        "content_sha256": tip.content_sha256,
    }
    proof["signature"] = base64.b64encode(node_private_key().sign(_canonical(proof))).decode()
    return proof


def verify_proof(proof, trusted_keys: set[str]) -> tuple[bool, str]:
    """(True, summary) for a proof signed by one of the trusted node keys, else (False, why)."""
    if not isinstance(proof, dict) or proof.get("format") != FORMAT:
        return False, "not an IPEX proof of submission"
    missing = [k for k in (*SIGNED_FIELDS, "signature") if not isinstance(proof.get(k), str)]
    if missing:
        return False, f"missing fields: {', '.join(missing)}"
    if proof["node"] not in trusted_keys:
        return False, "signed by a key that is not this node's (nor a known partner's)"
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(proof["node"]))
        key.verify(base64.b64decode(proof["signature"]), _canonical(proof))
    except (InvalidSignature, ValueError):
        return False, "the signature does not match: the proof was changed or forged"
    return True, f"tip {proof['tip']} submitted at {proof['submitted_at']}"
