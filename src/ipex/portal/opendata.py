"""Open data (issue 16, item 4): the datasets the apps declare (``open_datasets``), and the
snapshot taken when their figures are published — a numbered ``DatasetVersion`` of the year,
which a later publication with other figures supersedes without removing."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.cases.queries import national_enforcement_counts
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError
from ipex.core.registry import OpenDataset, open_datasets
from ipex.portal.models import DatasetVersion
from ipex.seizures.models import Bulletin


def enforcement_rows(year: int) -> list[dict]:
    """The enforcement figures of the national bulletin: production lines cracked down and
    licensed enterprises punished, for each country whose bulletin of the year is published."""
    rows = []
    bulletins = Bulletin.objects.filter(year=year, withdrawn_at__isnull=True)
    for code in bulletins.order_by("country__code").values_list("country__code", flat=True):
        lines, enterprises = national_enforcement_counts(code, year)
        rows.append({"year": year, "country": code, "measure": "lines", "value": lines})
        rows.append({"year": year, "country": code, "measure": "enterprises", "value": enterprises})
    return rows


ENFORCEMENT = OpenDataset(
    name="enforcement",
    title=_("Enforcement results by year and country"),
    description=_(
        "Production lines cracked down (measure 'lines') and licensed enterprises punished "
        "(measure 'enterprises') in the cases of the country's year, as published in the "
        "national bulletin."
    ),
    fields=(
        ("year", "integer", _("Year")),
        ("country", "string", _("Country code")),
        ("measure", "string", _("Measure")),
        ("value", "integer", _("Value")),
    ),
    rows=enforcement_rows,
    trigger="bulletin",
    keywords=("copyright", "enforcement", "statistics"),
    primary_key=("year", "country", "measure"),
)


def digest(rows: list[dict]) -> str:
    return hashlib.sha256(
        json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def dataset_snapshot(*, actor, dataset: str, year: int) -> DatasetVersion | None:
    """Freeze the year's published figures of ``dataset`` as its next version (the current
    one, if its figures differ, is marked superseded and stays reachable). Nothing is
    written when the figures are those of the current version, or when there are none."""
    who = as_actor(actor)
    spec = open_datasets.get(dataset)
    if spec is None:
        raise DomainError(_("Unknown dataset."), fields={"dataset": [_("Unknown dataset.")]})
    rows = spec.rows(year)
    checksum = digest(rows)
    with transaction.atomic():
        versions = DatasetVersion.objects.select_for_update().filter(dataset=dataset, year=year)
        current = versions.current().first()
        if (current is None and not rows) or (current and current.digest == checksum):
            return current
        now = timezone.now()
        if current is not None:
            current.superseded_at = now
            current.save(update_fields=["superseded_at"])
        last = versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = DatasetVersion.objects.create(
            dataset=dataset,
            year=year,
            number=last + 1,
            rows=rows,
            digest=checksum,
            published_at=now,
            published_by=who.user,
        )
        audit_log(
            who,
            "portal.dataset.published",
            version,
            {"rows": len(rows), "sha256": checksum, "supersedes": current and current.number},
        )
    return version


def on_published(trigger: str, *, year: int, actor) -> None:
    """``publication_listeners``: snapshot every dataset published with ``trigger``."""
    for name, spec in open_datasets.items():
        if spec.trigger == trigger:
            dataset_snapshot(actor=actor, dataset=name, year=year)
