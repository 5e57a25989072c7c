"""2012 demo figures: approved yearly reports of the copyright administrations whose national
roll-up equals the published 2012 figures category by category, and a few seizure records
(synthetic). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ipex.directory.models import Jurisdiction, Organisation, User
from ipex.seizures import services
from ipex.seizures.categories import seed_categories
from ipex.seizures.models import Category, PeriodKind, PeriodReport, Seizure
from ipex.seizures.reference import national_figures

# organisation, share in percent (the last takes the remainder), submitter, approver
REPORTERS = [
    ("CN-NCAC", 40, "statistician@ncac.demo", "supervisor@ncac.demo"),
    ("CN-GD-CB", 20, "statistician@gd.demo", "supervisor@ncac.demo"),
    ("CN-GD-BA-CB", 10, "officer@baoan.demo", "supervisor@gd.demo"),
    ("CN-ZJ-CB", 20, "officer@zj.demo", "supervisor@ncac.demo"),
    ("CN-ZJ-YW-CB", None, "officer@yiwu.demo", "supervisor@zj.demo"),
]

# owner, date, where, method, reference, items (category, quantity, description)
SEIZURES = [
    (
        "CN-GD-BA-CB",
        dt.date(2012, 3, 14),
        "CN-GD-SZ-BA",
        "raid",
        "BA-2012-0007",
        [
            ("audiovisual.dvd", 120_000, "DVD-9 discs, unlicensed film titles"),
            ("software", 8_500, "Office suite discs"),
        ],
    ),
    (
        "CN-GD-CB",
        dt.date(2012, 6, 2),
        "CN-GD-SZ",
        "market_inspection",
        "GD-2012-0113",
        [("books", 23_400, "Pirated textbooks"), ("periodicals", 1_200, "Counterfeit magazines")],
    ),
    (
        "CN-ZJ-YW-CB",
        dt.date(2012, 9, 21),
        "CN-ZJ-JH-YW",
        "market_inspection",
        "YW-2012-0031",
        [
            ("audiovisual.cd", 56_000, "Music CDs"),
            ("electronic_publications", 4_300, "e-book discs"),
        ],
    ),
    (
        "CN-GAC-GZ",
        dt.date(2012, 11, 8),
        "CN-GD",
        "customs_detention",
        "GZC-2012-0402",
        [("audiovisual.bluray", 14_000, "Blu-ray discs bound for export")],
    ),
]


def split(figures: dict[str, int]) -> dict[str, dict[str, int]]:
    shares: dict[str, dict[str, int]] = {}
    for code, total in figures.items():
        left = total
        for org, percent, _submitter, _approver in REPORTERS:
            part = left if percent is None else total * percent // 100
            shares.setdefault(org, {})[code] = part
            left -= part
    return shares


def build_seizure_demo() -> dict[str, int]:
    counts = {"reports": 0, "seizures": 0}
    seed_categories(Category)
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    with transaction.atomic():
        for code, lines in split(national_figures(2012)).items():
            org = Organisation.objects.get(code=code)
            if PeriodReport.objects.filter(owner_org=org, year=2012).exists():
                continue
            _org, _share, submitter, approver = next(r for r in REPORTERS if r[0] == code)
            report = services.report_create(
                actor=users[submitter], owner_org=org, period_kind=PeriodKind.YEAR, year=2012
            )
            services.report_set_lines(actor=users[submitter], report=report, lines=lines)
            services.report_submit(actor=users[submitter], report=report)
            services.report_approve(actor=users[approver], report=report)
            counts["reports"] += 1
        for owner, day, area, method, reference, items in SEIZURES:
            if Seizure.objects.filter(reference=reference).exists():
                continue
            org = Organisation.objects.get(code=owner)
            recorder = next(
                u
                for u in users.values()
                if any(m.organisation_id == org.pk for m in u.active_memberships)
            )
            services.seizure_record(
                actor=recorder,
                owner_org=org,
                seized_on=day,
                jurisdiction=Jurisdiction.objects.get(code=area),
                method=method,
                reference=reference,
                place="(synthetic demo record)",
                items=[{"category": c, "quantity": q, "description": d} for c, q, d in items],
            )
            counts["seizures"] += 1
    return counts


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the Chinese node's figures only
    """``ipex demo``'s part for seizures (registered in ``SeizuresConfig.ready``)."""
    figures = build_seizure_demo()
    return [
        f"2012 figures: {figures['reports']} approved reports and {figures['seizures']} "
        "seizure records added."
    ]
