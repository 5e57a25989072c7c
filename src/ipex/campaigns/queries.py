"""Special-action reads: progress against targets, from the seizures and cases the user can
see (counted by the apps that own them, through ``ipex.campaigns.registry.measures``)."""

from __future__ import annotations

from ipex.campaigns.models import Campaign
from ipex.campaigns.registry import campaign_links, measures


def campaigns_for(user):
    return Campaign.objects.visible_to(user).select_related("owner_org")


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
