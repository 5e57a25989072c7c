"""The product catalogue and the normalisation rules: raw install strings named once each,
again whenever a rule is added, for every body at once."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, transaction
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
from ipex.core.bulk import update_by_id
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
    """The first rule that matches, or None: the rules' definition, one by one
    (``RuleBook.first`` gives the same, faster)."""
    for rule in rules:
        if rule.matches(name, publisher):
            return rule
    return None


class RuleBook:
    """The ordered rules indexed for naming many strings: exact names in a dictionary,
    prefixes looked up by each length a prefix rule has, regular expressions compiled once and
    tried in order only while they could still come first. ``first`` gives the rule
    ``normalise`` gives."""

    def __init__(self, rules: Sequence[NormalisationRule]) -> None:
        self.exact: dict[str, list[tuple[int, NormalisationRule]]] = defaultdict(list)
        self.prefix: dict[str, list[tuple[int, NormalisationRule]]] = defaultdict(list)
        self.regex: list[tuple[int, NormalisationRule, re.Pattern]] = []
        for rank, rule in enumerate(rules):
            key = rule.pattern.casefold()
            if rule.kind == RuleKind.EXACT:
                self.exact[key].append((rank, rule))
            elif rule.kind == RuleKind.PREFIX:
                self.prefix[key].append((rank, rule))
            else:
                self.regex.append((rank, rule, rule.compiled()))
        self.lengths = sorted({len(key) for key in self.prefix})

    def first(self, name: str, publisher: str = "") -> NormalisationRule | None:
        folded, by = name.casefold(), (publisher or "").casefold()
        candidates = list(self.exact.get(folded, ()))
        for length in self.lengths:
            if length > len(folded):
                break
            candidates.extend(self.prefix.get(folded[:length], ()))
        best = min(
            ((rank, rule) for rank, rule in candidates if _publisher_fits(rule, by)),
            default=None,
            key=lambda pair: pair[0],
        )
        for rank, rule, pattern in self.regex:
            if best is not None and rank > best[0]:
                break
            if _publisher_fits(rule, by) and pattern.search(name) is not None:
                return rule
        return best[1] if best else None


def _publisher_fits(rule: NormalisationRule, folded_publisher: str) -> bool:
    return not rule.publisher or rule.publisher.casefold() == folded_publisher


def ordered_rules() -> list[NormalisationRule]:
    return list(NormalisationRule.objects.select_related("product").order_by("position", "id"))


def rename_strings(strings: Iterable[RawString], rules: Sequence[NormalisationRule]) -> list[int]:
    """Name each string by the rules; save those whose naming changed; their ids."""
    book = RuleBook(rules)
    changed = []
    for raw in strings:
        rule = book.first(raw.name, raw.publisher)
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
    seen for the first time; the strings by key."""
    ids = string_ids(counts)
    strings_count({ids[key]: count for key, count in counts.items()})
    by_id = RawString.objects.in_bulk(ids.values())
    return {key: by_id[pk] for key, pk in ids.items()}


def _strings_named(names: list[str]):
    """The strings (id, name, publisher, rule id) of these names, in plain SQL: building the
    ORM's ``name__in`` query cost more than running it. One statement on PostgreSQL (an
    array), batches of 500 elsewhere."""
    table = connection.ops.quote_name(RawString._meta.db_table)
    select = f"SELECT id, name, publisher, rule_id FROM {table} WHERE name "  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(select + "= ANY(%s)", [names])
            yield from cursor.fetchall()
            return
        for start in range(0, len(names), 500):
            part = names[start : start + 500]
            cursor.execute(select + f"IN ({', '.join(['%s'] * len(part))})", part)
            yield from cursor.fetchall()


def string_ids(
    keys: Iterable[tuple[str, str]], unmatched: set[int] | None = None
) -> dict[tuple[str, str], int]:
    """The ids of the strings (name, publisher), creating and naming those seen for the first
    time (the inventory import's step, inside its transaction; it moves the counts once, at
    its end). ``unmatched`` gains the ids of those no rule names (whose counts matter)."""
    keys = list(keys)
    if not keys:
        return {}
    wanted = set(keys)

    def known_ids(names) -> dict[tuple[str, str], int]:
        found = {}
        for pk, n, p, rule in _strings_named(sorted(names)):
            if (n, p) in wanted:
                found[(n, p)] = pk
                if rule is None and unmatched is not None:
                    unmatched.add(pk)
        return found

    known = known_ids({name for name, _publisher in keys})
    new = [RawString(name=n, publisher=p) for (n, p) in keys if (n, p) not in known]
    if new:
        book = RuleBook(ordered_rules())
        for raw in new:
            rule = book.first(raw.name, raw.publisher)
            if rule is not None:
                raw.rule_id, raw.product_id, raw.ignored = rule.pk, rule.product_id, rule.ignore
        RawString.objects.bulk_create(new, ignore_conflicts=True)
        known.update(known_ids({raw.name for raw in new}))
    return known


def strings_count(counts_by_id: dict[int, int]) -> None:
    """Move the install counts of the strings no rule names yet (the unmatched list's order,
    the only reader of the count: rules are only ever added, so a named string is never
    listed again) by their count, set-based (``core.bulk.update_by_id``)."""
    table = connection.ops.quote_name(RawString._meta.db_table)
    update_by_id(
        table,
        "installs",
        {pk: count for pk, count in counts_by_id.items() if count},
        add=True,
        where=f"{table}.rule_id IS NULL",
    )
