"""Seeding the jurisdiction tree from ISO 3166-1 and 3166-2 (pycountry), with names in
English, Chinese and Russian taken from pycountry's own translations."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.db import transaction

from ipex.core.audit import as_actor, audit_log
from ipex.directory.models import Jurisdiction, JurisdictionLevel

LOCALES = {"zh_hans": "zh_CN", "ru": "ru"}


@cache
def _translator(domain: str, locale: str):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _names(domain: str, english: str) -> dict[str, str]:
    names = {"name_en": english}
    for suffix, locale in LOCALES.items():
        translated = _translator(domain, locale).gettext(english)
        names[f"name_{suffix}"] = translated if translated != english else ""
    return names


def _country_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


def seed_jurisdictions(
    *, countries: list[str] | None = None, subdivisions: bool = True, actor=None
) -> dict[str, int]:
    """Add every ISO country (or those named) and, when asked, their subdivisions.

    Idempotent: codes that exist are left as they are. Subdivisions nest under their ISO parent
    (e.g. a Chinese prefecture under its province); top-level subdivisions are provinces.
    """
    wanted = {c.upper() for c in countries} if countries else None
    existing = set(Jurisdiction.objects.values_list("code", flat=True))
    added = {"countries": 0, "subdivisions": 0}
    with transaction.atomic():
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            if wanted is not None and country.alpha_2 not in wanted:
                continue
            if country.alpha_2 not in existing:
                names = _names("iso3166-1", country.name)
                if getattr(country, "common_name", None):
                    names["name_en"] = _country_name(country)
                Jurisdiction.objects.add_root(
                    {"code": country.alpha_2, "level": JurisdictionLevel.COUNTRY, "is_iso": True}
                    | names
                )
                existing.add(country.alpha_2)
                added["countries"] += 1
            if subdivisions and (wanted is None or country.alpha_2 in wanted):
                added["subdivisions"] += _seed_subdivisions(country.alpha_2, existing)
        if any(added.values()):
            audit_log(
                as_actor(actor),
                "directory.jurisdiction.seeded",
                None,
                {"countries": sorted(wanted) if wanted else "all", **added},
            )
    return added


def _seed_subdivisions(alpha_2: str, existing: set[str]) -> int:
    items = list(pycountry.subdivisions.get(country_code=alpha_2) or [])
    by_code = {s.code: s for s in items}
    count = 0

    def depth_of(sub) -> int:
        depth, parent = 0, sub.parent_code
        while parent and parent in by_code:
            depth, parent = depth + 1, by_code[parent].parent_code
        return depth

    for sub in sorted(items, key=lambda s: (depth_of(s), s.code)):
        if sub.code in existing:
            continue
        parent_code = sub.parent_code if sub.parent_code in by_code else alpha_2
        parent = Jurisdiction.objects.get(code=parent_code)
        level = (
            JurisdictionLevel.PROVINCE
            if parent.level == JurisdictionLevel.COUNTRY
            else (
                JurisdictionLevel.CITY
                if parent.level == JurisdictionLevel.PROVINCE
                else JurisdictionLevel.COUNTY
            )
        )
        Jurisdiction.objects.add_child(
            parent,
            {"code": sub.code, "level": level, "is_iso": True, **_names("iso3166-2", sub.name)},
        )
        existing.add(sub.code)
        count += 1
    return count
