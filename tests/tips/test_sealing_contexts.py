"""The sealing contexts, now declared once in ``crypto.Context``, are the very bytes the code
spelled out before: a value sealed by an earlier version opens with the new constants, so
tips already in a database stay readable."""

from __future__ import annotations

import uuid

import pytest

from ipex.tips import crypto, services
from ipex.tips.crypto import Context
from ipex.tips.models import TipMessage
from tests.tips.conftest import photo

RECORD = uuid.UUID("6f1c2b9e-2d4a-4c8e-9b1f-3a5d7e9c0b12")

# (the constant, the context as the earlier code wrote it for that record)
EARLIER = [
    (Context.TIP_DESCRIPTION.of(RECORD), f"tip:{RECORD}:description"),
    (Context.TIP_CONTACT.of(RECORD), f"tip:{RECORD}:contact"),
    (Context.TIP_MESSAGE.of(RECORD), f"tip:{RECORD}:message"),
    (Context.TIP_FILE_NAME.of(RECORD), f"tip:{RECORD}:file-name"),
    (Context.ATTACHMENT.of(RECORD, "original"), f"attachment:{RECORD}:original"),
    (Context.ATTACHMENT.of(RECORD, "clean"), f"attachment:{RECORD}:clean"),
    (Context.REWARD_PAYMENT.of(RECORD), f"reward:{RECORD}:payment"),
]


@pytest.mark.parametrize(("context", "earlier"), EARLIER, ids=[e for _c, e in EARLIER])
def test_a_value_sealed_with_the_earlier_context_opens_with_the_constant(context, earlier):
    blob = crypto.seal("wechat: lotus88", context=earlier)
    assert crypto.unseal_text(blob, context=context) == "wechat: lotus88"
    assert context.encode() == earlier.encode()


def test_every_context_is_covered():
    assert {c for c in Context} == {
        Context.TIP_DESCRIPTION,
        Context.TIP_CONTACT,
        Context.TIP_MESSAGE,
        Context.TIP_FILE_NAME,
        Context.ATTACHMENT,
        Context.REWARD_PAYMENT,
    }


def test_a_value_sealed_for_one_field_does_not_open_as_another():
    blob = crypto.seal("Blue Lotus warehouse", context=Context.TIP_DESCRIPTION.of(RECORD))
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        crypto.unseal(blob, context=Context.TIP_CONTACT.of(RECORD))


def test_a_tip_sealed_by_the_earlier_code_opens_for_the_officer(submit, people):
    tip, _receipt, _proof = submit("Line behind the dye works", files=[photo()])
    # what the earlier code wrote, with its own spelling of the contexts
    tip.description_sealed = crypto.seal(
        "Line behind the dye works", context=f"tip:{tip.uuid}:description"
    )
    tip.contact_sealed = crypto.seal("wechat lotus", context=f"tip:{tip.uuid}:contact")
    tip.save(update_fields=["description_sealed", "contact_sealed"])
    TipMessage.objects.create(
        tip=tip,
        direction="reply",
        body_sealed=crypto.seal("Gate 3", context=f"tip:{tip.uuid}:message"),
    )
    attachment = tip.attachments.get()
    attachment.name_sealed = crypto.seal("scene.jpg", context=f"tip:{tip.uuid}:file-name")
    attachment.save(update_fields=["name_sealed"])
    path = services.files_dir() / f"{attachment.uuid}.original"
    path.write_bytes(crypto.seal(b"the photo", context=f"attachment:{attachment.uuid}:original"))

    opened = services.tip_open(actor=people.owner, tip=tip)
    assert (opened["description"], opened["contact"]) == (
        "Line behind the dye works",
        "wechat lotus",
    )
    assert [m["body"] for m in opened["conversation"]] == ["Gate 3"]
    assert services.attachment_name(attachment) == "scene.jpg"
    assert services.attachment_bytes(attachment, "original") == b"the photo"
