"""Special-action pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipex.campaigns import forms, services
from ipex.campaigns.models import Campaign
from ipex.campaigns.queries import CAMPAIGNS, campaign_link_list, campaign_progress, campaigns_for
from ipex.core.permissions import can_write
from ipex.core.views import (
    VisibleDetailView,
    VisibleListView,
    create_view,
    perform_form,
    record_button,
)


class CampaignListView(VisibleListView):
    model = Campaign
    queryset = CAMPAIGNS
    template_name = "campaigns/campaign_list.html"


class CampaignDetailView(VisibleDetailView):
    model = Campaign

    def record_context(self, campaign, user) -> dict:
        return {
            "progress": campaign_progress(user, campaign),
            "links": campaign_link_list(user, campaign),
            "participants": campaign.participants.all(),
            "can_edit": can_write(user, campaign),
            "target_form": forms.TargetForm(),
        }


campaign_create = create_view(
    forms.CampaignForm,
    services.campaign_create,
    title=gettext_lazy("New special action"),
    detail="campaign-detail",
    success=gettext_lazy("Special action opened."),
)


@login_required
@record_button(campaigns_for, "campaign-detail")
def campaign_target_add(request, campaign):
    if request.method == "POST":
        perform_form(
            request,
            forms.TargetForm(request.POST),
            lambda data: services.campaign_add_target(
                actor=request.user, campaign=campaign, **data
            ),
            _("Target added."),
        )
