"""Across borders: a detention under a partner's recordation notifies the holder through the
recordation's node (a notice, a shared record sent there); the holder answers there and the
answer comes back; a detention becomes an alert to the customs at the route's other end."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.assistance.services import alert_create
from ipex.border.models import (
    AnswerKind,
    BorderAnswer,
    BorderNotice,
    DeadlineRule,
    Detention,
    Recordation,
)
from ipex.core.audit import as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import Distribution
from ipex.core.permissions import can_write
from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory.models import Organisation, OrgKind, SharingGroup
from ipex.directory.shareable import local_record


def notice_send(who, detention: Detention, recordation: Recordation, goods: list[dict]):
    """The notice of a detention under a partner's recordation, shared with the group the
    recordation came in and always sent to its node (inside the detention's write)."""
    notice = local_record(
        BorderNotice,
        detention.owner_org,
        Distribution.GROUP,
        recordation.sharing_group,
        recordation=recordation,
        detention_uuid=detention.uuid,
        declaration_number=detention.declaration_number,
        direction=detention.direction,
        place=detention.place,
        route=detention.route,
        transport=detention.transport,
        goods=[
            {
                "description": g["description"],
                "category": g["category"].code,
                "quantity": g["quantity"],
            }
            for g in goods
        ],
        country=detention.country,
        notified_on=detention.notified_on,
        answer_by=detention.answer_by,
    )
    with shared_record_create(who, notice, "border.notice.sent") as write:
        write.note(detention=str(detention.uuid), recordation=str(recordation.uuid))
    return notice


def _holder(who, notice: BorderNotice) -> Organisation:
    for org in getattr(who.user, "organisations", None) or []:
        if org.pk == notice.recordation.owner_org_id and org.origin_node.is_local:
            return org
    raise Forbidden(_("Only the holders of the linked recordations answer."), code="not_linked")


def answer_check(kind: str, grounds: str) -> None:
    """A holder's answer, on either node: a known kind, and a confirmation gives grounds."""
    if kind not in AnswerKind.values:
        raise DomainError(_("Unknown answer."), fields={"kind": [_("Unknown.")]})
    if kind == AnswerKind.CONFIRM and not (grounds or "").strip():
        raise DomainError(
            _("Give the grounds of the infringement."), fields={"grounds": [_("Required.")]}
        )


def notice_answer(
    *, actor, notice: BorderNotice, kind: str, grounds: str = "", days: int | None = None
) -> BorderAnswer:
    """The holder answers a partner's detention on its own node; the answer goes back to the
    customs that detained the goods, which apply it to the detention."""
    who = as_actor(actor)
    holder = _holder(who, notice)
    answer_check(kind, grounds)
    if notice.answers.exclude(kind=AnswerKind.EXTEND).exists():
        raise Conflict(_("This detention has been answered."), code="illegal_transition")
    if timezone.localdate() > notice.answer_by:
        raise Conflict(
            _("The deadline to answer passed on %(day)s.") % {"day": notice.answer_by},
            code="too_late",
        )
    if kind == AnswerKind.EXTEND:
        rule = DeadlineRule.objects.filter(country=notice.country).first()
        most = rule.extension_days if rule and rule.extension_allowed else 0
        if days is None:
            days = most
        if not isinstance(days, int) or not 1 <= days <= most:
            raise DomainError(
                _("An extension is of 1 to %(n)s working days in %(country)s.")
                % {"n": most, "country": notice.country},
                fields={"days": [_("Beyond the rule.")]},
                code="beyond_rule",
            )
    answer = local_record(
        BorderAnswer,
        holder,
        Distribution.GROUP,
        notice.sharing_group,
        notice=notice,
        kind=kind,
        grounds=(grounds or "").strip(),
        days=days if kind == AnswerKind.EXTEND else None,
    )
    with shared_record_create(who, answer, f"border.answer.{kind}") as write:
        write.note(notice=str(notice.uuid))
    return answer


def _other_end(detention: Detention) -> str:
    ends = [c for c in (detention.route[-1:] + detention.route[:1]) if c != detention.country]
    if not ends:
        raise DomainError(
            _("The route names no other country to alert."),
            fields={"route": [_("No other country.")]},
            code="no_other_end",
        )
    return ends[0]


def _reaches_customs_of(group: SharingGroup, country: str) -> bool:
    for member in group.members.select_related("organisation__jurisdiction"):
        org = member.organisation
        if (
            org is not None
            and org.kind == OrgKind.CUSTOMS
            and not org.origin_node.is_local
            and org.jurisdiction.code.split("-")[0] == country
        ):
            return True
    return False


def detention_alert(
    *,
    actor,
    detention: Detention,
    sharing_group: SharingGroup,
    priority: str = "high",
    expires_on: dt.date | None = None,
):
    """An alert to the partner customs at the route's other end (a sharing group that
    reaches them), saying what was detained where — never the consignor or consignee."""
    who = as_actor(actor)
    if not who.is_system and not can_write(who.user, detention):
        raise Forbidden(_("Only the customs that recorded the detention may send it on."))
    country = _other_end(detention)
    if sharing_group is None or not _reaches_customs_of(sharing_group, country):
        raise DomainError(
            _("Choose a group that reaches the customs of %(country)s, the route's other end.")
            % {"country": country},
            fields={
                "sharing_group": [_("No customs of %(country)s in it.") % {"country": country}]
            },
            code="not_the_other_end",
        )
    goods = "; ".join(f"{line.description} × {line.quantity}" for line in detention.lines.all())
    numbers = ", ".join(r.number for r in detention.recordations.all() if r.number)
    body = _(
        "Customs at %(place)s detained goods (%(direction)s, declaration %(declaration)s, "
        "route %(route)s): %(goods)s. Recordations: %(numbers)s."
    ) % {
        "place": detention.place,
        "direction": detention.get_direction_display(),
        "declaration": detention.declaration_number,
        "route": " → ".join(detention.route),
        "goods": goods,
        "numbers": numbers or _("none (ex officio)"),
    }
    with transaction.atomic():
        alert = alert_create(
            actor=who,
            owner_org=detention.owner_org,
            title=_("Goods detained at %(place)s") % {"place": detention.place},
            body=body,
            priority=priority,
            expires_on=expires_on or timezone.localdate() + dt.timedelta(days=30),
            distribution=Distribution.GROUP,
            sharing_group=sharing_group,
        )
        with shared_record_write(who, detention, "border.detention.alerted") as write:
            write.note(alert=str(alert.uuid), country=country)
    return alert
