"""Period-report writes: create, fill, submit, approve or return, revise."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_can_write, ensure_actor_member_of
from ipex.core.services import (
    shared_record_create,
    shared_record_transition,
    shared_record_write,
)
from ipex.directory.models import Organisation, Role
from ipex.directory.shareable import local_record
from ipex.seizures import rollups
from ipex.seizures.models import (
    Category,
    FigureSource,
    PeriodKind,
    PeriodReport,
    ReportLine,
    ReportSource,
    ReportStatus,
    SeizedItem,
)
from ipex.seizures.services.parsing import category_on, parse_quantity

JUMP_FACTOR = 10

# ---------------------------------------------------------------- period reports


def _period_errors(kind: str, year, number) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in PeriodKind.values:
        errors["period_kind"] = [_("Choose year, quarter or month.")]
        return errors
    today = timezone.localdate()
    if not isinstance(year, int) or not 1990 <= year <= today.year:
        errors["year"] = [_("Give a year from 1990 to %(year)s.") % {"year": today.year}]
    limits = {PeriodKind.YEAR: (0, 0), PeriodKind.QUARTER: (1, 4), PeriodKind.MONTH: (1, 12)}
    low, high = limits[kind]
    if not isinstance(number, int) or not low <= number <= high:
        errors["number"] = [
            _("Give a quarter from 1 to 4 or a month from 1 to 12.")
            if high
            else _("A yearly report has no quarter or month.")
        ]
    return errors


def report_create(
    *,
    actor,
    owner_org: Organisation,
    period_kind: str,
    year: int,
    number: int = 0,
    source: str = ReportSource.TYPED,
) -> PeriodReport:
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    errors = _period_errors(period_kind, year, number)
    refuse_if(errors, _("The report was not created; correct the errors."))
    live = (
        PeriodReport.objects.live()
        .filter(owner_org=owner_org, year=year)
        .exclude(status=ReportStatus.SUPERSEDED)
    )
    if live.exclude(period_kind=period_kind).exists():
        raise Conflict(
            _(
                "%(org)s already reports for %(year)s by another period; an organisation reports "
                "by one kind of period a year, so figures are not counted twice."
            )
            % {"org": owner_org.code, "year": year}
        )
    if live.filter(period_kind=period_kind, number=number).exists():
        raise Conflict(_("A report for this period exists already; open it, or revise it."))
    report = local_record(
        PeriodReport,
        owner_org,
        Distribution.ORG,
        period_kind=period_kind,
        year=year,
        number=number,
        source=source,
    )
    # The workflow field changes by transitions only.
    with shared_record_create(who, report, "seizures.report.created", exclude=["status"]) as write:
        write.note(period=report.period_label)
    return report


def _ensure_editable(report: PeriodReport) -> None:
    if report.is_locked:
        raise Conflict(
            _("This report is approved and locked; change it through a revision."),
            code="locked",
        )
    if report.status == ReportStatus.SUBMITTED:
        raise Conflict(
            _("This report is submitted; it can be edited again only if it is returned."),
            code="submitted",
        )


def clean_lines(raw: dict, day: dt.date) -> tuple[list[tuple[Category, int]], dict]:
    lines, errors = [], {}
    seen = set()
    for code, value in raw.items():
        field_errors: list[str] = []
        category = category_on(code, day, field_errors, label=str(code))
        quantity = parse_quantity(value, field_errors, label=str(code))
        if category is not None and category.code in seen:
            field_errors.append(_("%(code)s appears twice.") % {"code": code})
        if field_errors:
            errors[f"lines.{code}"] = field_errors
            continue
        seen.add(category.code)
        lines.append((category, quantity))
    return lines, errors


def report_set_lines(
    *,
    actor,
    report: PeriodReport,
    lines: dict,
    declared_total=None,
    comment: str | None = None,
    source: str | None = None,
) -> PeriodReport:
    """Replace the figures of a draft or returned report."""
    who = as_actor(actor)
    ensure_actor_can_write(who, report)
    start, _end = report.period_bounds
    clean, errors = clean_lines(lines, start)
    total = None
    if declared_total not in (None, ""):
        total_errors: list[str] = []
        total = parse_quantity(declared_total, total_errors, label=_("Total"))
        if total_errors:
            errors["declared_total"] = total_errors
    refuse_if(errors, _("The figures were not saved; correct the errors."))
    with shared_record_write(who, report, "seizures.report.figures_set") as write:
        _ensure_editable(report)
        report.lines.all().delete()
        ReportLine.objects.bulk_create(
            [ReportLine(report=report, category=c, quantity=q) for c, q in clean]
        )
        report.declared_total = total
        if comment is not None:
            report.comment = comment.strip()
        if source:
            report.source = source
        write.note(lines={c.code: q for c, q in clean}, declared_total=total)
    return report


def report_prefill(*, actor, report: PeriodReport) -> PeriodReport:
    """Fill the figures from the organisation's own seizure records of the period."""
    start, end = report.period_bounds
    totals: Counter[str] = Counter()
    items = SeizedItem.objects.filter(
        seizure__owner_org=report.owner_org,
        seizure__withdrawn_at__isnull=True,
        seizure__seized_on__range=(start, end),
    ).select_related("category__parent")
    for item in items:
        totals[item.category.top.code] += item.quantity
        if item.category.parent_id:
            totals[item.category.code] += item.quantity
    return report_set_lines(
        actor=actor, report=report, lines=dict(totals), source=ReportSource.RECORDS
    )


