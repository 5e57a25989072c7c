"""Inspections: an administration plans one for a body and year, draws a sample of devices
at random (the seed kept: the same seed draws the same sample), records findings on sampled
devices, then closes it compliant or orders rectification by a deadline; the body answers
and a follow-up closes it. Overdue rectifications are escalated once, daily."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.compliance.models import (
    AuditedBody,
    Finding,
    Inspection,
    InspectionStatus,
    Product,
    RectificationProof,
)
from ipex.compliance.services.bodies import ensure_administers, ensure_year
from ipex.compliance.services.entitlements import check_proof, proof_dir, store_proof
from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import locked, workflow_step
from ipex.directory.models import Organisation

MAX_SAMPLE = 1000


def draw_sample(names: list[str], size: int, seed: int) -> list[str]:
    """The devices a seed picks: the same names, size and seed always give the same sample."""
    # A seeded generator on purpose: the sample must be drawn again from its recorded seed.
    picker = random.Random(seed)  # noqa: S311
    return sorted(picker.sample(sorted(names), min(size, len(names))))


def _step(inspection: Inspection, method: str) -> None:
    workflow_step(
        inspection,
        method,
        lambda i: Conflict(
            _("An inspection that is '%(status)s' cannot do that.")
            % {"status": i.get_status_display()},
            code="illegal_transition",
        ),
    )


def _inspector(who, inspection: Inspection) -> None:
    ensure_administers(who, inspection.administration)


def inspection_plan(
    *, actor, body: AuditedBody, year: int, sample_size: int, administration: Organisation = None
) -> Inspection:
    who = as_actor(actor)
    ensure_year(year)
    administration = administration or body.organisation.supervisor
    if administration is None or not body.organisation.path.startswith(administration.path):
        raise DomainError(
            _("The body is not under that administration."),
            fields={"administration": [_("Not above the body.")]},
        )
    ensure_administers(who, administration)
    if not isinstance(sample_size, int) or not 1 <= sample_size <= MAX_SAMPLE:
        raise DomainError(
            _("Give a sample size between 1 and %(max)s.") % {"max": MAX_SAMPLE},
            fields={"sample_size": [_("Out of range.")]},
        )
    with transaction.atomic():
        inspection = Inspection.objects.create(
            body=body,
            year=year,
            administration=administration,
            sample_size=sample_size,
            planned_by=who.user,
        )
        audit_log(who, "compliance.inspection.planned", inspection, {"year": year})
    return inspection


def inspection_draw(*, actor, inspection: Inspection, seed: int | None = None) -> Inspection:
    """Draw (or draw again) the sample among the devices inventoried for the year."""
    who = as_actor(actor)
    _inspector(who, inspection)
    with transaction.atomic():
        inspection = locked(inspection)
        names = list(
            inspection.body.devices.filter(year=inspection.year).values_list("name", flat=True)
        )
        if not names:
            raise DomainError(
                _("The body has no devices inventoried for %(year)s.") % {"year": inspection.year},
                code="no_devices",
            )
        if inspection.findings.exists():
            raise Conflict(
                _("Findings are recorded already; the sample cannot change."), code="has_findings"
            )
        _step(inspection, "draw")
        inspection.seed = secrets.randbits(48) if seed is None else seed
        inspection.sample = draw_sample(names, inspection.sample_size, inspection.seed)
        inspection.save()
        audit_log(
            who,
            "compliance.inspection.sampled",
            inspection,
            {"seed": inspection.seed, "sample": inspection.sample},
        )
    return inspection


def finding_record(
    *,
    actor,
    inspection: Inspection,
    device: str,
    product: Product,
    licensed: bool,
    evidence: str = "",
) -> Finding:
    who = as_actor(actor)
    _inspector(who, inspection)
    with transaction.atomic():
        inspection = locked(inspection)
        if inspection.status != InspectionStatus.SAMPLED:
            raise Conflict(
                _("Findings are recorded after the sample is drawn."), code="not_sampled"
            )
        if device not in inspection.sample:
            raise DomainError(
                _("%(device)s is not in the sample.") % {"device": device},
                fields={"device": [_("Not in the sample.")]},
                code="not_sampled_device",
            )
        finding, _created = Finding.objects.update_or_create(
            inspection=inspection,
            device=device,
            product=product,
            defaults={"licensed": bool(licensed), "evidence": (evidence or "").strip()},
        )
        audit_log(
            who,
            "compliance.inspection.finding",
            inspection,
            {"device": device, "product": str(product), "licensed": bool(licensed)},
        )
    return finding


def inspection_conclude(
    *, actor, inspection: Inspection, deadline: dt.date | None = None, order: str = ""
) -> Inspection:
    """Close it compliant (no deadline) or order rectification by ``deadline``; an
    unlicensed finding needs the order."""
    who = as_actor(actor)
    _inspector(who, inspection)
    with transaction.atomic():
        inspection = locked(inspection)
        unlicensed = inspection.findings.filter(licensed=False).exists()
        if deadline is None:
            if unlicensed:
                raise DomainError(
                    _("Unlicensed software was found: order rectification with a deadline."),
                    fields={"deadline": [_("Required.")]},
                )
            _step(inspection, "close_compliant")
            action = "compliance.inspection.compliant"
        else:
            if deadline <= timezone.localdate():
                raise DomainError(
                    _("The deadline must be in the future."),
                    fields={"deadline": [_("Not in the future.")]},
                )
            if not (order or "").strip():
                raise DomainError(
                    _("Say what the body must put right."), fields={"order": [_("Required.")]}
                )
            _step(inspection, "order_rectification")
            inspection.deadline, inspection.order = deadline, order.strip()
            action = "compliance.inspection.ordered"
        inspection.save()
        audit_log(who, action, inspection, {"deadline": str(deadline or "")})
    return inspection


def _still_ordered(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.ORDERED:
        raise Conflict(
            _(
                "The rectification order is no longer open (the inspection is '%(status)s'): "
                "no answer or proof can be added."
            )
            % {"status": inspection.get_status_display()},
            code="order_closed",
        )


def inspection_rectify(
    *, actor, inspection: Inspection, answer: str, entitlements=(), proofs=()
) -> Inspection:
    """The body says what it did and links its proof to the order: entitlements it recorded
    (licences bought, through their own form or import) and proof files, each checked by
    content as an entitlement's proof is. All of it or nothing."""
    who = as_actor(actor)
    ensure_actor_member_of(who, inspection.body.organisation, allow_supervisors=False)
    _still_ordered(inspection)
    if not (answer or "").strip():
        raise DomainError(_("Say what was put right."), fields={"answer": [_("Required.")]})
    entitlements = list(dict.fromkeys(entitlements or ()))
    if any(e.body_id != inspection.body_id for e in entitlements):
        message = _("Only the body's own entitlements can prove its rectification.")
        raise DomainError(message, fields={"entitlements": [message]}, code="not_own_entitlement")
    proofs = list(proofs or ())
    checked = []
    for upload in proofs:
        try:
            checked.append((upload, check_proof(upload)))
        except DomainError as exc:
            message = _("%(file)s: %(problem)s") % {"file": upload.name, "problem": exc.message}
            raise DomainError(message, fields={"proofs": [message]}, code=exc.code) from exc
    written = []
    try:
        with transaction.atomic():
            inspection = locked(inspection)
            _still_ordered(inspection)
            _step(inspection, "rectify")
            inspection.answer = answer.strip()
            inspection.save()
            for entitlement in entitlements:
                RectificationProof.objects.create(
                    inspection=inspection, entitlement=entitlement, added_by=who.user
                )
            files = []
            for upload, content_type in checked:
                proof = RectificationProof(
                    inspection=inspection, file_type=content_type, added_by=who.user
                )
                written.append(proof_dir() / str(proof.uuid))
                proof.file_name, proof.file_sha256 = store_proof(proof.uuid, upload)
                proof.save()
                files.append({"file": proof.file_name, "sha256": proof.file_sha256})
            audit_log(
                who,
                "compliance.inspection.rectified",
                inspection,
                {
                    "answer": inspection.answer,
                    "entitlements": [str(e.uuid) for e in entitlements],
                    "proofs": files,
                },
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return inspection


def inspection_follow_up(*, actor, inspection: Inspection) -> Inspection:
    who = as_actor(actor)
    _inspector(who, inspection)
    with transaction.atomic():
        inspection = locked(inspection)
        _step(inspection, "follow_up")
        inspection.save()
        audit_log(who, "compliance.inspection.closed", inspection, {})
    return inspection


def inspections_escalate_overdue(today: dt.date | None = None) -> int:
    """Overdue rectification orders, each escalated once to the administration above the one
    that inspected (audited); running it again escalates nothing new."""
    today = today or timezone.localdate()
    count = 0
    overdue = Inspection.objects.filter(
        status=InspectionStatus.ORDERED, deadline__lt=today, escalated_at__isnull=True
    )
    for inspection in overdue.select_related("administration"):
        with transaction.atomic():
            inspection = locked(inspection)
            if inspection.escalated_at is not None:
                continue
            inspection.escalated_at = timezone.now()
            inspection.save(update_fields=["escalated_at"])
            above = inspection.administration.supervisor or inspection.administration
            audit_log(
                Actor.system("ipex compliance escalate"),
                "compliance.inspection.escalated",
                inspection,
                {"to": above.code, "deadline": str(inspection.deadline)},
            )
            count += 1
    return count
