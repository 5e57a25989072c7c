"""Seizure writes: record, edit, withdraw; figures move in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.campaigns.services import ensure_can_link
from ipex.core.audit import as_actor
from ipex.core.errors import DomainError, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_can_write
from ipex.core.services import creating_member, shared_record_create, shared_record_write
from ipex.directory.models import Jurisdiction, Node, Organisation
from ipex.seizures import rollups
from ipex.seizures.models import (
    Category,
    FigureSource,
    SeizedItem,
    Seizure,
)
from ipex.seizures.services.parsing import (
    ValueProblem,
    category_on,
    in_jurisdiction,
    parse_date,
    parse_disposition,
    parse_method,
    parse_quantity,
    parse_unit,
    parse_value,
)

# ---------------------------------------------------------------- seizures


@dataclass
class CleanItem:
    """A checked item: its fields named as ``SeizedItem`` takes them."""

    category: Category
    quantity: int
    description: str
    unit: str
    value_amount: Decimal | None
    value_currency: str
    disposition: str


def clean_items(
    raw_items, seized_on: dt.date, *, cache: dict | None = None
) -> tuple[list[CleanItem], dict[str, list[str]]]:
    items, fields = [], {}
    if not raw_items:
        fields["items"] = [_("Add at least one seized item.")]
        return items, fields
    for index, raw in enumerate(raw_items, start=1):
        errors: list[str] = []
        label = _("Item %(n)s") % {"n": index}
        category = category_on(raw.get("category"), seized_on, errors, label=label, cache=cache)
        quantity = parse_quantity(raw.get("quantity"), errors, label=label)
        unit = parse_unit(raw.get("unit"))
        if unit is None:
            errors.append(
                _("%(label)s: unknown unit '%(unit)s'.") % {"label": label, "unit": raw.get("unit")}
            )
        disposition = parse_disposition(raw.get("disposition"))
        if disposition is None:
            errors.append(
                _("%(label)s: unknown disposition '%(value)s'.")
                % {"label": label, "value": raw.get("disposition")}
            )
        amount, currency = raw.get("value_amount"), (raw.get("value_currency") or "").upper()
        value, problems = parse_value(amount, currency)
        if problems:
            errors.extend(_value_messages(problems, label, amount))
        description = str(raw.get("description") or "").strip()[:300]
        if errors:
            fields[f"items.{index}"] = errors
            continue
        items.append(CleanItem(category, quantity, description, unit, value, currency, disposition))
    return items, fields


def _value_messages(problems: list[ValueProblem], label: str, amount) -> list[str]:
    messages = []
    if ValueProblem.AMOUNT_NOT_A_NUMBER in problems:
        messages.append(
            _("%(label)s: the value '%(value)s' is not a number.")
            % {"label": label, "value": amount}
        )
    if ValueProblem.AMOUNT_NOT_FINITE in problems or ValueProblem.AMOUNT_TOO_LARGE in problems:
        messages.append(
            _("%(label)s: the value '%(value)s' is not a plausible amount.")
            % {"label": label, "value": amount}
        )
    elif ValueProblem.AMOUNT_DECIMALS in problems:
        messages.append(_("%(label)s: a value has at most two decimals.") % {"label": label})
    if ValueProblem.AMOUNT_NEGATIVE in problems:
        messages.append(_("%(label)s: a value cannot be negative.") % {"label": label})
    if ValueProblem.CURRENCY_MISSING in problems or ValueProblem.CURRENCY_INVALID in problems:
        messages.append(
            _("%(label)s: give the currency as three letters, e.g. CNY.") % {"label": label}
        )
    return messages


def _ensure_in_area(organisation: Organisation, jurisdiction: Jurisdiction) -> None:
    if not in_jurisdiction(jurisdiction, organisation):
        raise DomainError(
            _("%(place)s is outside the jurisdiction of %(org)s.")
            % {"place": jurisdiction.name, "org": organisation.name},
            fields={"jurisdiction": [_("Outside your organisation's jurisdiction.")]},
            code="outside_jurisdiction",
        )


def _seizure_contribution(seizure: Seizure, items) -> dict:
    return {
        "source": FigureSource.RECORDS,
        **rollups.period_of(seizure.seized_on),
        "jurisdiction": seizure.jurisdiction,
        "org_kind": seizure.owner_org.kind,
        "contributions": rollups.contributions_from_items(
            (item.category, item.quantity) for item in items
        ),
    }


def seizure_record(
    *,
    actor,
    owner_org: Organisation,
    seized_on,
    jurisdiction: Jurisdiction,
    method: str,
    items: list[dict],
    place: str = "",
    reference: str = "",
    notes: str = "",
    distribution: str = Distribution.ORG,
    sharing_group=None,
    campaign=None,
    category_cache: dict | None = None,
) -> Seizure:
    """Record a seizure with its item lines; all or nothing."""
    who = creating_member(actor, owner_org, distribution=distribution, sharing_group=sharing_group)
    errors: dict[str, list[str]] = {}
    date_errors: list[str] = []
    day = parse_date(seized_on, date_errors, label=_("Date"))
    if date_errors:
        errors["seized_on"] = date_errors
    if parse_method(method) is None:
        errors["method"] = [_("Unknown method '%(value)s'.") % {"value": method}]
    if jurisdiction is None:
        errors["jurisdiction"] = [_("Say where the seizure took place.")]
    clean, item_errors = clean_items(items, day or timezone.localdate(), cache=category_cache)
    errors.update(item_errors)
    refuse_if(errors, _("The seizure was not recorded; correct the errors."))
    _ensure_in_area(owner_org, jurisdiction)
    if campaign is not None:
        ensure_can_link(who, campaign, owner_org, day)
    seizure = Seizure(
        origin_node=Node.local(),
        owner_org=owner_org,
        distribution=distribution,
        sharing_group=sharing_group,
        seized_on=day,
        jurisdiction=jurisdiction,
        place=place.strip()[:200],
        method=method,
        reference=reference.strip()[:60],
        notes=notes.strip(),
        created_by=who.user,
        campaign=campaign,
    )
    with shared_record_create(who, seizure, "seizures.seizure.recorded") as write:
        rows = _save_items(seizure, clean)
        rollups.apply(**_seizure_contribution(seizure, rows))
        write.note(items=len(rows), quantity=sum(r.quantity for r in rows))
    return seizure


def _save_items(seizure: Seizure, clean: list[CleanItem]) -> list[SeizedItem]:
    rows = [SeizedItem(seizure=seizure, line_no=n, **vars(c)) for n, c in enumerate(clean, start=1)]
    SeizedItem.objects.bulk_create(rows)
    return rows


def seizure_update(
    *, actor, seizure: Seizure, items: list[dict] | None = None, **values
) -> Seizure:
    """Edit a seizure (owner organisation only); figures move with it."""
    who = as_actor(actor)
    ensure_actor_can_write(who, seizure)
    allowed = {"seized_on", "jurisdiction", "place", "method", "reference", "notes", "campaign"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    if "seized_on" in values:
        date_errors: list[str] = []
        values["seized_on"] = parse_date(values["seized_on"], date_errors, label=_("Date"))
        if date_errors:
            errors["seized_on"] = date_errors
    if "method" in values and parse_method(values["method"]) is None:
        errors["method"] = [_("Unknown method '%(value)s'.") % {"value": values["method"]}]
    day = values.get("seized_on") or seizure.seized_on
    clean = None
    if items is not None:
        clean, item_errors = clean_items(items, day)
        errors.update(item_errors)
    refuse_if(errors, _("The seizure was not changed; correct the errors."))
    if "jurisdiction" in values:
        _ensure_in_area(seizure.owner_org, values["jurisdiction"])
    if values.get("campaign") is not None:
        ensure_can_link(who, values["campaign"], seizure.owner_org, day)
    with shared_record_write(who, seizure, "seizures.seizure.updated") as write:
        old_items = list(seizure.items.select_related("category__parent"))
        rollups.apply(**_seizure_contribution(seizure, old_items), sign=-1)
        for field, value in values.items():
            before = getattr(seizure, field)
            if before != value:
                write.note(
                    **{
                        field: [
                            str(getattr(before, "code", before)),
                            str(getattr(value, "code", value)),
                        ]
                    }
                )
                setattr(seizure, field, value)
        if clean is not None:
            seizure.items.all().delete()
            new_items = _save_items(seizure, clean)
            write.note(items=[len(old_items), len(new_items)])
        else:
            new_items = old_items
        rollups.apply(**_seizure_contribution(seizure, new_items))
    return seizure


def seizure_withdraw(*, actor, seizure: Seizure, reason: str) -> Seizure:
    """Withdraw a seizure recorded in error: it leaves every list and every figure."""
    who = as_actor(actor)
    ensure_actor_can_write(who, seizure)
    if not reason.strip():
        raise DomainError(
            _("Say why the seizure is withdrawn."), fields={"reason": [_("Required.")]}
        )
    with shared_record_write(who, seizure, "seizures.seizure.withdrawn") as write:
        if seizure.withdrawn_at is not None:
            write.skip()
        else:
            items = list(seizure.items.select_related("category__parent"))
            rollups.apply(**_seizure_contribution(seizure, items), sign=-1)
            write.set(withdrawn_at=timezone.now())
            write.note(reason=reason.strip())
    return seizure
