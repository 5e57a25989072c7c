"""A joint operation's results: each participant links its own records; what a link adds to
its organisation's figures is kept with the link, and the organisation's summary is changed by
that much at every link, unlink and change of a linked record (never a scan of the links),
then published to the other participating nodes. The combined results add up the latest
summary of each participant."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.assistance.models import Alert
from ipex.cases.models import ActionKind, Case, CaseKind, SubjectKind
from ipex.cooperation.models import JointOperation, LinkKind, OperationLink, ResultSummary
from ipex.cooperation.services import operation_participants, parties_group
from ipex.core.audit import Actor, as_actor
from ipex.core.errors import Conflict, DomainError
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.registry import answers
from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory.models import Node
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


def _publish(who, operation, org, delta: dict, **note) -> ResultSummary | None:
    """Change the organisation's summary by ``delta`` (audited, so published)."""
    summary = ResultSummary.objects.filter(operation=operation, owner_org=org).first()
    now = timezone.now()
    if summary is None:
        group = parties_group(
            org, f"{_('Results')}: {operation.title[:150]}", list(operation.participants.all())
        )
        summary = ResultSummary(
            origin_node=Node.local(),
            owner_org=org,
            distribution=Distribution.GROUP,
            sharing_group=group,
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
    if kind not in MODELS or not isinstance(record, MODELS[kind]):
        raise DomainError(_("Unknown kind of record."), fields={"kind": [_("Unknown.")]})
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
        _publish(who, operation, org, figures, linked=f"{kind}:{record.uuid}")
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
        _publish(
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
    for link in OperationLink.objects.filter(kind=kind, record_uuid=obj.uuid).select_related(
        "operation", "organisation"
    ):
        figures = contribution(obj)
        delta = add(figures, link.figures, -1)
        if delta:
            OperationLink.objects.filter(pk=link.pk).update(figures=figures)
            _publish(SUMMARIES, link.operation, link.organisation, delta, changed=str(obj.uuid))


# ---------------------------------------------------------------- reading


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "IPEX_JOINT_STALE_MINUTES", 60))


def heard_at(summary: ResultSummary):
    """When this node last heard from the summary's node: now for its own, else the last
    successful pull from that partner (or when the summary arrived)."""
    if not summary.is_replica:
        return timezone.now()
    last = answers.get("partner_last_heard")
    heard = last(summary.origin_node) if last else None
    return heard or summary.received_at or summary.computed_at


def combined(operation: JointOperation) -> dict:
    """The operation's figures: per organisation (its latest summary, how fresh), per
    country and in all; only participants' live summaries count."""
    now = timezone.now()
    participants = {p.pk for p in operation.participants.all()}
    summaries = (
        ResultSummary.objects.filter(operation=operation, withdrawn_at__isnull=True)
        .filter(owner_org_id__in=participants)
        .select_related("owner_org__jurisdiction", "origin_node")
    )
    rows, countries, total = [], {}, {}
    for summary in summaries:
        org = summary.owner_org
        country = org.jurisdiction.code.split("-")[0]
        heard = heard_at(summary)
        rows.append(
            {
                "organisation": org.code,
                "organisation_name": org.name,
                "country": country,
                "node": summary.origin_node.name,
                "figures": dict(summary.figures),
                "computed_at": summary.computed_at,
                "heard_at": heard,
                "stale": now - heard > stale_after(),
            }
        )
        countries[country] = add(countries.get(country, {}), summary.figures)
        total = add(total, summary.figures)
    return {"organisations": rows, "countries": countries, "total": total}


def figure_rows(figures: dict) -> list[tuple[str, int]]:
    """(label key, value) in the standard order, items by category after the counts."""
    out = [(key, figures.get(key, 0)) for key in FIGURES]
    out += sorted((k, v) for k, v in figures.items() if k.startswith("items:"))
    return out
