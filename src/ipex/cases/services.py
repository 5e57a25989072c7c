"""Case writes: one function per use case, transactional, audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.campaigns.models import Campaign
from ipex.campaigns.services import ensure_can_link
from ipex.cases import search
from ipex.cases.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    CaseSubject,
    CaseTask,
    LegalProvision,
    PenaltyType,
    Subject,
    SubjectKind,
    SubjectRole,
)
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import (
    ensure_actor_can_write,
    ensure_actor_member_of,
)
from ipex.core.services import (
    creating_member,
    shared_record_create,
    shared_record_transition,
    shared_record_write,
)
from ipex.core.visibility import may_name
from ipex.directory.models import Node, Organisation
from ipex.seizures.services.parsing import parse_date

# ---------------------------------------------------------------- cases

CASE_ACTIONS = {
    "investigate": "investigate",
    "take_action": "take_action",
    "refer": "refer",
    "close": "close",
    "reopen": "reopen",
}


def case_open(
    *,
    actor,
    owner_org: Organisation,
    kind: str,
    title: str,
    summary: str = "",
    campaign: Campaign | None = None,
    distribution: str = Distribution.ORG,
    sharing_group=None,
    opened_on: dt.date | None = None,
) -> Case:
    """Open a case with the next reference of its organisation and year (CN-GD-CB-2013-0042)."""
    who = creating_member(actor, owner_org, distribution=distribution, sharing_group=sharing_group)
    errors: dict[str, list[str]] = {}
    if kind not in CaseKind.values:
        errors["kind"] = [_("Unknown kind of case.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the case a title.")]
    refuse_if(errors, _("The case was not opened; correct the errors."))
    if campaign is not None:
        ensure_can_link(who, campaign, owner_org, None)
    year = (opened_on or timezone.localdate()).year
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=owner_org.pk).values("pk").get()
        number = (
            Case.objects.filter(owner_org=owner_org, year=year).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        case = Case(
            origin_node=Node.local(),
            owner_org=owner_org,
            distribution=distribution,
            sharing_group=sharing_group,
            reference=f"{owner_org.code}-{year}-{number:04d}",
            year=year,
            number=number,
            kind=kind,
            title=title.strip(),
            summary=summary.strip(),
            campaign=campaign,
        )
        taken = Conflict(
            _("The reference %(ref)s is taken already; nothing was written.")
            % {"ref": case.reference},
            code="duplicate_reference",
        )
        # Only a reference already held by an older record (an import, say) can clash: the
        # numbers themselves are allotted under a lock.
        if Case.objects.filter(owner_org=owner_org, reference=case.reference).exists():
            raise taken
        try:
            with shared_record_create(who, case, "cases.case.opened", exclude=["status"]) as write:
                if not who.is_system:
                    case.officers.add(who.user)
                search.index_case(case)
                write.note(kind=kind, reference=case.reference)
        except IntegrityError as exc:
            raise taken from exc
    return case


def case_transition(*, actor, case: Case, action: str, outcome: str = "", reason: str = "") -> Case:
    """Move a case along its workflow: closing needs an outcome, reopening a reason; a closed
    case takes no other action."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    if action not in CASE_ACTIONS:
        raise DomainError(_("Unknown action."), code="unknown_action")
    if action == "close" and outcome not in CaseOutcome.values:
        raise DomainError(
            _("A case is closed with an outcome."),
            fields={"outcome": [_("Choose the outcome.")]},
            code="no_outcome",
        )
    if action == "reopen" and not (reason or "").strip():
        raise DomainError(_("Say why the case is reopened."), fields={"reason": [_("Required.")]})
    with shared_record_transition(
        who, case, CASE_ACTIONS[action], f"cases.case.{action}", refused=_illegal_step
    ) as write:
        case.outcome = (
            outcome if action == "close" else ("" if action == "reopen" else case.outcome)
        )
        write.note(outcome=case.outcome)
        if reason.strip():
            write.note(reason=reason.strip())
    return case


def _illegal_step(case: Case) -> Conflict:
    return Conflict(
        _("A case that is '%(status)s' cannot do that.") % {"status": case.get_status_display()},
        code="illegal_transition",
    )


