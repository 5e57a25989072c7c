"""The egress check: independent of the outbox that decided, every envelope is checked again
against the recipients rule before it leaves, and against this node's signature. What fails
is held back and audited: fail closed."""

from __future__ import annotations

import hashlib
import hmac

from ipex.core.audit import Actor, audit_log
from ipex.core.models import Distribution
from ipex.core.registry import shareable_types
from ipex.directory.models import Node
from ipex.directory.shareable import member_nodes
from ipex.federation import canonical
from ipex.federation.models import NodeKey


class Egress:
    """The check for one answer to one partner: this node and its keys are read once."""

    def __init__(self, node):
        self.node = node
        self.node_uuid = str(node.uuid)
        self.local = Node.local()
        self.local_uuid = str(self.local.uuid)
        self.keys = NodeKey.of(self.local)
        self.seal_key = canonical.seal_key()

    def reason(self, envelope: dict, action: str, seal: str = "") -> str:
        if envelope.get("origin") != self.local_uuid:
            return "not this node's record"
        if envelope.get("type") not in shareable_types:
            return "not a shareable type"
        key_id = envelope.get("key_id")
        public_key = self.keys.get(key_id) if isinstance(key_id, str) else None
        signature = str(envelope.get("signature", ""))

        def signed_here(signed: bytes) -> bool:  # the seal, or else the signature
            if len(seal) == 64 and hmac.compare_digest(
                seal, canonical.seal(self.seal_key, envelope, signed)
            ):
                return True
            return public_key is not None and canonical.verify(public_key, signed, signature)

        parts = canonical.checked_parts(envelope, signed_here)
        if parts is None:
            return "the stored envelope's signature does not match"
        if action == "tombstone":
            return (
                ""
                if envelope.get("tombstone") is True and envelope.get("payload") is None
                else ("a tombstone disclosure with content")
            )
        if envelope.get("tombstone"):
            return "a tombstone sent as content"
        if envelope.get("sha256") != hashlib.sha256(parts[1]).hexdigest():
            return "the payload does not match its hash"
        if envelope.get("distribution") == Distribution.PUBLIC:
            return ""
        reached = member_nodes(envelope.get("sharing_group")) | shareable_types[
            envelope["type"]
        ].also_for_envelope(envelope)
        if envelope.get("distribution") == Distribution.GROUP and self.node_uuid in reached:
            return ""
        return "the partner is not among the record's recipients"

    def ok(self, envelope: dict, action: str, seal: str = "") -> bool:
        reason = self.reason(envelope, action, seal)
        if reason:
            audit_log(
                Actor.system("federation egress"),
                "federation.egress.blocked",
                self.node,
                {"reason": reason, "type": envelope.get("type"), "uuid": envelope.get("uuid")},
            )
            return False
        return True
