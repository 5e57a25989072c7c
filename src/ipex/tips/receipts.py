"""Receipt codes: 16 random digits shown once to the tipster. Only an argon2id hash is kept.

The hash uses one random salt for the node (``TipConfig``), not one per tip, so that a tip can
be found by the hash of the receipt typed in: every check computes exactly one argon2id hash
and one indexed lookup, so a wrong receipt takes the same time whether or not anything is
near it. With 10^16 possible codes and argon2id's cost, the stored hashes cannot be reversed
by trying codes. The cost parameters are stored with the salt, so changing the settings never
invalidates existing receipts.
"""

from __future__ import annotations

import secrets

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from django.db import transaction

from ipex.tips.models import TipConfig

DIGITS = 16


def new_receipt() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def display(code: str) -> str:
    """'1234567890123456' → '1234 5678 9012 3456'."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(raw) -> str:
    """Digits only (spaces and dashes as typed are fine); anything else hashes as it is, so a
    malformed receipt costs the same as a wrong one."""
    text = str(raw or "")
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) == DIGITS and len(text) < 64 else text[:64]


def _config():

    config = TipConfig.objects.first()
    if config is None:
        with transaction.atomic():
            config = TipConfig.objects.select_for_update().first() or TipConfig.objects.create(
                receipt_salt=secrets.token_bytes(16),
                time_cost=settings.IPEX_RECEIPT_ARGON2[0],
                memory_cost=settings.IPEX_RECEIPT_ARGON2[1],
            )
    return config


def receipt_hash(raw) -> str:
    config = _config()
    return hash_secret_raw(
        secret=normalise(raw).encode("utf-8"),
        salt=bytes(config.receipt_salt),
        time_cost=config.time_cost,
        memory_cost=config.memory_cost,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    ).hex()
