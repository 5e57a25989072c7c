"""Links of records to a joint operation and the result summaries they move: each
participant links its own records; what a link adds to its organisation's figures is kept with
the link, and the organisation's summary is changed by that much at every link, unlink and
change of a linked record (never a scan of the links), then published to the other
participating nodes."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.assistance.models import Alert
from ipex.cases.models import ActionKind, Case, CaseKind, SubjectKind
from ipex.cooperation.models import JointOperation, LinkKind, OperationLink, ResultSummary
from ipex.cooperation.services import for_parties, operation_participants
from ipex.core.audit import Actor, as_actor
from ipex.core.errors import Conflict, DomainError
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import shared_record_create, shared_record_write
from ipex.seizures.models import Method, Seizure

SUMMARIES = Actor.system("joint operation results")
MODELS = {LinkKind.SEIZURE: Seizure, LinkKind.CASE: Case, LinkKind.ALERT: Alert}
KINDS = {model: kind for kind, model in MODELS.items()}
# The standard result set, in the order pages show it; items seized are "items:<category>".
FIGURES = (
    "seizures",
    "detentions",
    "cases_opened",
    "production_lines",
    "enterprises",
    "arrests",
    "websites",
    "alerts",
)


def contribution(record) -> dict[str, int]:
    """What one linked record adds to its organisation's figures (nothing once withdrawn)."""
    if record.withdrawn_at is not None:
        return {}
    if isinstance(record, Seizure):
        figures = Counter({"seizures": 1})
        if record.method == Method.CUSTOMS_DETENTION:
            figures["detentions"] += 1
        for item in record.items.select_related("category"):
            figures[f"items:{item.category.code}"] += item.quantity
        return dict(figures)
    if isinstance(record, Case):
        figures = Counter({"cases_opened": 1})
        if record.kind == CaseKind.CUSTOMS_DETENTION:
            figures["detentions"] += 1
        named = {
            SubjectKind.PRODUCTION_LINE: "production_lines",
            SubjectKind.ENTERPRISE: "enterprises",
            SubjectKind.WEBSITE: "websites",
        }
        for kind in record.subject_links.values_list("subject__kind", flat=True):
            if kind in named:
                figures[named[kind]] += 1
        figures["arrests"] += record.actions.filter(kind=ActionKind.ARREST).count()
        return {k: v for k, v in figures.items() if v}
    return {"alerts": 1}


def add(figures: dict, delta: dict, sign: int = 1) -> dict:
    out = Counter(figures)
    for key, value in delta.items():
        out[key] += sign * value
    return {k: v for k, v in sorted(out.items()) if v}


def summary_publish(who, operation, org, delta: dict, **note) -> ResultSummary | None:
    """The one write of a summary: the organisation's figures change by ``delta`` (audited,
    so published to every participant). Called by linking, unlinking and the audit hook."""
    summary = ResultSummary.objects.filter(operation=operation, owner_org=org).first()
    now = timezone.now()
    if summary is None:
        summary = for_parties(
            ResultSummary,
            org,
            f"{_('Results')}: {operation.title[:150]}",
            list(operation.participants.all()),
            operation=operation,
            figures=add({}, delta),
            computed_at=now,
        )
        with shared_record_create(who, summary, "cooperation.summary.published") as write:
            write.note(**note)
        return summary
    with shared_record_write(who, summary, "cooperation.summary.published") as write:
        write.set(figures=add(summary.figures, delta), computed_at=now, withdrawn_at=None)
        write.note(**note)
    return summary


def _record(kind: str, record_uuid):
    return MODELS[kind].objects.filter(uuid=record_uuid).first()


def operation_link(*, actor, operation: JointOperation, kind: str, record) -> OperationLink:
    """Link one of the organisation's own records to the operation: its figures count for
    its owner (a partner's shared seizure is never counted again by whoever holds a copy)."""
    who = as_actor(actor)
    if kind not in MODELS:
        raise DomainError(_("Unknown kind of record."), fields={"kind": [_("Unknown.")]})
    if not isinstance(record, MODELS[kind]):  # missing, or not one the person may see
        raise DomainError(_("Unknown record."), fields={"record": [_("Unknown.")]})
    org = record.owner_org
    if record.is_replica:
        raise DomainError(
            _("Link records of your own organisation; a partner's record counts for its owner."),
            fields={"record": [_("Not your organisation's record.")]},
        )
    ensure_actor_member_of(who, org, allow_supervisors=False)
    if not operation.participants.filter(pk=org.pk).exists():
        raise DomainError(
            _("Your organisation does not take part in this operation."),
            fields={"operation": [_("Not a participant.")]},
        )
    if OperationLink.objects.filter(operation=operation, kind=kind, record_uuid=record.uuid):
        raise Conflict(_("This record is already linked to the operation."), code="linked")
    with transaction.atomic():
        figures = contribution(record)
        link = OperationLink.objects.create(
            operation=operation,
            organisation=org,
            kind=kind,
            record_uuid=record.uuid,
            figures=figures,
        )
        summary_publish(who, operation, org, figures, linked=f"{kind}:{record.uuid}")
    return link


def operation_unlink(*, actor, operation: JointOperation, kind: str, record) -> None:
    who = as_actor(actor)
    link = OperationLink.objects.filter(
        operation=operation, kind=kind, record_uuid=getattr(record, "uuid", None)
    ).first()
    if link is None:
        raise DomainError(_("This record is not linked to the operation."), code="not_linked")
    ensure_actor_member_of(who, link.organisation, allow_supervisors=False)
    with transaction.atomic():
        link.delete()
        summary_publish(
            who, operation, link.organisation, add({}, link.figures, -1), unlinked=str(record.uuid)
        )


def operation_leave(*, actor, operation: JointOperation, organisation) -> None:
    """The organisation leaves: its links go and its summary is withdrawn, which sends every
    other participant a tombstone that removes its figures."""
    who = as_actor(actor)
    ensure_actor_member_of(who, organisation, allow_supervisors=False)
    if not organisation.origin_node.is_local:
        raise DomainError(_("Only a participant of this node can leave from here."))
    with transaction.atomic():
        OperationLink.objects.filter(operation=operation, organisation=organisation).delete()
        summary = ResultSummary.objects.filter(operation=operation, owner_org=organisation).first()
        if summary is not None and summary.withdrawn_at is None:
            with shared_record_write(who, summary, "cooperation.summary.withdrawn") as write:
                write.set(withdrawn_at=timezone.now(), figures={})
        if operation.origin_node.is_local and operation.owner_org_id != organisation.pk:
            rest = [p for p in operation.participants.all() if p.pk != organisation.pk]
            operation_participants(actor=SUMMARIES, operation=operation, participants=rest)


def on_audited(entry, obj) -> None:
    """An audit hook: a linked record of this node changed, so its organisation's figures
    change by the difference (in the same transaction as the change)."""
    kind = KINDS.get(type(obj))
    if kind is None or obj.is_replica:
        return
    links = list(
        OperationLink.objects.filter(kind=kind, record_uuid=obj.uuid).select_related(
            "operation", "organisation"
        )
    )
    if not links:
        return
    figures = contribution(obj)  # the record's figures, once for all its links
    for link in links:
        delta = add(figures, link.figures, -1)
        if delta:
            OperationLink.objects.filter(pk=link.pk).update(figures=figures)
            summary_publish(
                SUMMARIES, link.operation, link.organisation, delta, changed=str(obj.uuid)
            )
