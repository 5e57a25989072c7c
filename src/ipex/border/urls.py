"""Customs protection of rights: pages (``urlpatterns``) and API (``api_urlpatterns``, under
/api/v1/), included by the root ``ipex.urls``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ipex.border import api, views
from ipex.core.routing import record_pages

router = SimpleRouter(trailing_slash=False)
router.register("recordations", api.RecordationViewSet, basename="api-recordation")
router.register("detentions", api.DetentionViewSet, basename="api-detention")
router.register(
    "border/deadline-rules", api.DeadlineRuleViewSet, basename="api-border-deadline-rule"
)

api_urlpatterns = [
    path("border/detentions/", views.DetentionListView.as_view(), name="detention-list"),
    path("border/detentions/<uuid:uuid>/", views.detention_page, name="detention-detail"),
    path("border/register", api.RegisterView.as_view(), name="api-border-register"),
    *router.urls,
]

urlpatterns = [
    path("border/detentions/", views.DetentionListView.as_view(), name="detention-list"),
    path("border/detentions/<uuid:uuid>/", views.detention_page, name="detention-detail"),
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
