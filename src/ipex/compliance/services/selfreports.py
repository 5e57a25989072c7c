"""Yearly self-reports: the body's asset manager submits its own figures, checked against the
body's kept reconciliation; the supervising administration approves (locks) or returns them."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from ipex.compliance.models import (
    AuditedBody,
    BodyCompliance,
    ProductCompliance,
    ProductFamily,
    SelfReport,
    SelfReportStatus,
)
from ipex.compliance.services.bodies import ensure_administers, ensure_year
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import locked, workflow_step
from ipex.directory.models import Role

TOLERANCE = Decimal("0.05")  # a difference over 5 % needs an explanation
FIGURES = ("devices", "licensed_os", "licensed_office", "licensed_antivirus")
FAMILIES = {
    "licensed_os": ProductFamily.OS,
    "licensed_office": ProductFamily.OFFICE,
    "licensed_antivirus": ProductFamily.ANTIVIRUS,
}


def reconciled_figures(body: AuditedBody, year: int) -> dict[str, int]:
    """What the body's kept reconciliation says for the year: devices inventoried and, per
    family, the installs covered by a licence (installed less the shortfall)."""
    kept = BodyCompliance.objects.filter(body=body, year=year).first()
    figures = {"devices": kept.devices if kept else 0}
    lines = ProductCompliance.objects.filter(body=body, year=year)
    for field, family in FAMILIES.items():
        covered = lines.filter(product__family=family).aggregate(
            n=Sum(F("installed") - F("shortfall"))
        )["n"]
        figures[field] = covered or 0
    return figures


def differences(declared: dict, reconciled: dict) -> dict[str, list[str]]:
    """The figures that differ from the reconciliation by more than 5 %."""
    problems = {}
    for field in FIGURES:
        mine, kept = declared[field], reconciled[field]
        if abs(mine - kept) > TOLERANCE * kept or (kept == 0 and mine != 0):
            problems[field] = [
                _("You declare %(mine)s; the reconciliation gives %(kept)s (more than 5%% apart).")
                % {"mine": mine, "kept": kept}
            ]
    return problems


def _figures(raw: dict) -> dict:
    errors, clean = {}, {}
    for field in FIGURES:
        value = raw.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[field] = [_("Give a whole number, zero or more.")]
        else:
            clean[field] = value
    try:
        spent = Decimal(str(raw.get("spent")))
    except ArithmeticError:
        spent = None
    if spent is None or not spent.is_finite() or spent < 0 or spent >= Decimal("1e12"):
        errors["spent"] = [_("Give an amount, zero or more.")]
    else:
        clean["spent"] = spent.quantize(Decimal("0.01"))
    refuse_if(errors, _("Correct the figures of the self-report."))
    return clean


def _ensure_asset_manager(who, body: AuditedBody) -> None:
    ensure_actor_member_of(who, body.organisation)
    if who.is_system:
        return
    if not any(
        m.role == Role.ASSET_MANAGER and m.organisation.pk == body.organisation.pk
        for m in who.user.active_memberships
    ):
        raise Forbidden(
            _("Only the body's software asset manager can submit its self-report."),
            code="not_asset_manager",
        )


def selfreport_submit(
    *, actor, body: AuditedBody, year: int, explanation: str = "", **figures
) -> SelfReport:
    """Submit the year's self-report (or send a returned one again with new figures). A year
    already approved is refused; a figure more than 5 % from the reconciliation needs an
    explanation."""
    who = as_actor(actor)
    _ensure_asset_manager(who, body)
    ensure_year(year)
    clean = _figures(figures)
    explanation = (explanation or "").strip()
    apart = differences(clean, reconciled_figures(body, year))
    if apart and not explanation:
        apart["explanation"] = [_("Explain the differences with the reconciliation.")]
        raise DomainError(
            _("Your figures differ from the reconciliation by more than 5%; explain why."),
            fields=apart,
            code="unexplained_difference",
        )
    with transaction.atomic():
        report = SelfReport.objects.select_for_update().filter(body=body, year=year).first()
        if report is None:
            report = SelfReport(body=body, year=year)
            action = "compliance.self_report.submitted"
        elif report.status == SelfReportStatus.APPROVED:
            raise Conflict(
                _("The self-report for %(year)s is approved already.") % {"year": year},
                code="already_approved",
            )
        elif not can_proceed(report.resubmit):
            raise Conflict(
                _("The self-report for %(year)s is waiting for a decision.") % {"year": year},
                code="already_submitted",
            )
        else:
            report.resubmit()
            action = "compliance.self_report.resubmitted"
        for field, value in clean.items():
            setattr(report, field, value)
        report.explanation, report.return_reason = explanation, ""
        report.submitted_by = who.user
        report.submitted_at = timezone.now()
        report.save()
        audit_log(who, action, report, {**{k: str(v) for k, v in clean.items()}, "year": year})
    return report


def _decide(actor, report: SelfReport, method: str, action: str, **changes) -> SelfReport:
    who = as_actor(actor)
    ensure_administers(who, report.body.organisation.supervisor or report.body.organisation)
    if not who.is_system and report.submitted_by_id == who.user.pk:
        raise Forbidden(
            _("You submitted this report; someone else must decide on it."), code="own_submission"
        )
    with transaction.atomic():
        workflow_step(
            locked(report),
            method,
            lambda r: Conflict(
                _("Only a submitted self-report can be approved or returned."),
                code="not_submitted",
            ),
        )
        for field, value in changes.items():
            setattr(report, field, value)
        report.decided_by = who.user
        report.decided_at = timezone.now()
        report.save()
        audit_log(who, action, report, changes)
    return report


def selfreport_approve(*, actor, report: SelfReport) -> SelfReport:
    return _decide(actor, report, "approve", "compliance.self_report.approved")


def selfreport_return(*, actor, report: SelfReport, reason: str) -> SelfReport:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the report is returned."), fields={"reason": [_("Required.")]})
    return _decide(
        actor, report, "send_back", "compliance.self_report.returned", return_reason=reason
    )
