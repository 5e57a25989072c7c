"""Special-action pages (``urlpatterns``) and API (``api_urlpatterns``, under /api/v1/),
included by the root ``ipex.urls``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ipex.campaigns import api, views
from ipex.core.routing import record_pages

router = SimpleRouter(trailing_slash=False)
router.register("campaigns", api.CampaignViewSet, basename="api-campaign")

api_urlpatterns = router.urls

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
