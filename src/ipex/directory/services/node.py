"""This node's identity: its record and its signing key."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.services import validate
from ipex.directory.models import (
    Node,
)

# ---------------------------------------------------------------- node identity


def _load_or_create_key(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise DomainError(_("The node key file does not hold an Ed25519 key."))
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def replace_node_key(key: Ed25519PrivateKey) -> None:
    """Write a new private key in the node key file, whole or not at all (mode 0600)."""
    path = Path(settings.IPEX_NODE_KEY_FILE)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def node_private_key() -> Ed25519PrivateKey:
    return _load_or_create_key(Path(settings.IPEX_NODE_KEY_FILE))


def node_init(*, name: str | None = None, base_url: str | None = None) -> tuple[Node, bool]:
    """Give this node its identity and Ed25519 key pair; returns (node, created).

    Idempotent: a node that exists is returned as it is. The private key lives in
    ``IPEX_NODE_KEY_FILE`` (mode 0600), never in the database.
    """
    with transaction.atomic():
        existing = Node.objects.select_for_update().filter(is_local=True).first()
        key_path = Path(settings.IPEX_NODE_KEY_FILE)
        if existing is not None and not key_path.exists():
            raise Conflict(
                _("This node's key file %(path)s is missing; restore it from the backup.")
                % {"path": key_path}
            )
        key = node_private_key()
        public = public_key_b64(key)
        if existing is not None:
            if existing.public_key != public:
                raise Conflict(
                    _(
                        "The key in %(path)s does not match this node's public key; "
                        "restore the node's key file."
                    )
                    % {"path": settings.IPEX_NODE_KEY_FILE}
                )
            return existing, False
        node = Node(
            name=name or settings.IPEX_NODE_NAME,
            base_url=base_url or settings.IPEX_BASE_URL,
            public_key=public,
            is_local=True,
        )
        validate(node)
        node.save()
        audit_log(as_actor(None), "directory.node.initialised", node, {"public_key": public})
    return node, True
