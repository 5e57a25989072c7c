"""Special-action reads: progress against targets, from the seizures and cases the user can
see (counted by the apps that own them, through ``ipex.campaigns.registry.measures``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _lazy

from ipex.campaigns.models import Campaign
from ipex.campaigns.registry import campaign_links, measures
from ipex.core.filters import SELECT


def campaign_filter() -> django_filters.ModelChoiceFilter:
    """A list's filter by special action (its uuid), offering those the user can see."""
    return django_filters.ModelChoiceFilter(
        queryset=lambda request: Campaign.objects.visible_to(getattr(request, "user", None)),
        to_field_name="uuid",
        label=_lazy("Special action"),
        widget=forms.Select(attrs=SELECT),
    )


CAMPAIGNS = Campaign.objects.select_related("owner_org")


def campaigns_for(user):
    return CAMPAIGNS.visible_to(user)


def campaign_progress(user, campaign: Campaign) -> list[dict]:
    """Each target with what has been achieved, counted over the seizures and cases of the
    special action that the user can see."""
    rows = []
    for target in campaign.targets.all():
        measure = measures.get(target.metric)
        done = measure.count(user, campaign, target) if measure is not None else 0
        percent = min(100, round(100 * done / target.target)) if target.target else 0
        rows.append({"target": target, "done": int(done), "percent": percent})
    return rows


def campaign_link_list(user, campaign: Campaign) -> list[dict]:
    """The special action's links to the records that joined it, for its page."""
    return [
        {"name": name, "url_name": link.url_name, "text": link.text(user, campaign)}
        for name, link in campaign_links.items()
    ]
