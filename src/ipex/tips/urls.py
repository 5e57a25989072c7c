"""The tips routes: the pages (mounted at ``tips/``) and the API (mounted at ``api/v1/``)."""

from django.urls import path

from ipex.core.routing import api_routes, record_pages
from ipex.tips import api, views

api_urlpatterns = [
    path("public/tips", api.PublicTipsView.as_view(), name="api-public-tips"),
    path("public/tips/status", api.PublicTipStatusView.as_view(), name="api-public-tip-status"),
    path("public/tips/reply", api.PublicTipReplyView.as_view(), name="api-public-tip-reply"),
    path("public/tips/claim", api.PublicTipClaimView.as_view(), name="api-public-tip-claim"),
    path("tips/rewards", api.RewardListView.as_view(), name="api-reward-list"),
    path("tips/rewards/report", api.PayoutReportView.as_view(), name="api-reward-report"),
    *api_routes(("tips", api.TipViewSet, "api-tip")),
]

urlpatterns = [
    *record_pages(
        "tip", index=views.TipListView, new=views.tip_new, detail=views.tip_page, new_name="new"
    ),
    path("status", views.tip_status, name="tip-status"),
    path("status/reply", views.tip_reply, name="tip-reply"),
    path("status/claim", views.tip_claim, name="tip-claim"),
    path("rewards/", views.reward_list, name="reward-list"),
    path("<uuid:uuid>/act", views.tip_act, name="tip-act"),
    path("<uuid:uuid>/payment-identity", views.reward_identity, name="reward-identity"),
    path("<uuid:uuid>/files/<uuid:file_uuid>/<str:variant>", views.tip_file, name="tip-file"),
]