def case_link_seizure(*, actor, case: Case, seizure) -> Case:
    """Link a seizure the user can see to a case of their organisation."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    if not may_name(who, seizure):
        raise DomainError(
            _("Unknown seizure."), fields={"seizure": [_("Unknown.")]}, code="not_found"
        )
    with shared_record_write(who, case, "cases.case.seizure_linked") as write:
        _ensure_not_closed(case, _("A closed case takes no new links; reopen it first."))
        case.seizures.add(seizure)
        write.note(seizure=str(seizure.uuid))
    return case


def _ensure_not_closed(case: Case, message: str) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(message, code="illegal_transition")


def case_add_action(
    *,
    actor,
    case: Case,
    kind: str,
    taken_on,
    organisation: Organisation | None = None,
    notes: str = "",
    provision: LegalProvision | None = None,
    amount=None,
    months=None,
    out_of_range_reason: str = "",
) -> CaseAction:
    """Record an action, with a penalty under a legal provision where there is one. A penalty
    outside the provision's range is refused unless a reason is given (and audited)."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    _ensure_not_closed(case, _("A closed case takes no new actions; reopen it first."))
    errors: dict[str, list[str]] = {}
    if kind not in ActionKind.values:
        errors["kind"] = [_("Unknown action.")]
    date_errors: list[str] = []
    day = parse_date(taken_on, date_errors, label=_("Date"))
    if date_errors:
        errors["taken_on"] = date_errors
    value, outside = None, False
    if provision is not None:
        raw = months if provision.penalty_type == PenaltyType.IMPRISONMENT else amount
        try:
            value = Decimal(str(raw)) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            errors["penalty"] = [_("Give the penalty (months, or an amount) as a number.")]
        else:
            outside = (provision.minimum is not None and value < provision.minimum) or (
                provision.maximum is not None and value > provision.maximum
            )
            if outside and not out_of_range_reason.strip():
                errors["penalty"] = [
                    _(
                        "%(value)s is outside the range of %(code)s (%(low)s to %(high)s); "
                        "give a reason to record it anyway."
                    )
                    % {
                        "value": value.normalize(),
                        "code": provision.code,
                        "low": provision.minimum.normalize(),
                        "high": provision.maximum.normalize(),
                    }
                ]
    refuse_if(errors, _("The action was not recorded; correct the errors."), code="invalid_action")
    in_months = provision is not None and provision.penalty_type == PenaltyType.IMPRISONMENT
    with shared_record_write(who, case, "cases.case.action_recorded") as write:
        _ensure_not_closed(case, _("A closed case takes no new actions; reopen it first."))
        row = CaseAction.objects.create(
            case=case,
            kind=kind,
            taken_on=day,
            organisation=organisation or case.owner_org,
            notes=notes.strip(),
            provision=provision,
            penalty_amount=None if in_months else value,
            penalty_months=int(value) if in_months else None,
            out_of_range_reason=out_of_range_reason.strip() if outside else "",
        )
        search.index_action(row)
        write.note(
            action=kind,
            provision=provision.code if provision else None,
            penalty=str(value) if value is not None else None,
            out_of_range=outside,
            **({"reason": out_of_range_reason.strip()} if outside else {}),
        )
    return row


# ---------------------------------------------------------------- subjects

SID_PATTERN = re.compile(r"^IFPI\s?(L[0-9A-Z]{3,4}|[0-9A-Z]{4,5})$")
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_sid(raw: str) -> str:
    """An IFPI source identification code: mastering 'IFPI L123' or mould 'IFPI 94A1'."""
    text = " ".join((raw or "").upper().split())
    if not SID_PATTERN.match(text):
        raise DomainError(
            _("'%(value)s' is not a SID code (mastering 'IFPI L123', mould 'IFPI 94A1').")
            % {"value": raw},
            fields={"sid_code": [_("Not a SID code.")]},
        )
    return text.replace("IFPI", "IFPI ").replace("  ", " ")


def normalise_domain(raw: str) -> str:
    """'https://WWW.Example.COM/path' → 'example.com'; internationalised names in IDNA form."""
    text = (raw or "").strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/")[0].split("?")[0]
    text = text.split("@")[-1].split(":")[0].rstrip(".")
    if text.startswith("www."):
        text = text[4:]
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        text = ""
    labels = text.split(".")
    if len(labels) < 2 or not all(DOMAIN_LABEL.match(label) for label in labels):
        raise DomainError(
            _("'%(value)s' is not a domain name.") % {"value": raw},
            fields={"domain": [_("Not a domain name.")]},
        )
    return text


