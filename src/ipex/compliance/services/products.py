"""The product catalogue and the normalisation rules: raw install strings named once each,
again whenever a rule is added, for every body at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ipex.compliance.models import (
    NormalisationRule,
    Product,
    RawString,
    RuleKind,
    is_curator,
)
from ipex.compliance.reconcile import reconcile_strings
from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.services import validate


def ensure_curator(who: Actor) -> None:
    if not who.is_system and not is_curator(who.user):
        raise Forbidden(
            _("Only compliance auditors keep the product catalogue and its rules."),
            code="not_curator",
        )


def product_create(
    *,
    actor,
    publisher: str,
    name: str,
    family: str,
    licence_model: str,
    edition: str = "",
    spdx_id: str = "",
) -> Product:
    who = as_actor(actor)
    ensure_curator(who)
    product = Product(
        publisher=publisher.strip(),
        name=name.strip(),
        edition=(edition or "").strip(),
        family=family,
        licence_model=licence_model,
        spdx_id=(spdx_id or "").strip(),
    )
    validate(product)
    try:
        with transaction.atomic():
            product.save()
            audit_log(who, "compliance.product.added", product, {"product": str(product)})
    except IntegrityError as exc:
        raise Conflict(_("This product is in the catalogue already."), code="duplicate") from exc
    return product


def normalise(name: str, publisher: str, rules: Sequence[NormalisationRule]):
    """The first rule that matches, or None."""
    for rule in rules:
        if rule.matches(name, publisher):
            return rule
    return None


def ordered_rules() -> list[NormalisationRule]:
    return list(NormalisationRule.objects.select_related("product").order_by("position", "id"))


def rename_strings(strings: Iterable[RawString], rules: Sequence[NormalisationRule]) -> list[int]:
    """Name each string by the rules; save those whose naming changed; their ids."""
    changed = []
    for raw in strings:
        rule = normalise(raw.name, raw.publisher, rules)
        product_id = rule.product_id if rule else None
        ignored = bool(rule and rule.ignore)
        rule_id = rule.pk if rule else None
        if (raw.rule_id, raw.product_id, raw.ignored) != (rule_id, product_id, ignored):
            raw.rule_id, raw.product_id, raw.ignored = rule_id, product_id, ignored
            raw.save(update_fields=["rule", "product", "ignored"])
            changed.append(raw.pk)
    return changed


def rule_create(
    *,
    actor,
    kind: str,
    pattern: str,
    examples: list[str],
    product: Product | None = None,
    ignore: bool = False,
    publisher: str = "",
    position: int | None = None,
) -> NormalisationRule:
    """Add a rule; it is checked against its own examples, then every raw string of every
    body is named again (distinct strings, not installs) and the bodies whose figures move
    are reconciled again, in the same transaction."""
    who = as_actor(actor)
    ensure_curator(who)
    if kind not in RuleKind.values:
        raise DomainError(_("Unknown kind of rule."), fields={"kind": [_("Unknown kind of rule.")]})
    examples = [e.strip() for e in examples if isinstance(e, str) and e.strip()]
    if position is None:
        last = NormalisationRule.objects.order_by("-position").values_list("position", flat=True)
        position = (last.first() or 0) + 10
    rule = NormalisationRule(
        kind=kind,
        pattern=(pattern or "").strip(),
        publisher=(publisher or "").strip(),
        product=product,
        ignore=ignore,
        examples=examples,
        position=position,
        created_by=who.user,
    )
    validate(rule)
    with transaction.atomic():
        rule.save()
        changed = rename_strings(RawString.objects.select_for_update(), ordered_rules())
        audit_log(
            who,
            "compliance.rule.added",
            rule,
            {
                "kind": kind,
                "pattern": rule.pattern,
                "product": str(product) if product else None,
                "ignore": ignore,
                "strings_renamed": len(changed),
            },
        )
        reconcile_strings(changed)
    return rule


def unmatched_map(
    *, actor, raw: RawString, product: Product | None = None, ignore: bool = False
) -> NormalisationRule:
    """One click on the unmatched list: an exact rule for this name, mapping it to a product
    or ignoring it, which applies to every body at once."""
    if raw.rule_id is not None:
        raise Conflict(_("This string is matched already."), code="matched")
    return rule_create(
        actor=actor,
        kind=RuleKind.EXACT,
        pattern=raw.name,
        examples=[raw.name],
        product=product,
        ignore=ignore,
    )


def strings_note(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], RawString]:
    """Add ``counts`` installs to each (name, publisher), creating and naming the strings
    seen for the first time; the strings by key. Called inside the inventory's transaction."""
    if not counts:
        return {}
    keys = list(counts)
    known: dict[tuple[str, str], RawString] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        names = {name for name, _publisher in chunk}
        for raw in RawString.objects.filter(name__in=names):
            if (raw.name, raw.publisher) in counts:
                known[(raw.name, raw.publisher)] = raw
    new = [RawString(name=n, publisher=p) for (n, p) in keys if (n, p) not in known]
    if new:
        rules = ordered_rules()
        for raw in new:
            rule = normalise(raw.name, raw.publisher, rules)
            if rule is not None:
                raw.rule_id, raw.product_id, raw.ignored = rule.pk, rule.product_id, rule.ignore
        RawString.objects.bulk_create(new, ignore_conflicts=True)
        for raw in RawString.objects.filter(name__in={r.name for r in new}):
            if (raw.name, raw.publisher) in counts:
                known[(raw.name, raw.publisher)] = raw
    strings_count({known[key].pk: count for key, count in counts.items()})
    return known


def strings_count(counts_by_id: dict[int, int]) -> None:
    """Move the install counts of the strings (the unmatched list's order) by ``count``."""
    for pk, count in counts_by_id.items():
        if count:
            RawString.objects.filter(pk=pk).update(installs=F("installs") + count)
