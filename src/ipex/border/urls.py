"""Customs protection of rights: pages (``urlpatterns``) and API (``api_urlpatterns``, under
/api/v1/), included by the root ``ipex.urls``."""

from django.urls import include, path

from ipex.border import api, views
from ipex.core.routing import api_routes, record_pages

api_urlpatterns = [
    path("border/register", api.RegisterView.as_view(), name="api-border-register"),
    path("stats/border", api.BorderStatsView.as_view(), name="api-stats-border"),
    *api_routes(
        ("recordations", api.RecordationViewSet, "api-recordation"),
        ("detentions", api.DetentionViewSet, "api-detention"),
        ("border/deadline-rules", api.DeadlineRuleViewSet, "api-border-deadline-rule"),
    ),
]

urlpatterns = [
    path("border/detentions/", views.DetentionListView.as_view(), name="detention-list"),
    path("border/detentions/new/", views.detention_new, name="detention-new"),
    path("border/detentions/<uuid:uuid>/", views.detention_page, name="detention-detail"),
    path("statistics/border", views.statistics_page, name="border-statistics"),
    path("border/notices/<uuid:uuid>/", views.notice_page, name="border-notice-detail"),
    path("border/register/", views.register_page, name="border-register"),
    path("border/deadline-rules/", views.deadline_rules_page, name="border-deadline-rules"),
    path(
        "border/recordations/",
        include(
            record_pages(
                "recordation",
                index=views.RecordationListView,
                new=views.recordation_new,
                detail=views.recordation_page,
                new_name="new",
            )
        ),
    ),
]