def subject_link(
    *,
    actor,
    case: Case,
    kind: str,
    name: str,
    role: str,
    registration_number: str = "",
    has_business_licence: bool = False,
    sid_code: str = "",
    domain: str = "",
    location: str = "",
) -> Subject:
    """Link a subject to a case, reusing the subject already known by its registration
    number, SID code or domain, so the same subject in several cases is one subject."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    errors: dict[str, list[str]] = {}
    if kind not in SubjectKind.values:
        errors["kind"] = [_("Unknown kind of subject.")]
    if role not in SubjectRole.values:
        errors["role"] = [_("Unknown role.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the subject a name.")]
    refuse_if(errors, _("The subject was not linked; correct the errors."))
    registration_number = (registration_number or "").strip().upper()
    sid = normalise_sid(sid_code) if sid_code else ""
    host = normalise_domain(domain) if domain else ""
    match = Q(pk__in=[])
    if registration_number:
        match |= Q(registration_number=registration_number)
    if sid:
        match |= Q(sid_code=sid)
    if host:
        match |= Q(domain=host)
    with shared_record_write(who, case, "cases.case.subject_linked") as write:
        subject = Subject.objects.filter(match, kind=kind).order_by("id").first()
        if subject is None:
            subject = Subject.objects.create(
                owner_org=case.owner_org,
                kind=kind,
                name=name.strip()[:200],
                registration_number=registration_number,
                has_business_licence=bool(has_business_licence),
                sid_code=sid,
                domain=host,
                location=(location or "").strip()[:200],
                is_personal_data=kind == SubjectKind.PERSON,
            )
            search.index_subject(subject)
        try:
            with transaction.atomic():
                CaseSubject.objects.create(case=case, subject=subject, role=role)
        except IntegrityError as exc:
            raise Conflict(_("This subject is linked to the case in that role already.")) from exc
        write.note(
            subject=str(subject.uuid),
            kind=kind,
            role=role,
            # Personal data stays out of the log: a person is named by its uuid only.
            **({} if subject.is_personal_data else {"name": subject.name}),
        )
    return subject


def subject_merge(*, actor, keep: Subject, duplicate: Subject) -> Subject:
    """Fold a duplicate into the subject to keep: its case links move, it is deleted."""
    who = as_actor(actor)
    ensure_actor_member_of(who, keep.owner_org)
    ensure_actor_member_of(who, duplicate.owner_org)
    if keep.pk == duplicate.pk or keep.kind != duplicate.kind:
        raise DomainError(_("Only two different subjects of the same kind can be merged."))
    with transaction.atomic():
        for link in CaseSubject.objects.filter(subject=duplicate):
            if not CaseSubject.objects.filter(
                case=link.case, subject=keep, role=link.role
            ).exists():
                CaseSubject.objects.create(case=link.case, subject=keep, role=link.role)
        for field in ("registration_number", "sid_code", "domain", "location"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.save()
        search.index_subject(keep)
        audit_log(who, "cases.subject.merged", keep, {"merged": str(duplicate.uuid)})
        duplicate.delete()
    return keep


# ---------------------------------------------------------------- officers and tasks


def _ensure_officer_candidate(case: Case, user, field: str) -> None:
    """Officers and assignees are active members of the case's organisation."""
    if (
        user is None
        or not user.is_active
        or not user.memberships.filter(
            organisation=case.owner_org, organisation__is_active=True
        ).exists()
    ):
        raise DomainError(
            _("%(user)s is not a member of %(org)s.")
            % {"user": getattr(user, "email", "?"), "org": case.owner_org.name},
            fields={field: [_("Choose a member of the case's organisation.")]},
        )


