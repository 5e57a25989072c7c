"""The project's URLs: each app's pages and API (its ``urls.py``), in the app order."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from ipex.assistance import urls as assistance_urls
from ipex.campaigns import urls as campaigns_urls
from ipex.cases import urls as cases_urls
from ipex.core import urls as core_urls
from ipex.directory import urls as directory_urls
from ipex.seizures import urls as seizures_urls
from ipex.tips import api as tips_api
from ipex.tips import views as tips_views

tips_router = SimpleRouter(trailing_slash=False)
tips_router.register("tips", tips_api.TipViewSet, basename="api-tip")

tip_api_urls = [
    path("public/tips", tips_api.PublicTipsView.as_view(), name="api-public-tips"),
    path(
        "public/tips/status", tips_api.PublicTipStatusView.as_view(), name="api-public-tip-status"
    ),
    path("public/tips/reply", tips_api.PublicTipReplyView.as_view(), name="api-public-tip-reply"),
    path("public/tips/claim", tips_api.PublicTipClaimView.as_view(), name="api-public-tip-claim"),
    path("tips/rewards", tips_api.RewardListView.as_view(), name="api-reward-list"),
    path("tips/rewards/report", tips_api.PayoutReportView.as_view(), name="api-reward-report"),
    *tips_router.urls,
]

tip_urls = [
    path("", tips_views.TipListView.as_view(), name="tip-list"),
    path("new", tips_views.tip_new, name="tip-new"),
    path("status", tips_views.tip_status, name="tip-status"),
    path("status/reply", tips_views.tip_reply, name="tip-reply"),
    path("status/claim", tips_views.tip_claim, name="tip-claim"),
    path("rewards/", tips_views.reward_list, name="reward-list"),
    path("<uuid:uuid>/", tips_views.tip_page, name="tip-detail"),
    path("<uuid:uuid>/act", tips_views.tip_act, name="tip-act"),
    path("<uuid:uuid>/payment-identity", tips_views.reward_identity, name="reward-identity"),
    path(
        "<uuid:uuid>/files/<uuid:file_uuid>/<str:variant>",
        tips_views.tip_file,
        name="tip-file",
    ),
]

api_urls = [
    *core_urls.api_urlpatterns,
    *directory_urls.api_urlpatterns,
    *campaigns_urls.api_urlpatterns,
    *seizures_urls.api_urlpatterns,
    *cases_urls.api_urlpatterns,
    *tip_api_urls,
    *assistance_urls.api_urlpatterns,
]

urlpatterns = [
    path("", include("ipex.portal.urls")),
    path("", include(core_urls)),
    path("", include(directory_urls)),
    path("", include(campaigns_urls)),
    path("", include(seizures_urls)),
    path("", include(cases_urls)),
    path("tips/", include(tip_urls)),
    path("", include(assistance_urls)),
    path("", include("ipex.federation.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

handler400 = "ipex.core.views.bad_request"
handler403 = "ipex.core.views.permission_denied"
handler404 = "ipex.core.views.page_not_found"
handler500 = "ipex.core.views.server_error"
