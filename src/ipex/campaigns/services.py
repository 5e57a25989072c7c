"""Special-action writes: one function per use case, transactional, audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipex.campaigns.models import Campaign, CampaignTarget, Metric
from ipex.campaigns.registry import measures
from ipex.core.audit import as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_can_write, ensure_actor_member_of
from ipex.core.services import distribution_check, shared_record_create, shared_record_write
from ipex.core.visibility import may_name
from ipex.directory.models import Node, Organisation, Role

LEADER_ROLES = {Role.SUPERVISOR, Role.NODE_ADMIN}


def campaign_create(
    *,
    actor,
    owner_org: Organisation,
    name_en: str,
    starts_on: dt.date,
    ends_on: dt.date,
    name_zh_hans: str = "",
    name_ru: str = "",
    description: str = "",
    participants: list[Organisation] | None = None,
    distribution: str = Distribution.NODE,
) -> Campaign:
    """A supervisor of the lead organisation opens a special action."""
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    if (
        not who.is_system
        and not any(
            m.role in LEADER_ROLES and m.organisation_id == owner_org.pk
            for m in who.user.active_memberships
        )
        and not who.user.is_node_admin
    ):
        raise Forbidden(
            _("Only a supervisor of the lead organisation opens a special action."),
            code="not_leader",
        )
    distribution_check(actor=who, distribution=distribution)
    errors: dict[str, list[str]] = {}
    if not (name_en or "").strip():
        errors["name_en"] = [_("Give the special action a name.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end comes before the start.")]
    refuse_if(errors, _("The special action was not created; correct the errors."))
    campaign = Campaign(
        origin_node=Node.local(),
        owner_org=owner_org,
        distribution=distribution,
        name_en=name_en.strip(),
        name_zh_hans=name_zh_hans.strip(),
        name_ru=name_ru.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    with shared_record_create(who, campaign, "cases.campaign.created") as write:
        if participants:
            campaign.participants.set(participants)
        write.note(
            participants=sorted(o.code for o in participants or []),
            period=[starts_on.isoformat(), ends_on.isoformat()],
        )
    return campaign


def campaign_add_target(
    *, actor, campaign: Campaign, metric: str, target: int, category: str = ""
) -> CampaignTarget:
    who = as_actor(actor)
    ensure_actor_can_write(who, campaign)
    errors: dict[str, list[str]] = {}
    if metric not in Metric.values:
        errors["metric"] = [_("Unknown measure.")]
    category = (category or "").strip().lower()
    measure = measures.get(metric)
    if category and (
        measure is None or measure.categories is None or category not in measure.categories()
    ):
        errors["category"] = [
            _("Give a top category (books, audiovisual …) for items seized, or none.")
        ]
    if not isinstance(target, int) or target <= 0:
        errors["target"] = [_("A target is a whole number above zero.")]
    refuse_if(errors, _("The target was not added; correct the errors."))
    with shared_record_write(who, campaign, "cases.campaign.target_added") as write:
        try:
            with transaction.atomic():
                row = CampaignTarget.objects.create(
                    campaign=campaign, metric=metric, category=category, target=target
                )
        except IntegrityError as exc:
            raise Conflict(_("This special action has that target already.")) from exc
        write.note(metric=metric, category=category, target=target)
    return row


def ensure_can_link(actor, campaign: Campaign, owner_org: Organisation, day: dt.date) -> None:
    """A seizure joins a special action if its organisation takes part (the lead, a
    participant, or one they supervise) and it falls within the action's period; a person
    names only a special action they can see."""
    who = as_actor(actor)
    if not may_name(who, campaign):
        raise DomainError(_("Unknown special action."), fields={"campaign": [_("Unknown.")]})
    taking_part = [campaign.owner_org, *campaign.participants.all()]
    if not any(owner_org.path.startswith(org.path) for org in taking_part):
        raise DomainError(
            _("%(org)s does not take part in this special action.") % {"org": owner_org.name},
            fields={"campaign": [_("Your organisation does not take part.")]},
        )
    if day and not campaign.starts_on <= day <= campaign.ends_on:
        raise DomainError(
            _("The seizure's date is outside the special action (%(start)s to %(end)s).")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()},
            fields={"campaign": [_("Outside the special action's period.")]},
        )
