"""Seizures as they travel to partner nodes: the fields a partner receives (items included)
and how a partner's seizure becomes a read-only replica here, a page at a time."""

from __future__ import annotations

import uuid as uuidlib

from ipex.core.bulk import insert_rows
from ipex.directory.models import Jurisdiction
from ipex.directory.shareable import (
    SHAREABLE,
    Refused,
    ShareableType,
    cached,
    date_value,
    money_value,
    text_value,
)
from ipex.seizures.models import Category, ImportBatch, SeizedItem, Seizure


def _categories(model) -> dict[str, list]:
    """Every category by code, each code's periods oldest first."""
    periods: dict[str, list] = {}
    for category in model.objects.order_by("valid_from"):
        periods.setdefault(category.code, []).append(category)
    return periods


def _valid_on(periods: list, day):
    """The category of a code valid on a day (a re-classification does not rewrite the
    past), or the newest one if none was."""
    for category in reversed(periods):
        if category.valid_from <= day and (category.valid_to is None or day <= category.valid_to):
            return category
    return periods[-1]


# ---------------------------------------------------------------- the types


class SeizureType(ShareableType):
    name = "seizures.seizure"
    prefetch = ("items__category",)
    model = Seizure

    def published_with(self, entry, obj):
        """An import file's shared seizures are published when the import is audited."""
        if isinstance(obj, ImportBatch):
            shared = Seizure.objects.filter(import_batch=obj, distribution__in=SHAREABLE)
            return shared.only("pk", "origin_node_id")
        return None

    def payload(self, obj) -> dict:
        return {
            "reference": obj.reference,
            "seized_on": obj.seized_on.isoformat(),
            "jurisdiction": obj.jurisdiction.code,
            "place": obj.place,
            "method": obj.method,
            "notes": obj.notes,
            "created_at": obj.created_at.isoformat(),
            "items": [
                {
                    "line_no": item.line_no,
                    "category": item.category.code,
                    "description": item.description,
                    "quantity": item.quantity,
                    "unit": item.unit,
                    "value_amount": None if item.value_amount is None else str(item.value_amount),
                    "value_currency": item.value_currency,
                    "disposition": item.disposition,
                }
                for item in sorted(obj.items.all(), key=lambda i: i.line_no)
            ],
        }

    bulk = True

    def prepare(self, obj_uuid, payload, envelope, origin) -> dict:
        place = cached(
            "jurisdiction",
            payload["jurisdiction"],
            payload["jurisdiction"],
            lambda: Jurisdiction.objects.filter(code=payload["jurisdiction"]).first(),
        )
        if place is None:
            raise Refused(f"unknown jurisdiction {payload['jurisdiction']}")
        seized_on = date_value(payload["seized_on"])
        periods = cached("categories", "", "", lambda: _categories(Category))
        categories = {
            code: _valid_on(periods[code], seized_on)
            for code in {i["category"] for i in payload["items"]}
            if code in periods
        }
        unknown = {i["category"] for i in payload["items"]} - set(categories)
        if unknown:
            raise Refused(f"unknown categories {sorted(unknown)}")
        common = self._common(envelope, origin)
        fields = {  # by column (attname): written without model objects
            "origin_node_id": origin.pk,
            "owner_org_id": common["owner_org"].pk,
            "distribution": common["distribution"],
            "sharing_group_id": common["sharing_group"].pk if common["sharing_group"] else None,
            "version": common["version"],
            "seized_on": seized_on,
            "jurisdiction_id": place.pk,
            "place": text_value(payload["place"])[:200],
            "method": payload["method"],
            "reference": text_value(payload["reference"])[:60],
            "notes": text_value(payload["notes"]),
        }
        items = [
            {
                "line_no": int(i["line_no"]),
                "category_id": categories[i["category"]].pk,
                "description": text_value(i["description"])[:300],
                "quantity": int(i["quantity"]),
                "unit": i["unit"],
                "value_amount": money_value(i["value_amount"]),
                "value_currency": text_value(i["value_currency"])[:3],
                "disposition": i["disposition"],
            }
            for i in payload["items"]
        ]
        return {"fields": fields, "items": items}

    def write_many(self, prepared: dict, origin) -> None:
        held = dict(Seizure.objects.filter(uuid__any=list(prepared)).values_list("uuid", "pk"))
        insert_rows(
            Seizure,
            [{"uuid": uuid, **row["fields"]} for uuid, row in prepared.items() if uuid not in held],
        )
        for uuid, pk in held.items():
            Seizure.objects.filter(pk=pk).update(**prepared[uuid]["fields"])
        SeizedItem.objects.filter(seizure_id__in=list(held.values())).delete()
        pks = dict(Seizure.objects.filter(uuid__any=list(prepared)).values_list("uuid", "pk"))
        insert_rows(
            SeizedItem,
            [
                {"seizure_id": pks[uuid], **item}
                for uuid, row in prepared.items()
                for item in row["items"]
            ],
        )

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        self.write_many(
            {uuidlib.UUID(str(obj_uuid)): self.prepare(obj_uuid, payload, envelope, origin)},
            origin,
        )
