"""A joint operation's combined results: the latest summary of each participant (see
``services.links`` for how each summary is kept current), per organisation with how fresh it
is, per country and in all."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from ipex.cooperation.models import JointOperation, ResultSummary
from ipex.cooperation.services.links import FIGURES, add
from ipex.core.registry import answers


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.IPEX_JOINT_STALE_MINUTES)


def heard_at(summary: ResultSummary, nodes: dict):
    """When this node last heard from the summary's node: now for its own, else the last
    successful pull from that partner (or when the summary arrived). ``nodes`` keeps what
    was asked per node within one read."""
    node = summary.origin_node
    if node.pk not in nodes:
        last = answers.get("partner_last_heard")
        nodes[node.pk] = timezone.now() if node.is_local else (last(node) if last else None)
    return nodes[node.pk] or summary.received_at or summary.computed_at


def combined(operation: JointOperation) -> dict:
    """The operation's figures: per organisation (its latest summary, how fresh), per
    country and in all; only participants' live summaries count."""
    now = timezone.now()
    participants = {p.pk for p in operation.participants.all()}
    summaries = (
        ResultSummary.objects.filter(operation=operation, withdrawn_at__isnull=True)
        .filter(owner_org_id__in=participants)
        .select_related("owner_org__jurisdiction", "origin_node")
    )
    rows, countries, total, nodes = [], {}, {}, {}
    for summary in summaries:
        org = summary.owner_org
        country = org.jurisdiction.code.split("-")[0]
        heard = heard_at(summary, nodes)
        rows.append(
            {
                "organisation": org.code,
                "organisation_name": org.name,
                "country": country,
                "node": summary.origin_node.name,
                "figures": dict(summary.figures),
                "computed_at": summary.computed_at,
                "heard_at": heard,
                "stale": now - heard > stale_after(),
            }
        )
        countries[country] = add(countries.get(country, {}), summary.figures)
        total = add(total, summary.figures)
    return {"organisations": rows, "countries": countries, "total": total}


def figure_rows(figures: dict) -> list[tuple[str, int]]:
    """(label key, value) in the standard order, items by category after the counts."""
    out = [(key, figures.get(key, 0)) for key in FIGURES]
    out += sorted((k, v) for k, v in figures.items() if k.startswith("items:"))
    return out