def report_problems(report: PeriodReport) -> dict[str, list[str]]:
    """The validation rules of a report, as messages per field (empty when it is valid)."""
    problems: dict[str, list[str]] = {}
    lines = list(report.lines.select_related("category__parent"))
    if not lines:
        problems["lines"] = [_("The report has no figures.")]
        return problems
    tops = {line.category.code: line.quantity for line in lines if not line.category.parent_id}
    children: Counter[str] = Counter()
    for line in lines:
        if line.category.parent_id:
            children[line.category.parent.code] += line.quantity
    for code, total in children.items():
        if code in tops and tops[code] != total:
            problems[f"lines.{code}"] = [
                _("%(code)s is %(total)s but its parts add up to %(sum)s.")
                % {"code": code, "total": tops[code], "sum": total}
            ]
    figures = rollups.contributions_from_lines((line.category, line.quantity) for line in lines)
    grand = sum(q for (_top, sub), q in figures.items() if sub == "")
    if report.declared_total is not None and report.declared_total != grand:
        problems["declared_total"] = [
            _("The total is %(total)s but the categories add up to %(sum)s.")
            % {"total": report.declared_total, "sum": grand}
        ]
    previous = _previous_approved(report)
    if previous is not None and not report.comment.strip():
        before = {
            top: q
            for (top, sub), q in rollups.contributions_from_lines(
                (line.category, line.quantity)
                for line in previous.lines.select_related("category__parent")
            ).items()
            if sub == ""
        }
        jumps = [
            code
            for (code, sub), q in figures.items()
            if sub == ""
            and before.get(code)
            and (q > JUMP_FACTOR * before[code] or q * JUMP_FACTOR < before[code])
        ]
        if jumps:
            problems["comment"] = [
                _(
                    "%(codes)s changed more than %(factor)s× against %(period)s; explain why in "
                    "the comment."
                )
                % {
                    "codes": ", ".join(sorted(jumps)),
                    "factor": JUMP_FACTOR,
                    "period": previous.period_label,
                }
            ]
    return problems


def _previous_approved(report: PeriodReport) -> PeriodReport | None:
    if report.period_kind == PeriodKind.YEAR:
        year, number = report.year - 1, 0
    elif report.number == 1:
        year = report.year - 1
        number = 4 if report.period_kind == PeriodKind.QUARTER else 12
    else:
        year, number = report.year, report.number - 1
    return (
        PeriodReport.objects.live()
        .filter(
            owner_org=report.owner_org,
            period_kind=report.period_kind,
            year=year,
            number=number,
            status=ReportStatus.APPROVED,
        )
        .first()
    )


def report_submit(*, actor, report: PeriodReport) -> PeriodReport:
    who = as_actor(actor)

    def ready(report: PeriodReport) -> None:
        _ensure_editable(report)
        problems = report_problems(report)
        if problems:
            raise DomainError(
                _("The report cannot be submitted yet; correct the errors."),
                fields=problems,
                code="invalid_report",
            )

    with shared_record_transition(
        who, report, "submit", "seizures.report.submitted", check=ready
    ) as write:
        report.submitted_by, report.submitted_at = who.user, timezone.now()
        report.return_reason = ""
        write.note(period=report.period_label)
    return report


APPROVER_ROLES = {Role.SUPERVISOR, Role.STATISTICIAN}


