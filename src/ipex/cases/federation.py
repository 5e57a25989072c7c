"""Cases as they travel to partner nodes: the case, its actions and the subjects that are not
persons, and how a partner's case becomes a read-only replica here."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from ipex.cases.models import Case, CaseAction, CaseSubject, LegalProvision, Subject
from ipex.directory.shareable import (
    ShareableType,
    date_value,
    money_value,
    text_value,
)


class CaseType(ShareableType):
    """A case with its actions and the subjects that are not persons: personal data never
    leaves the node unless a case explicitly shares it (not offered yet)."""

    name = "cases.case"
    prefetch = ("actions__provision", "subject_links__subject")
    model = Case
    # What apps above cases do when a partner's case arrives (assistance links the requests
    # that named it before it came), in the same transaction.
    when_applied: list[Callable[[Case], None]] = []

    def payload(self, obj) -> dict:
        return {
            "reference": obj.reference,
            "year": obj.year,
            "number": obj.number,
            "kind": obj.kind,
            "title": obj.title,
            "summary": obj.summary,
            "status": obj.status,
            "outcome": obj.outcome,
            "created_at": obj.created_at.isoformat(),
            "actions": [
                {
                    "kind": a.kind,
                    "taken_on": a.taken_on.isoformat(),
                    "notes": a.notes,
                    "provision": a.provision.code if a.provision_id else None,
                    "penalty_amount": None if a.penalty_amount is None else str(a.penalty_amount),
                    "penalty_months": a.penalty_months,
                }
                for a in sorted(obj.actions.all(), key=lambda a: (a.taken_on, a.id))
            ],
            "subjects": [
                {
                    "kind": link.subject.kind,
                    "name": link.subject.name,
                    "role": link.role,
                    "registration_number": link.subject.registration_number,
                    "sid_code": link.subject.sid_code,
                    "domain": link.subject.domain,
                }
                for link in sorted(obj.subject_links.all(), key=lambda link: link.id)
                if not link.subject.is_personal_data
            ],
        }

    def apply(self, obj_uuid, payload, envelope, origin) -> None:
        common = self._common(envelope, origin)
        fields = {
            **common,
            "reference": text_value(payload["reference"])[:60],
            "year": int(payload["year"]),
            "number": int(payload["number"]),
            "kind": payload["kind"],
            "title": text_value(payload["title"])[:200],
            "summary": text_value(payload["summary"]),
            "status": payload["status"],
            "outcome": text_value(payload["outcome"]),
        }
        provisions = {p.code: p for p in LegalProvision.objects.all()}
        with transaction.atomic():
            case, created = self.replica_write(obj_uuid, fields)
            if not created:
                case.actions.all().delete()
            CaseAction.objects.bulk_create(
                CaseAction(
                    case=case,
                    kind=a["kind"],
                    taken_on=date_value(a["taken_on"]),
                    organisation=common["owner_org"],
                    notes=text_value(a["notes"]),
                    provision=provisions.get(a["provision"]) if a["provision"] else None,
                    penalty_amount=money_value(a["penalty_amount"]),
                    penalty_months=a["penalty_months"],
                )
                for a in payload["actions"]
            )
            self._subjects(case, payload["subjects"], common["owner_org"])
            for follow in self.when_applied:
                follow(case)

    def _subjects(self, case, subjects: list[dict], owner) -> None:
        """The replica's subjects are its own (never merged with this node's)."""
        old = list(Subject.objects.filter(links__case=case, owner_org=owner))
        case.subject_links.all().delete()
        Subject.objects.filter(pk__in=[s.pk for s in old], links__isnull=True).delete()
        for item in subjects:
            subject = Subject.objects.create(
                owner_org=owner,
                kind=item["kind"],
                name=text_value(item["name"])[:200],
                registration_number=text_value(item["registration_number"])[:40],
                sid_code=text_value(item["sid_code"])[:20],
                domain=text_value(item["domain"])[:253],
            )
            CaseSubject.objects.create(case=case, subject=subject, role=item["role"])
