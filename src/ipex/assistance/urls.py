"""Alerts and requests for assistance: pages (``urlpatterns``) and API
(``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ipex.assistance import api, views
from ipex.core.routing import record_pages

router = SimpleRouter(trailing_slash=False)
router.register("alerts", api.AlertViewSet, basename="api-alert")
router.register("assistance-requests", api.AssistanceRequestViewSet, basename="api-assistance")

api_urlpatterns = router.urls

urlpatterns = [
    path(
        "alerts/",
        include(
            record_pages(
                "alert",
                index=views.AlertListView,
                new=views.alert_new,
                detail=views.alert_page,
                new_name="new",
            )
        ),
    ),
    path(
        "assistance/",
        include(
            record_pages(
                "assistance",
                index=views.RequestListView,
                new=views.request_new,
                detail=views.request_page,
                new_name="new",
            )
        ),
    ),
]
