"""The tipster's side: routing a tip by place and kind, its submission (checked whole, the
receipt shown once, the signed proof), the files a tipster sends (checked by content, photos
stripped of their metadata, everything sealed) and the tipster's replies with the receipt.

Nothing here ever sees the tipster's address or user agent: the public entry points take
only what the tipster typed and sent. The audit log names tips by uuid and never carries a
description, contact, message or payment identity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid as uuid_module
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.cases.evidence import read_within, sniff
from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, refuse_if
from ipex.core.freshness import kept
from ipex.core.models import Distribution
from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory.models import Jurisdiction, Node, Organisation
from ipex.tips import crypto, receipts
from ipex.tips.crypto import Context
from ipex.tips.images import strip_metadata
from ipex.tips.models import (
    Direction,
    RoutingRule,
    Tip,
    TipAttachment,
    TipKind,
    TipMessage,
    TipStatus,
)
from ipex.tips.proof import make_proof

PUBLIC = Actor.system("public tip form")


MAX_TEXT = 20_000


TIP_FILE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


IMAGE_TYPES = {"image/png", "image/jpeg"}


def files_dir() -> Path:
    return Path(settings.DATA_DIR) / "tips"


def route(jurisdiction: Jurisdiction, kind: str) -> Organisation | None:
    """The organisation of the deepest rule covering the place; for the kind before any."""
    ancestors = [jurisdiction.path[:i] for i in range(4, len(jurisdiction.path) + 1, 4)]
    rules = RoutingRule.objects.filter(
        jurisdiction__path__in=ancestors, kind__in=[kind, ""], organisation__is_active=True
    ).select_related("jurisdiction", "organisation")
    best = max(rules, key=lambda r: (len(r.jurisdiction.path), bool(r.kind)), default=None)
    return best.organisation if best else None


def routable_jurisdictions():
    """The places a tip can be about: those under a routing rule, outline order (kept between
    requests under the audit head: routing rules change through audited writes)."""

    def read():
        paths = set(RoutingRule.objects.values_list("jurisdiction__path", flat=True))
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(path__startswith=path)
        return list(Jurisdiction.objects.filter(q).order_by("path"))

    return kept("tip-places", "", read)


@dataclass
class Incoming:
    name: str
    data: bytes
    content_type: str
    clean: bytes | None


def _read_files(files, errors: dict, existing: int = 0) -> list[Incoming]:
    """Check every file before anything is written: count, size, type by content."""

    files = [f for f in files or [] if f]
    limit, max_bytes = settings.IPEX_TIP_MAX_FILES, settings.IPEX_TIP_MAX_FILE_BYTES
    if existing + len(files) > limit:
        errors["files"] = [_("At most %(n)s files can be sent with a tip.") % {"n": limit}]
        return []
    out, problems = [], []
    for name, data in read_within(files, max_bytes, problems):
        try:
            content_type = sniff(data[:16], name, allowed=TIP_FILE_TYPES)
        except DomainError:
            problems.append(
                _("%(name)s is not a photo (JPEG, PNG) or PDF whose content matches its name.")
                % {"name": name}
            )
            continue
        clean = None
        if content_type in IMAGE_TYPES:
            try:
                clean = strip_metadata(data, content_type)
            except Exception:  # noqa: BLE001 - any decoder failure means a broken image
                problems.append(_("%(name)s is not a readable image.") % {"name": name})
                continue
        out.append(Incoming(name=name, data=data, content_type=content_type, clean=clean))
    if problems:
        errors["files"] = problems
    return out


def _store_files(tip: Tip, incoming: list[Incoming], written: list[Path]) -> None:
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for item in incoming:
        attachment = TipAttachment(
            tip=tip,
            name_sealed=crypto.seal(item.name, context=Context.TIP_FILE_NAME.of(tip.uuid)),
            content_type=item.content_type,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            has_clean_copy=item.clean is not None,
        )
        for variant, data in (("original", item.data), ("clean", item.clean)):
            if data is None:
                continue
            path = folder / f"{attachment.uuid}.{variant}"
            path.write_bytes(
                crypto.seal(data, context=Context.ATTACHMENT.of(attachment.uuid, variant))
            )
            written.append(path)
        attachment.save()


def attachment_bytes(attachment: TipAttachment, variant: str) -> bytes:
    path = files_dir() / f"{attachment.uuid}.{variant}"
    return crypto.unseal(path.read_bytes(), context=Context.ATTACHMENT.of(attachment.uuid, variant))


def attachment_file(*, actor, attachment: TipAttachment, variant: str) -> bytes:
    """An attachment for an officer who can see its tip (checked by the caller); audited."""
    who = as_actor(actor)
    data = attachment_bytes(attachment, variant)
    audit_log(
        who,
        "tips.attachment.downloaded",
        attachment.tip,
        {"attachment": str(attachment.uuid), "variant": variant},
    )
    return data


def attachment_name(attachment: TipAttachment) -> str:
    return crypto.unseal_text(
        attachment.name_sealed, context=Context.TIP_FILE_NAME.of(attachment.tip.uuid)
    )


def _discard(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _content_hash(kind, jurisdiction, description, contact, incoming) -> str:
    canonical = json.dumps(
        {
            "kind": kind,
            "jurisdiction": jurisdiction,
            "description": description,
            "contact": contact,
            "files": [hashlib.sha256(i.data).hexdigest() for i in incoming],
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def tip_submit(
    *,
    kind: str,
    jurisdiction: str,
    description: str,
    contact: str = "",
    files=(),
    language: str = "en",
) -> tuple[Tip, str, dict]:
    """A tip from the public: checked whole before anything is written; returns the tip, its
    receipt (to show once) and the signed proof of submission."""

    errors: dict[str, list[str]] = {}
    if kind not in TipKind.values:
        errors["kind"] = [_("Choose what the tip is about.")]
    description = (description or "").strip()
    contact = (contact or "").strip()
    if not description:
        errors["description"] = [_("Describe what you saw.")]
    elif len(description) > MAX_TEXT:
        errors["description"] = [
            _("The description is longer than %(n)s characters.") % {"n": MAX_TEXT}
        ]
    if len(contact) > 500:
        errors["contact"] = [_("The contact is longer than 500 characters.")]
    place = Jurisdiction.objects.filter(code=(jurisdiction or "").strip().upper()).first()
    organisation = route(place, kind) if place is not None and kind in TipKind.values else None
    if place is None:
        errors["jurisdiction"] = [_("Choose where it happens.")]
    elif organisation is None and "kind" not in errors:
        errors["jurisdiction"] = [
            _("Tips about %(place)s are not taken on this node.") % {"place": place.name}
        ]
    incoming = _read_files(files, errors)
    refuse_if(errors, _("The tip was not sent; correct the errors."), code="invalid_tip")
    now = timezone.now()
    written: list[Path] = []
    try:
        with transaction.atomic():
            for _attempt in range(3):
                code = receipts.new_receipt()
                hashed = receipts.receipt_hash(code)
                if not Tip.objects.filter(receipt_hash=hashed).exists():
                    break
            tip_uuid = uuid_module.uuid4()
            tip = Tip(
                uuid=tip_uuid,
                origin_node=Node.local(),
                owner_org=organisation,
                routed_to=organisation,
                distribution=Distribution.ORG,
                kind=kind,
                jurisdiction=place,
                description_sealed=crypto.seal(
                    description, context=Context.TIP_DESCRIPTION.of(tip_uuid)
                ),
                contact_sealed=(
                    crypto.seal(contact, context=Context.TIP_CONTACT.of(tip_uuid))
                    if contact
                    else None
                ),
                receipt_hash=hashed,
                content_sha256=_content_hash(kind, place.code, description, contact, incoming),
                language=language,
                created_at=now,
                updated_at=now,
                acknowledge_by=timezone.localdate(now)
                + dt.timedelta(days=settings.IPEX_TIP_ACK_DAYS),
            )
            with shared_record_create(PUBLIC, tip, "tips.tip.received") as write:
                _store_files(tip, incoming, written)
                write.note(
                    kind=kind,
                    jurisdiction=place.code,
                    routed_to=organisation.code,
                    attachments=len(incoming),
                )
    except BaseException:
        _discard(written)
        raise
    return tip, code, make_proof(tip)


def tipster_reply(*, tip: Tip, body: str, files=()) -> None:
    """The tipster answers a question and/or sends more files."""
    errors: dict[str, list[str]] = {}
    body = (body or "").strip()
    if len(body) > MAX_TEXT:
        errors["body"] = [_("The message is longer than %(n)s characters.") % {"n": MAX_TEXT}]
    incoming = _read_files(files, errors, existing=tip.attachments.count())
    if not body and not incoming and not errors:
        errors["body"] = [_("Write a reply or add a file.")]
    if tip.status == TipStatus.CLOSED:
        raise Conflict(_("This tip is closed."), code="tip_closed")
    refuse_if(errors, _("Nothing was sent; correct the errors."))
    written: list[Path] = []
    try:
        with shared_record_write(PUBLIC, tip, "tips.tip.tipster_replied") as write:
            if tip.status == TipStatus.CLOSED:  # closed while the reply was checked
                raise Conflict(_("This tip is closed."), code="tip_closed")
            if body:
                message = TipMessage(tip=tip, direction=Direction.REPLY)
                message.body_sealed = crypto.seal(body, context=Context.TIP_MESSAGE.of(tip.uuid))
                message.save()
            _store_files(tip, incoming, written)
            # The tipster's words stay sealed: the log says only that there were some.
            write.note(message=bool(body), files=len(incoming))
    except BaseException:
        _discard(written)
        raise
