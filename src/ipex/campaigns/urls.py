"""Special-action pages (``urlpatterns``) and API (``api_urlpatterns``, under /api/v1/),
included by the root ``ipex.urls``."""

from django.urls import include, path

from ipex.campaigns import api, views
from ipex.core.routing import api_routes, record_pages

api_urlpatterns = api_routes(("campaigns", api.CampaignViewSet, "api-campaign"))

campaign_urls = [
    *record_pages(
        "campaign",
        index=views.CampaignListView,
        new=views.campaign_create,
        detail=views.CampaignDetailView,
    ),
    path("<uuid:uuid>/targets", views.campaign_target_add, name="campaign-target-add"),
]

urlpatterns = [
    path("special-actions/", include(campaign_urls)),
]
