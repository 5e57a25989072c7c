"""The egress check: independent of the outbox that decided, every envelope is checked again
against the recipients rule before it leaves, and against this node's signature. What fails
is held back and audited: fail closed."""

from __future__ import annotations

import hashlib
import hmac

from ipex.core.audit import Actor, audit_log
from ipex.core.models import Distribution
from ipex.exchange import canonical
from ipex.exchange.types import REGISTRY, member_nodes


class Egress:
    """The check for one answer to one partner: this node and its keys are read once."""

    def __init__(self, node):
        from ipex.directory.models import Node
        from ipex.exchange.models import NodeKey

        self.node = node
        self.local = Node.local()
        self.keys = NodeKey.of(self.local)
        self.seal_key = canonical.seal_key()

    def reason(self, envelope: dict, action: str, seal: str = "") -> str:
        if envelope.get("origin") != str(self.local.uuid):
            return "not this node's record"
        if envelope.get("type") not in REGISTRY:
            return "not a shareable type"
        key_id = envelope.get("key_id")
        public_key = self.keys.get(key_id) if isinstance(key_id, str) else None
        parts = canonical.envelope_parts(envelope)
        sealed = (
            parts is not None
            and len(seal) == 64
            and hmac.compare_digest(seal, canonical.seal(self.seal_key, envelope, parts))
        )
        if not sealed and (
            public_key is None
            or parts is None
            or not canonical.verify(public_key, parts[0], str(envelope.get("signature", "")))
        ):
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
        reached = member_nodes(envelope.get("sharing_group")) | REGISTRY[
            envelope["type"]
        ].also_for_envelope(envelope)
        if envelope.get("distribution") == Distribution.GROUP and str(self.node.uuid) in reached:
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
