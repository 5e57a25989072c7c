"""The egress check: independent of the outbox that decided, every envelope is checked again
against the recipients rule before it leaves, and against this node's signature. What fails
is held back and audited: fail closed."""

from __future__ import annotations

from ipex.core.audit import Actor, audit_log
from ipex.core.models import Distribution
from ipex.exchange import canonical
from ipex.exchange.types import REGISTRY, member_nodes


def _reason(envelope: dict, node, action: str) -> str:
    from ipex.directory.models import Node
    from ipex.exchange.models import NodeKey

    local = Node.local()
    if envelope.get("origin") != str(local.uuid):
        return "not this node's record"
    if envelope.get("type") not in REGISTRY:
        return "not a shareable type"
    key = NodeKey.objects.filter(node=local, key_id=envelope.get("key_id")).first()
    unsigned = {k: v for k, v in envelope.items() if k != "signature"}
    if key is None or not canonical.verify(
        key.public_key, canonical.canonical(unsigned), envelope.get("signature", "")
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
    if envelope.get("sha256") != canonical.sha256_hex(envelope.get("payload")):
        return "the payload does not match its hash"
    if envelope.get("distribution") == Distribution.PUBLIC:
        return ""
    reached = member_nodes(envelope.get("sharing_group")) | REGISTRY[
        envelope["type"]
    ].also_for_envelope(envelope)
    if envelope.get("distribution") == Distribution.GROUP and str(node.uuid) in reached:
        return ""
    return "the partner is not among the record's recipients"


def egress_ok(envelope: dict, node, action: str) -> bool:
    reason = _reason(envelope, node, action)
    if reason:
        audit_log(
            Actor.system("federation egress"),
            "federation.egress.blocked",
            node,
            {"reason": reason, "type": envelope.get("type"), "uuid": envelope.get("uuid")},
        )
        return False
    return True
