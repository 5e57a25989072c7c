"""Resealing every sealed tip value and file with the current (first) key."""

from __future__ import annotations

import os

from django.db import transaction

from ipex.tips import crypto
from ipex.tips.crypto import Context
from ipex.tips.models import Reward, Tip, TipAttachment, TipMessage
from ipex.tips.services import files_dir

FIELDS = [
    (Tip, "description_sealed", lambda o: Context.TIP_DESCRIPTION.of(o.uuid)),
    (Tip, "contact_sealed", lambda o: Context.TIP_CONTACT.of(o.uuid)),
    (TipMessage, "body_sealed", lambda o: Context.TIP_MESSAGE.of(o.tip.uuid)),
    (TipAttachment, "name_sealed", lambda o: Context.TIP_FILE_NAME.of(o.tip.uuid)),
    (Reward, "payment_identity_sealed", lambda o: Context.REWARD_PAYMENT.of(o.uuid)),
]


def reseal_all() -> dict[str, int]:
    counts = {"values": 0, "files": 0, "current": 0}
    with transaction.atomic():
        for model, field, context in FIELDS:
            related = ["tip"] if model in (TipMessage, TipAttachment) else []
            for obj in model.objects.select_related(*related).exclude(**{f"{field}__isnull": True}):
                blob = getattr(obj, field)
                if crypto.is_current(blob):
                    counts["current"] += 1
                    continue
                plain = crypto.unseal(blob, context=context(obj))
                setattr(obj, field, crypto.seal(plain, context=context(obj)))
                obj.save(update_fields=[field])
                counts["values"] += 1

    folder = files_dir()
    for attachment in TipAttachment.objects.all():
        for variant in ("original", "clean"):
            path = folder / f"{attachment.uuid}.{variant}"
            if not path.exists():
                continue
            blob = path.read_bytes()
            if crypto.is_current(blob):
                counts["current"] += 1
                continue
            context = Context.ATTACHMENT.of(attachment.uuid, variant)
            sealed = crypto.seal(crypto.unseal(blob, context=context), context=context)
            temporary = path.with_suffix(".resealing")
            temporary.write_bytes(sealed)
            os.replace(temporary, path)
            counts["files"] += 1
    return counts
