"""2012 demo figures: approved yearly reports of the copyright administrations whose national
roll-up equals the published 2012 figures category by category, and a few seizure records
(synthetic). Idempotent."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from ipex.directory.models import Jurisdiction, Organisation, User
from ipex.seizures import services
from ipex.seizures.categories import seed_categories
from ipex.seizures.models import Category, PeriodKind, PeriodReport, Seizure
from ipex.seizures.reference import data_file, national_figures


def demo_data() -> dict[str, list[dict]]:
    """``data/demo-2012.json``: the organisations that report the 2012 figures, each with its
    share in percent (the last takes the remainder), its submitter and its approver; and a few
    synthetic seizure records."""
    return json.loads(data_file("demo-2012.json").read_text(encoding="utf-8"))


def split(figures: dict[str, int], reporters: list[dict]) -> dict[str, dict[str, int]]:
    shares: dict[str, dict[str, int]] = {}
    for code, total in figures.items():
        left = total
        for reporter in reporters:
            percent = reporter["percent"]
            part = left if percent is None else total * percent // 100
            shares.setdefault(reporter["organisation"], {})[code] = part
            left -= part
    return shares


def build_seizure_demo() -> dict[str, int]:
    counts = {"reports": 0, "seizures": 0}
    seed_categories(Category)
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    data = demo_data()
    reporters = {reporter["organisation"]: reporter for reporter in data["reporters"]}
    with transaction.atomic():
        for code, lines in split(national_figures(2012), data["reporters"]).items():
            org = Organisation.objects.get(code=code)
            if PeriodReport.objects.filter(owner_org=org, year=2012).exists():
                continue
            submitter, approver = reporters[code]["submitter"], reporters[code]["approver"]
            report = services.report_create(
                actor=users[submitter], owner_org=org, period_kind=PeriodKind.YEAR, year=2012
            )
            services.report_set_lines(actor=users[submitter], report=report, lines=lines)
            services.report_submit(actor=users[submitter], report=report)
            services.report_approve(actor=users[approver], report=report)
            counts["reports"] += 1
        for row in data["seizures"]:
            if Seizure.objects.filter(reference=row["reference"]).exists():
                continue
            org = Organisation.objects.get(code=row["owner_org"])
            recorder = next(
                u
                for u in users.values()
                if any(m.organisation_id == org.pk for m in u.active_memberships)
            )
            services.seizure_record(
                actor=recorder,
                owner_org=org,
                seized_on=dt.date.fromisoformat(row["seized_on"]),
                jurisdiction=Jurisdiction.objects.get(code=row["jurisdiction"]),
                method=row["method"],
                reference=row["reference"],
                place="(synthetic demo record)",
                items=row["items"],
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