def case_set_officers(*, actor, case: Case, add=(), remove=()) -> Case:
    """Add and remove officers of a case; a case always keeps at least one officer."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    for user in add:
        _ensure_officer_candidate(case, user, "add")
    with shared_record_write(who, case, "cases.case.officers_changed") as write:
        current = set(case.officers.values_list("pk", flat=True))
        after = (current | {u.pk for u in add}) - {u.pk for u in remove}
        if not after:
            raise DomainError(
                _("A case keeps at least one officer."),
                fields={"remove": [_("A case keeps at least one officer.")]},
            )
        if after == current:
            write.skip()
        else:
            case.officers.add(*add)
            case.officers.remove(*remove)
            write.note(
                added=sorted(str(u.uuid) for u in add if u.pk not in current),
                removed=sorted(str(u.uuid) for u in remove if u.pk in current),
            )
    return case


def task_add(*, actor, case: Case, title: str, due_on, assignee) -> CaseTask:
    """A task with a due date for a member of the case's organisation."""
    who = as_actor(actor)
    ensure_actor_can_write(who, case)
    _ensure_not_closed(case, _("A closed case takes no new tasks; reopen it first."))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Say what is to be done.")]
    date_errors: list[str] = []
    day = parse_date(due_on, date_errors, label=_("Due"), future=True)
    if date_errors:
        errors["due_on"] = date_errors
    try:
        _ensure_officer_candidate(case, assignee, "assignee")
    except DomainError as exc:
        errors.update(exc.fields)
    refuse_if(errors, _("The task was not added; correct the errors."))
    with shared_record_write(who, case, "cases.case.task_added") as write:
        _ensure_not_closed(case, _("A closed case takes no new tasks; reopen it first."))
        task = CaseTask.objects.create(
            case=case, title=title.strip()[:200], due_on=day, assignee=assignee, created_by=who.user
        )
        write.note(task=task.pk, title=task.title, due=day.isoformat(), assignee=str(assignee.uuid))
    return task


def task_complete(*, actor, task: CaseTask) -> CaseTask:
    """The assignee or an officer of the case marks a task done; done stays done."""
    who = as_actor(actor)
    with shared_record_write(who, task.case, "cases.case.task_done") as write:
        locked = CaseTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise Conflict(_("That task is done already."), code="already_done")
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
        write.note(task=task.pk, title=task.title)
    return locked


# ---------------------------------------------------------------- legal provisions


def provision_create(
    *,
    actor,
    code: str,
    name_en: str,
    penalty_type: str,
    minimum=None,
    maximum=None,
    currency: str = "",
    name_zh_hans: str = "",
    name_ru: str = "",
) -> LegalProvision:
    """A node administrator adds a legal provision with its range of penalty."""
    who = as_actor(actor)
    if not who.is_system and not who.user.is_node_admin:
        raise Forbidden(_("Only a node administrator manages legal provisions."))
    errors: dict[str, list[str]] = {}
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{1,39}", code):
        errors["code"] = [_("Use capital letters, digits and hyphens, e.g. CN-CL-217.")]
    elif LegalProvision.objects.filter(code=code).exists():
        errors["code"] = [_("A provision with this code exists already.")]
    if not (name_en or "").strip():
        errors["name_en"] = [_("Give the provision a name.")]
    if penalty_type not in PenaltyType.values:
        errors["penalty_type"] = [_("Unknown penalty.")]
    bounds = {}
    for field, raw in (("minimum", minimum), ("maximum", maximum)):
        try:
            value = Decimal(str(raw)) if raw not in (None, "") else None
        except InvalidOperation:
            value = Decimal("NaN")
        if value is not None and (not value.is_finite() or value < 0):
            errors[field] = [_("Give a number of zero or more.")]
        bounds[field] = value
    low, high = bounds["minimum"], bounds["maximum"]
    if low is not None and high is not None and "minimum" not in errors and low > high:
        errors["maximum"] = [_("The maximum is below the minimum.")]
    currency = (currency or "").strip().upper()
    if penalty_type == PenaltyType.FINE and not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = [_("A fine needs its currency (ISO 4217, e.g. CNY).")]
    refuse_if(errors, _("The provision was not added; correct the errors."))
    with transaction.atomic():
        provision = LegalProvision.objects.create(
            code=code,
            name_en=name_en.strip(),
            name_zh_hans=(name_zh_hans or "").strip(),
            name_ru=(name_ru or "").strip(),
            penalty_type=penalty_type,
            minimum=low,
            maximum=high,
            currency=currency if penalty_type == PenaltyType.FINE else "",
        )
        audit_log(
            who,
            "cases.provision.created",
            provision,
            {"code": code, "penalty_type": penalty_type, "range": [str(low), str(high)]},
        )
    return provision
