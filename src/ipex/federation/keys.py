"""This node's keys and its partners' keys: remembered, rotated, and learnt from a partner's
signed node document. Below ``protocol`` (which asks it for a partner's new keys when a request
is signed with one it does not know) and ``services``; it calls no partner but to read a node
document."""

from __future__ import annotations

import base64
import json

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError
from ipex.core.permissions import ensure_actor_node_admin
from ipex.directory.models import Node
from ipex.directory.services import node_private_key, public_key_b64, replace_node_key
from ipex.federation import canonical, httpsig
from ipex.federation.models import NodeKey
from ipex.federation.transport import TRANSPORTS, SyncError


def check_public_key(public_key: str) -> str:
    try:
        raw = base64.b64decode(public_key, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise DomainError(
            _("The public key is not an Ed25519 key (base64 of 32 bytes)."),
            fields={"key": [_("Not an Ed25519 public key.")]},
        )
    return public_key


def remember_key(node: Node, public_key: str) -> NodeKey:
    key, _created = NodeKey.objects.get_or_create(
        node=node, public_key=public_key, defaults={"key_id": canonical.key_id(public_key)}
    )
    return key


def ensure_local_key() -> NodeKey:
    """This node's current key is among its keys (``ipex node init`` made it)."""
    local = Node.local()
    return remember_key(local, local.public_key)


def partner_key_rotated(*, node: Node, public_key: str) -> None:
    """A partner's new key (learnt from its signed node document): the old one is kept, so
    versions it signed still verify."""
    check_public_key(public_key)
    with transaction.atomic():
        remember_key(node, public_key)
        if node.public_key != public_key:
            NodeKey.objects.filter(node=node, retired_at__isnull=True).exclude(
                public_key=public_key
            ).update(retired_at=timezone.now())
            Node.objects.filter(pk=node.pk).update(public_key=public_key)
            audit_log(
                as_actor(None),
                "federation.partner.key_rotated",
                node,
                {"key_id": canonical.key_id(public_key)},
            )


def node_key_rotate(*, actor) -> NodeKey:
    """Give this node a new key, endorsed by the one it replaces. The old public key is kept
    (retired): what it signed still verifies, here and at partners, which learn the new key
    from the node document the next time they meet it (see ``learn_partner_keys``). The old
    private key is not kept."""
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    with transaction.atomic():
        local = Node.objects.select_for_update().get(is_local=True)
        old = ensure_local_key()
        new_private = Ed25519PrivateKey.generate()
        new_public = public_key_b64(new_private)
        endorsement = base64.b64encode(node_private_key().sign(canonical.endorsed(new_public)))
        NodeKey.objects.filter(node=local, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        key = NodeKey.objects.create(
            node=local,
            public_key=new_public,
            key_id=canonical.key_id(new_public),
            endorsed_by=old.key_id,
            endorsement=endorsement.decode("ascii"),
        )
        Node.objects.filter(pk=local.pk).update(public_key=new_public)
        audit_log(who, "federation.node.key_rotated", local, {"key_id": key.key_id})
        # The key file last: if anything above failed, the old key still matches the node.
        replace_node_key(new_private)
    return key


def learn_partner_keys(node: Node) -> bool:
    """A partner that rotated its key: take the new keys its node document lists, each one
    only if endorsed by a key of that partner this node already holds, and the document
    signed by the newest. True if a key was learnt; nothing changes otherwise."""
    base = node.base_url.rstrip("/")
    response = _node_document_response(base)
    try:
        document = response.json()
        offered = sorted(document["keys"], key=lambda k: str(k.get("created", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SyncError(f"{node.name}'s node document could not be read: {exc}") from exc
    known = NodeKey.of(node)
    learnt = []
    for item in offered:
        public = item.get("public_key") if isinstance(item, dict) else None
        if not isinstance(public, str) or canonical.key_id(public) in known:
            continue
        endorser = known.get(item.get("endorsed_by") or "")
        signature = item.get("endorsement") or ""
        if endorser and canonical.verify(endorser, canonical.endorsed(public), signature):
            known[canonical.key_id(public)] = public
            learnt.append(public)
    current = document.get("public_key")
    if not learnt or current not in learnt:
        return False
    # The document itself must be signed by the key it names as current.
    _signed_document(base, response, current)
    with transaction.atomic():
        for public in learnt:
            remember_key(node, public)
        partner_key_rotated(node=node, public_key=current)
    node.refresh_from_db()
    return True


def fetch_node_document(url: str, public_key: str) -> dict:
    """A node's document, whose answer must be signed by the key given out of band."""
    check_public_key(public_key)
    base = url.strip().rstrip("/")
    return _signed_document(base, _node_document_response(base), public_key)


def _node_document_response(base: str):
    transport = TRANSPORTS.get(base)
    try:
        with httpx.Client(transport=transport, timeout=settings.IPEX_FEDERATION_TIMEOUT) as client:
            return client.get(f"{base}/federation/v1/node")
    except httpx.HTTPError as exc:
        raise SyncError(f"{base} could not be reached: {exc}") from exc


def _signed_document(base: str, response, public_key: str) -> dict:
    """The document of a node-document answer, if that key signed it."""

    message = httpsig.Message(
        method="GET",
        path=httpx.URL(f"{base}/federation/v1/node").path,
        query="?",
        headers={k.lower(): v for k, v in response.headers.items()},
        status=response.status_code,
    )
    wanted = canonical.key_id(public_key)
    try:
        httpsig.verify(
            message,
            body=response.content,
            resolve_key=lambda key_id: public_key if key_id == wanted else None,
            request=message,
            request_nonce="",
            window=settings.IPEX_FEDERATION_WINDOW,
        )
        document = json.loads(response.content)
    except (httpsig.SignatureError, ValueError) as exc:
        raise SyncError(f"{base} did not answer with a document signed by that key: {exc}") from exc
    return document
