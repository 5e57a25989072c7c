"""Recordations as they travel to partner customs. Contacts and photos stay on the node
that holds the recordation: a partner's notifications go back through it."""

from __future__ import annotations

from ipex.border.models import Recordation, RecordationStatus, RightKind, WorkType
from ipex.directory.shareable import Refused, ShareableType, date_value, text_value

TEXTS = Recordation.TEXT_FIELDS


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
        row = Recordation.objects.filter(uuid=obj_uuid).first()
        if row is None:
            Recordation.objects.create(uuid=obj_uuid, **fields)
        else:
            Recordation.objects.filter(pk=row.pk).update(**fields)
