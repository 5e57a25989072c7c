"""Sealing tip contents at rest: AES-256-GCM, one random nonce per value, the record and
field bound in as associated data (a sealed description cannot be moved to another tip).

Keys come from ``IPEX_TIP_KEY`` (or the file named by ``IPEX_TIP_KEY_FILE``), else from
``IPEX_DATA_DIR/tip-keys``, which ``ipex node init`` creates (mode 0600). Either holds one or
more base64 keys separated by commas or new lines: the first seals, all open. Rotation: put a
new key first (``ipex tips new-key``), run ``ipex tips rotate-key`` to reseal everything with
it, then drop the old ones.

A sealed value is ``b"\\x01" + key id (8 bytes) + nonce (12 bytes) + ciphertext and tag``.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
KEY_BYTES = 32


class Context(enum.Enum):
    """What a sealed value is and whose: the associated data bound into it, so that a value
    opens only as the field of the record it was sealed for. Sealed data in every database
    carries these exact bytes: never change a template, only add new ones."""

    TIP_DESCRIPTION = "tip:{uuid}:description"
    TIP_CONTACT = "tip:{uuid}:contact"
    TIP_MESSAGE = "tip:{uuid}:message"  # of the tip's uuid, for every message of the tip
    TIP_FILE_NAME = "tip:{uuid}:file-name"  # of the tip's uuid, for every attachment's name
    ATTACHMENT = "attachment:{uuid}:{variant}"  # the stored file; variant original or clean
    REWARD_PAYMENT = "reward:{uuid}:payment"

    def of(self, uuid, variant: str = "") -> str:
        """The context of the record with ``uuid`` (and, for a file, its variant)."""
        return self.value.format(uuid=uuid, variant=variant)


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:8]


def default_key_file() -> Path:
    return Path(settings.DATA_DIR) / "tip-keys"


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_keys(text: str) -> list[bytes]:
    keys = []
    for part in text.replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            key = base64.b64decode(part, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured("A tip key is not valid base64.") from exc
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(f"A tip key must be {KEY_BYTES} bytes (base64 of 32 bytes).")
        keys.append(key)
    return keys


def ensure_key_file() -> Path | None:
    """Create the default key file when no key is configured; returns it if created."""
    if settings.IPEX_TIP_KEY:
        return None
    path = default_key_file()
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(new_key_text() + "\n")
    return path


def keyring() -> list[bytes]:
    """The configured keys, the sealing key first."""
    if settings.IPEX_TIP_KEY:
        keys = parse_keys(settings.IPEX_TIP_KEY)
    else:
        path = default_key_file()
        if not path.exists():
            if settings.DEBUG:
                ensure_key_file()
            else:
                raise ImproperlyConfigured(
                    f"No tip key: set IPEX_TIP_KEY (or IPEX_TIP_KEY_FILE), or run "
                    f"'ipex node init' to create {path}."
                )
        keys = parse_keys(path.read_text(encoding="ascii"))
    if not keys:
        raise ImproperlyConfigured("The tip key ring is empty.")
    return keys


def seal(value: str | bytes, *, context: str) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    key = keyring()[0]
    nonce = secrets.token_bytes(12)
    return VERSION + key_id(key) + nonce + AESGCM(key).encrypt(nonce, data, context.encode())


def unseal(blob: bytes, *, context: str) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(VERSION) or len(blob) < 1 + 8 + 12 + 16:
        raise ValueError("not a sealed value")
    wanted = blob[1:9]
    for key in keyring():
        if key_id(key) == wanted:
            return AESGCM(key).decrypt(blob[9:21], blob[21:], context.encode())
    raise ImproperlyConfigured("A tip was sealed with a key that is no longer configured.")


def unseal_text(blob, *, context: str) -> str:
    return unseal(blob, context=context).decode("utf-8") if blob else ""


def is_current(blob) -> bool:
    return bytes(blob)[1:9] == key_id(keyring()[0])


def write_key_file(path: Path, keys: list[str]) -> None:
    """Replace the key file atomically, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("\n".join(keys) + "\n")
    os.replace(temporary, path)