def _ensure_can_approve(user, report: PeriodReport) -> None:
    """The supervising organisation approves (for a top-level organisation, its own
    supervisors), and never the person who submitted."""
    if report.submitted_by_id and report.submitted_by_id == user.pk:
        raise Forbidden(
            _("You submitted this report; someone else must approve it."), code="own_submission"
        )
    owner = report.owner_org
    for m in user.active_memberships:
        if m.role not in APPROVER_ROLES:
            continue
        supervises = owner.path.startswith(m.organisation.path) and m.organisation.pk != owner.pk
        top_level_self = owner.depth == 1 and m.organisation.pk == owner.pk
        if supervises or top_level_self:
            return
    raise Forbidden(
        _(
            "Only a supervisor or statistician of the supervising organisation can "
            "approve or return this report."
        ),
        code="not_approver",
    )


def report_can_decide(user, report: PeriodReport) -> bool:
    """Whether the user may approve or return this report (for showing the buttons)."""
    if user is None:
        return False
    try:
        _ensure_can_approve(user, report)
    except Forbidden:
        return False
    return True


def _approver(who, report: PeriodReport) -> None:
    if not who.is_system:
        _ensure_can_approve(who.user, report)


def _submitted(action: str):
    messages = {
        "approve": _("Only a submitted report can be approved."),
        "return": _("Only a submitted report can be returned."),
    }
    return lambda report: Conflict(messages[action], code="not_submitted")


def _report_contribution(report: PeriodReport) -> dict:
    quarter = month = 0
    if report.period_kind == PeriodKind.QUARTER:
        quarter = report.number
    elif report.period_kind == PeriodKind.MONTH:
        month, quarter = report.number, (report.number - 1) // 3 + 1
    return {
        "source": FigureSource.REPORTS,
        "year": report.year,
        "quarter": quarter,
        "month": month,
        "jurisdiction": report.owner_org.jurisdiction,
        "org_kind": report.owner_org.kind,
        "contributions": rollups.contributions_from_lines(
            (line.category, line.quantity)
            for line in report.lines.select_related("category__parent")
        ),
    }


def report_approve(*, actor, report: PeriodReport) -> PeriodReport:
    """Approve and lock; the figures enter the roll-ups (replacing a revised report's)."""
    who = as_actor(actor)
    with shared_record_transition(
        who,
        report,
        "approve",
        "seizures.report.approved",
        permission=_approver,
        refused=_submitted("approve"),
    ) as write:
        if report.revises_id:
            old = PeriodReport.objects.get(pk=report.revises_id)
            with shared_record_transition(
                who,
                old,
                "supersede",
                "seizures.report.superseded",
                # The approver of the revision replaces the report it revises.
                permission=lambda who, old: None,
            ) as replaced:
                rollups.apply(**_report_contribution(old), sign=-1)
                replaced.note(by=str(report.uuid))
        rollups.apply(**_report_contribution(report))
        report.approved_by, report.approved_at = who.user, timezone.now()
        write.note(period=report.period_label)
    return report


def report_return(*, actor, report: PeriodReport, reason: str) -> PeriodReport:
    who = as_actor(actor)
    if not (reason or "").strip():
        raise DomainError(_("Say why the report is returned."), fields={"reason": [_("Required.")]})
    with shared_record_transition(
        who,
        report,
        "send_back",
        "seizures.report.returned",
        permission=_approver,
        refused=_submitted("return"),
    ) as write:
        report.return_reason = reason.strip()
        write.note(reason=reason.strip())
    return report


# What a revision takes over from the report it revises (its lines are copied too).
REVISION_KEEPS = (
    "origin_node",
    "owner_org",
    "distribution",
    "sharing_group",
    "period_kind",
    "year",
    "number",
    "source",
    "declared_total",
)


def report_revise(*, actor, report: PeriodReport, reason: str) -> PeriodReport:
    """Open a revision of an approved report: a new draft with the same figures that
    replaces it once approved. The approved report stays in force until then."""
    who = as_actor(actor)
    ensure_actor_can_write(who, report)
    report.refresh_from_db()
    if report.status != ReportStatus.APPROVED:
        raise Conflict(_("Only an approved report is revised."), code="not_approved")
    if not (reason or "").strip():
        raise DomainError(_("Say why the report is revised."), fields={"reason": [_("Required.")]})
    if PeriodReport.objects.filter(revises=report).exists():
        raise Conflict(_("A revision of this report is already open."))
    revision = PeriodReport(
        **{field: getattr(report, field) for field in REVISION_KEEPS},
        revision=report.revision + 1,
        revises=report,
        comment=reason.strip(),
    )
    with shared_record_create(
        who, revision, "seizures.report.revision_opened", exclude=["status"]
    ) as write:
        ReportLine.objects.bulk_create(
            [
                ReportLine(report=revision, category_id=line.category_id, quantity=line.quantity)
                for line in report.lines.all()
            ]
        )
        write.note(revises=str(report.uuid), reason=reason.strip())
    return revision
