"""Recordations as they travel to partner customs. Contacts and photos stay on the node
that holds the recordation: a partner's notifications go back through it."""

from __future__ import annotations

from django.db import transaction

from ipex.border import register
from ipex.border.models import (
    AnswerKind,
    BorderAnswer,
    BorderNotice,
    Detention,
    Direction,
    Recordation,
    RecordationStatus,
    RightKind,
    Transport,
    WorkType,
)
from ipex.border.services.detentions import detention_answer, mail_holder
from ipex.core.audit import Actor
from ipex.core.errors import DomainError
from ipex.core.services import shared_record_write
from ipex.directory.models import Node
from ipex.directory.shareable import Refused, ShareableType, date_value, text_value

TEXTS = Recordation.TEXT_FIELDS
NOTICE_TEXTS = ("declaration_number", "direction", "place", "transport", "country")


class RecordationType(ShareableType):
    name = "border.recordation"
    model = Recordation

    def payload(self, obj) -> dict:
        return {
            **{name: getattr(obj, name) for name in TEXTS},
            "right_kind": obj.right_kind,
            "work_type": obj.work_type,
            "work_year": obj.work_year,
            "countries": list(obj.countries),
            "status": obj.status,
            "valid_from": obj.valid_from.isoformat() if obj.valid_from else None,
            "valid_until": obj.valid_until.isoformat() if obj.valid_until else None,
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        if payload["right_kind"] not in RightKind.values:
            raise Refused("unknown right")
        if payload["work_type"] and payload["work_type"] not in WorkType.values:
            raise Refused("unknown type of work")
        if payload["status"] not in RecordationStatus.values:
            raise Refused("unknown status")
        year = payload.get("work_year")
        fields = {
            **self._common(envelope, origin),
            **{name: text_value(payload.get(name) or "") for name in TEXTS},
            "right_kind": payload["right_kind"],
            "work_type": payload["work_type"] or "",
            "work_year": int(year) if isinstance(year, int) else None,
            "countries": [text_value(c)[:8] for c in payload.get("countries") or []],
            "status": payload["status"],
            "valid_from": date_value(payload["valid_from"]) if payload["valid_from"] else None,
            "valid_until": date_value(payload["valid_until"]) if payload["valid_until"] else None,
        }
        for name in ("work_title", "work_owner", "mark"):
            fields[name] = fields[name][:200]
        fields["number"] = fields["number"][:40]
        fields["right_key"] = Recordation(**fields).compute_right_key()
        row, created = self.replica_write(obj_uuid, fields)
        if not created:
            row.refresh_from_db()
        register.index(row)


class NoticeType(ShareableType):
    """A detention under a partner's recordation, sent to the recordation's node: the holder's
    contacts there are e-mailed when it arrives."""

    name = "border.notice"
    model = BorderNotice
    prefetch = ("recordation__origin_node",)
    answers = "recordation"

    def payload(self, obj) -> dict:
        return {
            "recordation": str(obj.recordation.uuid),
            "detention": str(obj.detention_uuid),
            **{name: getattr(obj, name) for name in NOTICE_TEXTS},
            "route": list(obj.route),
            "goods": list(obj.goods),
            "notified_on": obj.notified_on.isoformat(),
            "answer_by": obj.answer_by.isoformat(),
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        recordation = self.answered(
            payload, "a notice of a recordation this node does not hold", origin_node=Node.local()
        )
        if payload["direction"] not in Direction.values:
            raise Refused("unknown direction")
        if payload["transport"] not in Transport.values:
            raise Refused("unknown means of transport")
        fields = {
            **self._common(envelope, origin),
            **{
                name: text_value(payload.get(name) or "")[
                    : BorderNotice._meta.get_field(name).max_length
                ]
                for name in NOTICE_TEXTS
            },
            "recordation": recordation,
            "detention_uuid": payload["detention"],
            "route": [text_value(c)[:8] for c in payload.get("route") or []],
            "goods": [
                {
                    "description": text_value(g.get("description") or "")[:300],
                    "category": text_value(g.get("category") or "")[:60],
                    "quantity": int(g.get("quantity") or 0),
                }
                for g in payload.get("goods") or []
            ],
            "notified_on": date_value(payload["notified_on"]),
            "answer_by": date_value(payload["answer_by"]),
        }
        notice, created = self.replica_write(obj_uuid, fields)
        if not created:
            return
        for contact in recordation.contacts.all():
            transaction.on_commit(
                lambda c=contact: mail_holder(notice, recordation, c.email, c.language)
            )


class AnswerType(ShareableType):
    """The holder's answer, back to the customs that detained the goods: applied to the
    detention there as the holder's answer."""

    name = "border.answer"
    model = BorderAnswer
    prefetch = ("notice__origin_node",)
    answers = "notice"

    def payload(self, obj) -> dict:
        return {
            "notice": str(obj.notice.uuid),
            "kind": obj.kind,
            "grounds": obj.grounds,
            "days": obj.days,
            "created_at": obj.created_at.isoformat(),
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        notice = self.answered(
            payload, "an answer to a notice this node did not send", origin_node=Node.local()
        )
        if payload["kind"] not in AnswerKind.values:
            raise Refused("unknown answer")
        days = payload.get("days")
        fields = {
            **self._common(envelope, origin),
            "notice": notice,
            "kind": payload["kind"],
            "grounds": text_value(payload.get("grounds") or ""),
            "days": days if isinstance(days, int) else None,
        }
        if not self.replica_write(obj_uuid, fields)[1]:
            return
        detention = Detention.objects.filter(uuid=notice.detention_uuid).first()
        if detention is None:
            raise Refused("the detention is gone")
        partner = Actor.system(f"partner node {origin.name}")
        try:
            detention_answer(
                actor=partner,
                detention=detention,
                kind=fields["kind"],
                grounds=fields["grounds"],
                days=fields["days"],
            )
        except DomainError as exc:
            raise Refused(str(exc.message)) from exc
        if fields["kind"] == AnswerKind.EXTEND:  # the new deadline back to the holder
            with shared_record_write(partner, notice, "border.notice.extended") as write:
                write.set(answer_by=detention.answer_by)
