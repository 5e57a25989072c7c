"""Licences a body holds: one by one (with an optional proof, checked by content as evidence
files are) or from CSV, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ipex.cases.evidence import checked_upload
from ipex.compliance.models import AuditedBody, Entitlement, LicenceMetric, Product
from ipex.compliance.reading import Problems, csv_rows
from ipex.compliance.reconcile import reconcile_body
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import validate


def proof_dir() -> Path:
    return Path(settings.DATA_DIR) / "compliance-proofs"


def check_proof(upload) -> str:
    """Checked as evidence files are (size, type by content); the refusal on ``proof``."""
    try:
        return checked_upload(upload)
    except DomainError as exc:
        raise DomainError(exc.message, fields={"proof": [exc.message]}, code=exc.code) from exc


def store_proof(key, upload) -> tuple[str, str]:
    """The checked upload kept under ``key`` (the record's uuid): its name and SHA-256."""
    proof_dir().mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with (proof_dir() / str(key)).open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    return Path(upload.name).name[:255], digest.hexdigest()


def _store_proof(entitlement: Entitlement, upload, content_type: str) -> None:
    entitlement.proof_name, entitlement.proof_sha256 = store_proof(entitlement.uuid, upload)
    entitlement.proof_type = content_type


def entitlement_add(
    *,
    actor,
    body: AuditedBody,
    product: Product,
    metric: str,
    quantity: int,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    reference: str = "",
    oem: bool = False,
    proof=None,
) -> Entitlement:
    who = as_actor(actor)
    ensure_actor_member_of(who, body.organisation)
    entitlement = Entitlement(
        body=body,
        product=product,
        metric=metric,
        quantity=quantity,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=(reference or "").strip()[:120],
        oem=oem,
        created_by=who.user,
    )
    validate(entitlement)
    content_type = check_proof(proof) if proof is not None else ""
    with transaction.atomic():
        if proof is not None:
            _store_proof(entitlement, proof, content_type)
        entitlement.save()
        audit_log(
            who,
            "compliance.entitlement.added",
            entitlement,
            {
                "body": body.code,
                "product": str(product),
                "metric": metric,
                "quantity": quantity,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
                "proof_sha256": entitlement.proof_sha256 or None,
            },
        )
        reconcile_body(body)
    return entitlement


ENTITLEMENT_COLUMNS = ("publisher", "product", "metric", "quantity", "valid_from")


def _date(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            _("%(column)s “%(value)s” is not a date (YYYY-MM-DD).")
            % {"column": column, "value": value}
        ) from None


def _product(row) -> Product:
    found = Product.objects.filter(
        publisher__iexact=row["publisher"],
        name__iexact=row["product"],
        edition__iexact=row.get("edition", ""),
    ).first()
    if found is None:
        raise DomainError(
            _("no product “%(product)s” of %(publisher)s in the catalogue")
            % {
                "product": " ".join(filter(None, [row["product"], row.get("edition")])),
                "publisher": row["publisher"],
            }  # fmt: skip
        )
    return found


def entitlements_import(*, actor, body: AuditedBody, fileobj) -> int:
    """Entitlements from CSV (columns publisher, product, edition, metric, quantity,
    valid_from, valid_to, reference, oem): all or nothing, row-numbered errors; the count."""
    who = as_actor(actor)
    ensure_actor_member_of(who, body.organisation)
    problems = Problems()
    added = 0
    with transaction.atomic():
        for line, row in csv_rows(fileobj, ENTITLEMENT_COLUMNS):
            if problems.full():
                break
            try:
                metric = row["metric"].lower()
                if metric not in LicenceMetric.values:
                    raise DomainError(
                        _("unknown metric “%(metric)s” (device, user, concurrent or site)")
                        % {"metric": row["metric"]}
                    )
                try:
                    quantity = int(row["quantity"] or 0)
                except ValueError:
                    raise DomainError(
                        _("quantity “%(value)s” is not a whole number") % {"value": row["quantity"]}
                    ) from None
                values = dict(
                    product=_product(row),
                    metric=metric,
                    quantity=quantity,
                    valid_from=_date(row["valid_from"], "valid_from"),
                    valid_to=_date(row["valid_to"], "valid_to") if row.get("valid_to") else None,
                    reference=row.get("reference", ""),
                    oem=row.get("oem", "").lower() in ("1", "yes", "true", "y"),
                )
                with transaction.atomic():
                    entitlement_add(actor=who, body=body, **values)
                added += 1
            except DomainError as exc:
                details = [m for messages in exc.fields.values() for m in messages]
                problems.add(
                    _("Row %(row)s: %(problem)s")
                    % {"row": line, "problem": " ".join(details) if details else exc.message}
                )
        problems.check()
    return added
